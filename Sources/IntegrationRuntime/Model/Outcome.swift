import Host
import LeadJSON

/// How a delivery ended (contract, section 3).
public struct Outcome: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case accepted, rejected, retry
        /// Added by the host when the script itself failed; the lead is kept.
        case error
    }

    /// The reasons a script may give (any other word is a result of the wrong shape).
    public enum Reason: String, Sendable, CaseIterable {
        case duplicate
        case invalidData = "invalid_data"
        case blockedCountry = "blocked_country"
        case filtered
        case capReached = "cap_reached"
        case noRedirect = "no_redirect"
        case unauthorized, timeout
        case rateLimited = "rate_limited"
        case unavailable, unknown
    }

    public var kind: Kind
    public var reason: Reason?
    public var message: String?
    public var externalID: String?
    public var redirectURL: String?
    /// Seconds to wait before the next try, for `retry`.
    public var retryAfter: Double?
    public var extra: JSONValue?

    public init(
        _ kind: Kind, reason: Reason? = nil, message: String? = nil, externalID: String? = nil,
        redirectURL: String? = nil, retryAfter: Double? = nil, extra: JSONValue? = nil
    ) {
        self.kind = kind
        self.reason = reason
        self.message = message
        self.externalID = externalID
        self.redirectURL = redirectURL
        self.retryAfter = retryAfter
        self.extra = extra
    }

    /// An `error` outcome with `message`.
    public static func error(_ message: String) -> Outcome { Outcome(.error, message: message) }

    /// The outcome as the JSON object scripts and fixtures use.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["outcome": .string(kind.rawValue)]
        if let reason { o["reason"] = .string(reason.rawValue) }
        if let message { o["message"] = .string(message) }
        if let externalID { o["external_id"] = .string(externalID) }
        if let redirectURL { o["redirect_url"] = .string(redirectURL) }
        if let retryAfter { o["retry_after"] = Int64(exactly: retryAfter).map(JSONValue.integer) ?? .number(retryAfter) }
        if let extra { o["extra"] = extra }
        return .object(o)
    }
}
