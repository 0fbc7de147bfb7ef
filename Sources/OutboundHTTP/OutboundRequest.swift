/// A request as it goes on the wire: what a script's request table becomes once the host
/// has applied defaults, encoded the body and built the URL with its query.
public struct OutboundRequest: Sendable, Equatable {
    public var method: String
    /// Absolute URL including the encoded query string.
    public var url: String
    /// Header names as the script wrote them; order kept.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds before the transport gives up with `TransportFailure.timeout`.
    public var timeout: Double
    /// A response body larger than this ends the request with `TransportFailure.responseTooLarge`.
    public var maxResponseBytes: Int
    /// The offer credential the request is made with, for per-credential rate limits (set
    /// by the host, never sent; not part of equality: it is not on the wire).
    public var credential: CredentialID?

    public init(
        method: String = "POST",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        timeout: Double = 30,
        maxResponseBytes: Int = 5 * 1024 * 1024
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    public static func == (a: OutboundRequest, b: OutboundRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body && a.timeout == b.timeout
            && a.maxResponseBytes == b.maxResponseBytes
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }
}

extension String {
    /// Equal but for the case of ASCII letters (HTTP header names), without allocating.
    package func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let a = utf8
        let b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let lx = x >= 65 && x <= 90 ? x + 32 : x
            let ly = y >= 65 && y <= 90 ? y + 32 : y
            if lx != ly { return false }
        }
        return true
    }
}
