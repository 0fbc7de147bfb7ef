import HTTPTypes
import Hummingbird
import IntegrationRuntime
import LeadJSON

/// The answer to a synchronous registration (a post with `?wait=N`) once the lead is
/// final, in the shape of Track360's "API testing integration" (seed 000):
/// `{"success": true, "autoLoginUrl": "..."}` or `{"success": false, "error": "..."}`,
/// plus the lead's `id` (and `reason` on a refusal). `error` is a neutral sentence per
/// reason, never the buyer's own words.
enum RegistrationAnswer {
    /// The longest `?wait=` a post may ask, in seconds.
    static let maxWait = 60.0

    static func make(_ lead: StoredLead, context: ServiceRequestContext) -> Response {
        var body: [String: JSONValue] = ["id": .string(lead.id)]
        switch lead.state {
        case .accepted:
            body["success"] = .bool(true)
            body["autoLoginUrl"] = lead.outcome?.redirectURL.map(JSONValue.string) ?? .null
        case .error:
            body["success"] = .bool(false)
            body["error"] = .string("the lead could not be registered now; it is kept and will be sent again")
        default:
            body["success"] = .bool(false)
            body["error"] = .string(neutral(lead.outcome?.reason))
            if let reason = lead.outcome?.reason { body["reason"] = .string(reason.rawValue) }
        }
        return JSONAnswer.make(.ok, body, context: context)
    }

    /// What the affiliate reads for a refusal.
    static func neutral(_ reason: Outcome.Reason?) -> String {
        switch reason {
        case .duplicate: return "duplicate lead"
        case .invalidData: return "invalid lead data"
        case .blockedCountry: return "country not accepted"
        case .capReached: return "no capacity for this lead at the moment"
        case .filtered: return "lead not accepted by the offer's rules"
        default: return "lead not accepted"
        }
    }

    /// `?wait=N` read: nil without one (the offer's registration wait applies); 0 forces an
    /// asynchronous post; `Invalid` for a value that is not 0 to 60.
    static func wait(_ request: Request) -> Result<Double?, Invalid> {
        guard let text = request.uri.queryParameters.get("wait") else { return .success(nil) }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= maxWait else {
            return .failure(Invalid(message: "wait must be a number of seconds from 0 to \(Int(maxWait)), not \(text.debugDescription)"))
        }
        return .success(seconds)
    }

    /// How long a post waits for its registration: `?wait=` when given (0: not at all), else
    /// the offer's registration wait; nil: asynchronous.
    static func effectiveWait(asked: Double?, offer: StoredOffer) -> Double? {
        let seconds = asked ?? offer.registrationWait
        return seconds > 0 ? seconds : nil
    }

    struct Invalid: Error {
        var message: String
    }
}
