import IntegrationRuntime

/// What an affiliate's postback reports, in LeadRelay's own neutral words: never the
/// route, the integration or the buyer's wording (a network's status text, comment or
/// message). `{status}` and `{stage}` take these values:
///
/// | event | when | `{status}` | `{stage}` |
/// |-------|------|------------|-----------|
/// | `accepted` | a delivery attempt ends with the lead accepted | `accepted` | empty |
/// | `rejected` | a delivery ends with the lead rejected for good (not a rejection the offer falls through on) | `rejected` | empty |
/// | `stage` | the lead's current stage changes (the stage rules of docs/service.md) | `pending` (wait, hold), `approved` (approve), `declined` (cancel, trash) | the stage: `wait`, `hold`, `approve`, `cancel`, `trash` |
/// | `test` | an operator's test call | `test` | empty |
public enum PostbackEvent: Sendable, Equatable {
    case accepted
    case rejected
    case stage(StatusUpdate.Stage)
    case test

    /// The event after a delivery attempt left its lead in `state`: only the final
    /// `accepted` and `rejected` fire (`error` is held for redelivery, `retry` is not final).
    public init?(finalState state: DeliveryState) {
        switch state {
        case .accepted: self = .accepted
        case .rejected: self = .rejected
        default: return nil
        }
    }

    /// As stored and shown: `accepted`, `rejected`, `stage:approve`, `test`.
    public var word: String {
        switch self {
        case .accepted: return "accepted"
        case .rejected: return "rejected"
        case .stage(let stage): return "stage:" + stage.rawValue
        case .test: return "test"
        }
    }

    /// The kind without the stage, for metrics: `accepted`, `rejected`, `stage`, `test`.
    public var kind: String {
        if case .stage = self { return "stage" }
        return word
    }

    /// `{status}`.
    public var status: String {
        switch self {
        case .accepted: return "accepted"
        case .rejected: return "rejected"
        case .test: return "test"
        case .stage(let stage):
            switch stage {
            case .wait, .hold: return "pending"
            case .approve: return "approved"
            case .cancel, .trash: return "declined"
            }
        }
    }

    /// `{stage}`.
    public var stage: String {
        if case .stage(let stage) = self { return stage.rawValue }
        return ""
    }

    /// The macros' values for one lead. `payout` is what the affiliate earns for the lead as
    /// it stands after this event (`PostbackPayout.at`): `{payout}` a plain decimal with the
    /// decimals it needs, at most 6 (`25`, `10.5`, `0` when it earns nothing), `{currency}`
    /// the offer's ISO 4217 code; both empty when the offer has no payout (nil).
    public func values(leadID: String, subID: String?, clickID: String?, payout: Amount? = nil) -> [PostbackTemplate.Macro: String] {
        [
            .leadID: leadID, .subID: subID ?? "", .clickID: clickID ?? "", .status: status, .stage: stage,
            .payout: payout.map { Money.text($0.value) } ?? "", .currency: payout?.currency ?? "",
        ]
    }
}

extension PostbackTemplate {
    /// Words in a query parameter's name that mark its value as a credential.
    static let credentialWords = ["token", "key", "secret", "pass", "pwd", "auth", "sig", "hash"]

    /// The URL as it is recorded and logged: the value of each query parameter whose name
    /// looks like a credential (holds `token`, `key`, `secret`, `pass`, `pwd`, `auth`, `sig`
    /// or `hash`, in any case) as `***`. (Userinfo cannot occur: a template with one is refused.)
    public static func masked(_ url: String) -> String {
        guard let mark = url.firstIndex(of: "?") else { return url }
        let query = url[url.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals].lowercased()
            return credentialWords.contains(where: { name.contains($0) }) ? String(pair[..<equals]) + "=***" : String(pair)
        }
        return String(url[..<mark]) + "?" + query.joined(separator: "&")
    }
}
