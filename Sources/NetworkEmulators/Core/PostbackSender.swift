import OutboundHTTP

/// Sends a GET to the configured postback URL for each status change of an emulated
/// lead. One query format for every network: `id` and the network's own `status` word
/// (what the clixnow, irev and trackbox scripts read), AlterCPA's `stage`, `comment`,
/// `price` and `currency` (what the altercpa script reads), and `network`, `state` and
/// `at`:
///
///     ?network=altercpa&id=100001&stage=approve&status=Approved&state=deposited
///      &at=2026-01-01T00:03:00.000Z[&comment=...][&price=10&currency=usd]
struct PostbackSender: Sendable {
    /// Where each network's postbacks go; a network not listed gets none.
    let urls: [EmulatedNetwork: String]
    let transport: LiveTransport

    /// The postback URL for `lead` entering `state` at `at`.
    static func url(base: String, lead: EmulatedLead, state: LeadState, at: Double) -> String {
        let words = AlterCPAView.words(state)
        let status: String =
            switch lead.network {
            case .clixnow: ClixnowLeadView.statusWord(state)
            case .irev: state == .deposited ? IREVGoal.ftd.name : IREVGoal.lead.name
            case .trackbox:
                state == .deposited
                    ? "FTD" : ["new": "New", "no_answer": "No Answer", "rejected": "Not Interested"][state.rawValue] ?? "New"
            case .altercpa: words.status
            }
        var pairs: [(String, String)] = [
            ("network", lead.network.rawValue), ("id", lead.id), ("stage", words.stage), ("status", status),
            ("state", state.rawValue), ("at", EmulatorFormat.isoMillis(at)),
        ]
        if let comment = words.comment { pairs.append(("comment", comment)) }
        if state == .deposited { pairs += [("price", "10"), ("currency", "usd")] }
        return base + (base.contains("?") ? "&" : "?") + FormCodec.encode(pairs)
    }

    /// Sends one postback; returns the HTTP status (0 when the request failed or the
    /// network has no postback address).
    func send(lead: EmulatedLead, state: LeadState, at: Double) async -> Int {
        guard let url = urls[lead.network] else { return 0 }
        let target = Self.url(base: url, lead: lead, state: state, at: at)
        let response = await transport.perform(OutboundRequest(method: "GET", url: target, timeout: 10))
        return response.status
    }
}
