/// A request as `LoopbackHTTPServer` or `LoopbackTLSServer` received it.
public struct LoopbackRequest: Sendable {
    public var method: String
    /// The request target up to `?`, e.g. `/v1/leads`.
    public var path: String
    /// The raw query after `?` (still percent-encoded), or "" when there is none.
    public var query: String
    /// Header names as the client wrote them; order kept.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// What `LoopbackHTTPServer` or `LoopbackTLSServer` answers. `Content-Length` is added unless
/// given, or unless the body is `chunked` or `closeDelimited`.
public struct LoopbackResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds to wait before sending the response; other connections are served meanwhile.
    public var delay: Double
    /// Informational (1xx) responses sent ahead of this one, e.g. `[(100, [("X-Interim", "1")])]`.
    public var interim: [(status: Int, headers: [(name: String, value: String)])] = []
    /// Send no `Content-Length`: the body ends when the server closes the connection.
    public var closeDelimited = false
    /// `LoopbackTLSServer` only: after this response, close the socket without a TLS
    /// close_notify, as some servers do.
    public var skipsCloseNotify = false
    /// Send the body with `Transfer-Encoding: chunked` (and no `Content-Length`).
    public var chunked = false
    /// With `chunked`: the most body bytes one chunk carries (at least 1).
    public var chunkSize = 1000
    /// With `chunked`: the first chunk-size line carries the extension `;ext=1`.
    public var chunkExtension = false
    /// With `chunked`: the trailer field `X-Trailer: yes` follows the last chunk.
    public var trailer = false

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = [], delay: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], text: String, delay: Double = 0) {
        self.init(status: status, headers: headers, body: Array(text.utf8), delay: delay)
    }
}
