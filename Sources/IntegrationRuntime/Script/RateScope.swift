/// Which requests a script's `limits.rate` counts, and which of them share a bucket.
///
/// The string form `rate = "10/3s"` counts every request of the integration in one bucket
/// (`RateScope.all`). The table form narrows it, for a network whose limit is worded like
/// IREV's "The number of GET requests is limited to 10 requests in 3 seconds", per token:
///
///     limits = { rate = { limit = "10/3s", methods = { "GET" }, per = "credential" } }
///
/// Requests whose method is not in `methods` pass without waiting. With `per =
/// "credential"` every offer credential (the values of the params declared `secret = true`)
/// has its own bucket; the bucket is keyed by a digest of those values, never the values.
public struct RateScope: Sendable, Equatable, CustomStringConvertible {
    /// Upper-case HTTP methods the limit counts; nil: every request.
    public var methods: Set<String>?
    /// One bucket per credential rather than one for the whole integration.
    public var perCredential: Bool

    public init(methods: Set<String>? = nil, perCredential: Bool = false) {
        self.methods = methods
        self.perCredential = perCredential
    }

    /// Every request, one bucket: what `rate = "10/3s"` means.
    public static let all = RateScope()

    /// The words `per` accepts.
    public enum Per: String, CaseIterable {
        case integration, credential
    }

    /// Whether the limit holds a request with this method.
    public func counts(method: String) -> Bool {
        guard let methods else { return true }
        return methods.contains(method.uppercased())
    }

    public var description: String {
        let which = methods.map { $0.sorted().joined(separator: ", ") + " requests" } ?? "every request"
        return which + (perCredential ? ", per credential" : ", one bucket")
    }
}
