import OutboundHTTP

/// What became of one postback call.
public enum PostbackResult: String, Sendable, CaseIterable {
    /// The tracker answered 2xx.
    case sent
    /// It failed in a way worth trying again (no answer, a timeout, 408, 425, 429, 5xx): due
    /// again after the policy's delay.
    case retry
    /// Given up: an answer that another try will not change (another 3xx or 4xx), a refusal
    /// of the egress policy or of the allowed ports, or the last attempt failed.
    case failed
}

/// When a failed postback call is tried again: after 30 s, 2 min, 10 min, 30 min, 1 h, 3 h
/// and 6 h, so 8 attempts over about 11 hours; then it is `failed`. Decided without I/O.
public struct PostbackRetryPolicy: Sendable, Equatable {
    /// The wait before attempt 2, 3, ...
    public var delays: [Double]

    public init(delays: [Double] = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600]) {
        self.delays = delays
    }

    /// Attempts at most.
    public var maxAttempts: Int { delays.count + 1 }

    /// What `response` means after attempt `attempt` (1 is the first), with the error to
    /// record and, for `retry`, when to try next.
    public func judge(_ response: OutboundResponse, attempt: Int, now: Double) -> (result: PostbackResult, error: String?, next: Double?) {
        let (retryable, error) = Self.classify(response)
        guard let error else { return (.sent, nil, nil) }
        guard retryable else { return (.failed, error, nil) }
        guard attempt < maxAttempts else { return (.failed, error + "; gave up after \(attempt) attempts", nil) }
        return (.retry, error, now + delays[max(0, attempt - 1)])
    }

    /// Whether a failure is worth another try, and what it was (nil: sent).
    static func classify(_ response: OutboundResponse) -> (retryable: Bool, error: String?) {
        if let failure = response.failure {
            let detail = response.failureDetail.map { "\(failure.rawValue): \($0)" } ?? failure.rawValue
            switch failure {
            case .egressRefused: return (false, response.failureDetail ?? "egress refused")
            case .invalidRequest, .responseTooLarge: return (false, detail)
            case .timeout, .connect, .tls, .dns, .other: return (true, detail)
            }
        }
        switch response.status {
        case 200...299: return (true, nil)
        case 408, 425, 429, 500...599: return (true, "HTTP \(response.status)")
        case 300...399: return (false, "HTTP \(response.status): redirects are not followed; set the final address")
        default: return (false, "HTTP \(response.status)")
        }
    }
}
