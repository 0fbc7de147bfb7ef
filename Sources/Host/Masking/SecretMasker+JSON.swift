import LeadJSON

extension SecretMasker {
    /// `value` as it may be printed or stored: every string and object key masked, a
    /// number that is (or contains) a secret replaced by the string `"***"`, and the value
    /// of a credential header (`"Authorization": "Bearer ***"`, see `CredentialHeaders`)
    /// masked wherever an object has one, secrets or not.
    public func mask(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s):
            return .string(mask(s))
        case .integer, .number:
            guard !isEmpty else { return value }
            let text = value.encoded()
            let masked = mask(text)
            return masked == text ? value : .string(masked)
        case .array(let items):
            return .array(items.map(mask))
        case .object(let fields):
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(fields.count)
            for (key, field) in fields {
                var field = field
                if case .string(let s) = field, CredentialHeaders.carriesCredentials(key) {
                    field = .string(CredentialHeaders.masked(name: key, value: s))
                }
                out[mask(key)] = mask(field)
            }
            return .object(out)
        default:
            return value
        }
    }
}
