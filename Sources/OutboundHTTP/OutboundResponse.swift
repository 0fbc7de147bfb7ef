/// Why a request produced no HTTP response. Scripts see it as `status = 0, error = "<rawValue>"`.
public enum TransportFailure: String, Sendable, Equatable {
    case timeout
    case connect
    case tls
    case dns
    /// The body exceeded `OutboundRequest.maxResponseBytes`: the call ends as outcome `error`
    /// naming the `response size limit`, not as a transport failure the script sees.
    case responseTooLarge = "response_too_large"
    /// The egress policy refused every address of the host (`EgressPolicy`): a
    /// configuration problem, so the call ends as outcome `error` with the refusal, not
    /// as a transport failure the script sees (and would retry).
    case egressRefused = "egress_refused"
    case invalidRequest = "invalid_request"
    case other
}

/// What came back for an `OutboundRequest`: a status with headers and body, or a transport failure.
public struct OutboundResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lower-cased, values as received, order kept.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds from sending the request to the end of the response.
    public var elapsed: Double
    public var failure: TransportFailure?
    /// Human-readable detail of a failure (e.g. curl's message), for logs.
    public var failureDetail: String?

    public init(
        status: Int,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        elapsed: Double = 0,
        failure: TransportFailure? = nil,
        failureDetail: String? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed
        self.failure = failure
        self.failureDetail = failureDetail
    }

    /// A transport failure: no status (0), no body.
    public static func failed(_ failure: TransportFailure, detail: String? = nil, elapsed: Double = 0) -> OutboundResponse {
        OutboundResponse(status: 0, elapsed: elapsed, failure: failure, failureDetail: detail)
    }

    public static func == (a: OutboundResponse, b: OutboundResponse) -> Bool {
        a.status == b.status && a.body == b.body && a.failure == b.failure
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }
}
