import IntegrationRuntime

/// Reading what ops type (CLI options, admin API fields) into the store's values, each
/// refusal naming the field and what is expected.
public enum AdminInput {
    /// `90d`, `12h`, `30m`, `45s` (or plain seconds) in seconds, more than zero.
    public static func duration(_ text: String, field: String) throws(AdminError) -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var number = Substring(text.trimmingCharacters(in: .whitespaces))
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value > 0, value.isFinite else {
            throw .invalid(field: field, detail: "\"\(text)\" is not a duration such as 90d, 12h, 30m or 45s")
        }
        return value * scale
    }

    /// `leads:create,leads:read` (commas or a list), at least one, each a known permission.
    public static func permissions(_ words: [String], field: String = "permissions") throws(AdminError) -> Set<KeyPermission> {
        var granted: Set<KeyPermission> = []
        for word in words.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            guard let permission = KeyPermission(rawValue: word) else {
                let known = KeyPermission.allCases.map(\.rawValue)
                let hint = NearestName.among(known, to: word).map { " (did you mean \($0)?)" } ?? ""
                throw .invalid(field: field, detail: "unknown permission \"\(word)\"\(hint); known: \(known.joined(separator: ", "))")
            }
            granted.insert(permission)
        }
        guard !granted.isEmpty else {
            throw .invalid(field: field, detail: "give at least one of \(KeyPermission.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return granted
    }

    /// `203.0.113.0-203.0.113.255`, `2001:db8::1-2001:db8::ff` or one address; at least one
    /// range (`0.0.0.0-255.255.255.255` is open access).
    public static func allowlist(_ texts: [String], field: String = "allow") throws(AdminError) -> [IPRange] {
        var ranges: [IPRange] = []
        for text in texts {
            let ends = text.split(separator: "-", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = ends.first, let range = IPRange(from: first, to: ends.count == 2 ? ends[1] : nil) else {
                throw .invalid(
                    field: field,
                    detail: "\"\(text)\" is not an address or a from-to range of one family, lowest first (203.0.113.0-203.0.113.255)")
            }
            ranges.append(range)
        }
        guard !ranges.isEmpty else {
            throw .invalid(
                field: field, detail: "give the addresses the key may be used from (0.0.0.0-255.255.255.255 for every address)")
        }
        return ranges
    }

    /// Rejection reasons (`cap_reached,filtered`) that fall through to an offer's next route.
    public static func reasons(_ words: [String], field: String = "fall-through") throws(AdminError) -> Set<Outcome.Reason> {
        var reasons: Set<Outcome.Reason> = []
        for word in words.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            guard let reason = Outcome.Reason(rawValue: word) else {
                let known = Outcome.Reason.allCases.map(\.rawValue)
                throw .invalid(field: field, detail: "unknown reason \"\(word)\"; known: \(known.joined(separator: ", "))")
            }
            reasons.insert(reason)
        }
        return reasons
    }

    /// A role by name.
    public static func role(_ word: String, field: String = "role") throws(AdminError) -> EmployeeRole {
        guard let role = EmployeeRole(rawValue: word.lowercased()) else {
            throw .invalid(field: field, detail: "unknown role \"\(word)\"; known: admin, manager, analyst")
        }
        return role
    }

    /// An id ops choose: 1 to 64 of `A-Z a-z 0-9 _ -`.
    public static func identifier(_ text: String, field: String) throws(AdminError) -> String {
        let allowed = text.unicodeScalars.allSatisfy {
            ($0.value >= 48 && $0.value <= 57) || ($0.value >= 65 && $0.value <= 90) || ($0.value >= 97 && $0.value <= 122)
                || $0 == "_" || $0 == "-"
        }
        guard (1...64).contains(text.count), allowed else {
            throw .invalid(field: field, detail: "\"\(text)\" must be 1 to 64 letters, digits, _ or -")
        }
        return text
    }

    /// A key's rate: `N/<duration>` with s, m or h (`100/1m`, `10/3s`).
    public static func rate(_ text: String, field: String) throws(AdminError) -> RateLimit {
        guard let rate = RateLimit(text) else {
            throw .invalid(field: field, detail: "\"\(text)\" is not a rate such as 100/1m, 10/3s or 1000/1h")
        }
        return rate
    }
}
