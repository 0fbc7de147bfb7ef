/// The transport of a dry run (`leadrelay run --dry-run`, the service's test window in dry
/// mode): sends nothing. Every request is answered at once as refused (`egress_refused`,
/// the answer the egress policy gives), so the call still runs on a pool like any other;
/// the caller shows the first request and nothing of what the script made of the refusal.
public struct DryRunTransport: HTTPTransport {
    public static let detail = "dry run: nothing is sent"

    public init() {}

    public func perform(_ request: OutboundRequest) async -> OutboundResponse { .failed(.egressRefused, detail: Self.detail) }

    public func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        completion(.failed(.egressRefused, detail: Self.detail))
    }
}
