import OutboundHTTP

/// The transport of `leadrelay run --dry-run`: sends nothing. Every request is answered
/// at once as refused (`egress_refused`, the answer the egress policy gives), so the call
/// still runs on a pool like any other; `run` prints the first request and nothing of
/// what the script made of the refusal.
struct DryRunTransport: HTTPTransport {
    static let detail = "dry run: nothing is sent"

    func perform(_ request: OutboundRequest) async -> OutboundResponse { .failed(.egressRefused, detail: Self.detail) }

    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        completion(.failed(.egressRefused, detail: Self.detail))
    }
}
