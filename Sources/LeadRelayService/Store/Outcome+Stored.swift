import IntegrationRuntime
import LeadJSON

extension Outcome {
    /// An outcome read back from its stored JSON (`Outcome.json`); nil when the JSON is not
    /// one (an unknown kind or reason, a field of the wrong type).
    init?(stored json: JSONValue) {
        guard let word = json["outcome"]?.stringValue, let kind = Kind(rawValue: word) else { return nil }
        self.init(kind)
        if let r = json["reason"] {
            guard let reason = r.stringValue.flatMap(Reason.init(rawValue:)) else { return nil }
            self.reason = reason
        }
        for (key, path) in [("message", \Outcome.message), ("external_id", \.externalID), ("redirect_url", \.redirectURL)] {
            guard let value = json[key] else { continue }
            guard let text = value.stringValue else { return nil }
            self[keyPath: path] = text
        }
        if let r = json["retry_after"] {
            guard let seconds = r.doubleValue else { return nil }
            retryAfter = seconds
        }
        extra = json["extra"]
    }
}
