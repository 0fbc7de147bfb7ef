/// Clixnow's documented field rules for creating a lead: a value type, no I/O.
enum ClixnowValidation {
    static let required = ["firstName", "lastName", "email", "phone", "password", "countryCode"]

    /// Field -> messages, or nil when the lead is valid.
    static func problems(_ fields: [String: String]) -> [String: [String]]? {
        var out: [String: [String]] = [:]
        for name in required where (fields[name] ?? "").trimmingSpaces().isEmpty {
            out[name] = ["The \(name) field is required."]
        }
        if let password = fields["password"], !password.isEmpty, !passwordOK(password) {
            out["password", default: []].append(
                "Password must be at least 8 characters long and contain a special character.")
        }
        if let email = fields["email"], !email.isEmpty, !email.contains("@") {
            out["email", default: []].append("Email is not valid.")
        }
        if let phone = fields["phone"], !phone.isEmpty, !phoneOK(phone) {
            out["phone", default: []].append("Phone number is not valid.")
        }
        if let country = fields["countryCode"], !country.isEmpty,
            !(country.count == 2 && country.allSatisfy { $0.isASCII && $0.isLetter })
        {
            out["countryCode", default: []].append("countryCode must be an alpha-2 country code.")
        }
        return out.isEmpty ? nil : out
    }

    /// Seed 003: "a special character is required, min number of required characters is
    /// eight". ASSUMPTION, the same as clixnow.lua's (lib.lead.password_ok): a special
    /// character is any character that is not an ASCII letter or an ASCII digit (a space,
    /// punctuation, a non-ASCII character).
    static func passwordOK(_ password: String) -> Bool {
        password.count >= 8 && password.contains { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// An optional "+" then 7 to 15 digits.
    static func phoneOK(_ phone: String) -> Bool {
        let digits = phone.hasPrefix("+") ? phone.dropFirst() : Substring(phone)
        return (7...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
