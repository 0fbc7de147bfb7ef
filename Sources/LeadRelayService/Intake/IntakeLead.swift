import LeadJSON

/// A lead as an affiliate posts it, read into the contract's lead fields (section 5 of the
/// script contract, docs/writing-integrations.md): known fields checked, everything else
/// kept under `extra`, never refused for being unknown.
public struct IntakeLead: Sendable, Equatable {
    /// The offer the lead is posted for.
    public var offerID: String
    /// The lead's fields, `extra` included.
    public var fields: [String: JSONValue]

    /// One field that is wrong, with a code a program can act on.
    public struct Problem: Sendable, Equatable {
        public var field: String
        /// `required`, `type`, `format` or `too_long`.
        public var code: String
        public var message: String
    }

    /// The text fields of the contract's lead; `id`, `created_at` and `external_id` are the
    /// service's own and are not taken from the affiliate.
    static let textFields: Set<String> = [
        "first_name", "last_name", "email", "phone", "country", "language", "ip", "password", "currency",
        "affiliate_id", "sub_id", "click_id", "funnel", "landing_url", "comment",
    ]
    static let objectFields: Set<String> = ["address"]
    static let listFields: Set<String> = ["items"]
    static let ownFields: Set<String> = ["id", "created_at", "external_id"]
    static let maxTextBytes = 1024

    /// A read lead, or every problem found in it.
    public enum Reading: Sendable, Equatable {
        case lead(IntakeLead)
        case problems([Problem])
    }

    /// Reads `body` (a JSON object); every problem is listed, none stops the reading.
    public static func read(_ body: JSONValue) -> Reading {
        guard case .object(let object) = body else {
            return .problems([Problem(field: "", code: "type", message: "the body must be a JSON object")])
        }
        let (fields, found) = readFields(object)
        var problems = found
        let offer = object["offer_id"].flatMap { $0.stringValue ?? $0.int64Value.map(String.init) }
        if offer == nil || offer!.isEmpty {
            problems.append(Problem(field: "offer_id", code: "required", message: "the offer to post the lead for"))
        }
        if fields["email"] == nil && fields["phone"] == nil {
            problems.append(Problem(field: "email", code: "required", message: "a lead needs an email or a phone"))
        }
        guard problems.isEmpty, let offer else { return .problems(problems.sorted { $0.field < $1.field }) }
        return .lead(IntakeLead(offerID: offer, fields: fields))
    }

    /// The contract's fields of `object` checked one by one (every field but `offer_id`),
    /// what the intake does not know under `extra`; the checks of `read` and `readChange`.
    static func readFields(_ object: [String: JSONValue]) -> (fields: [String: JSONValue], problems: [Problem]) {
        var problems: [Problem] = []
        var fields: [String: JSONValue] = [:]
        var extra: [String: JSONValue] = object["extra"]?.objectValue ?? [:]
        for (key, value) in object where key != "offer_id" && key != "extra" {
            if textFields.contains(key) {
                guard let text = value.stringValue ?? value.int64Value.map(String.init) else {
                    problems.append(Problem(field: key, code: "type", message: "\(key) must be a string"))
                    continue
                }
                if text.utf8.count > maxTextBytes {
                    problems.append(Problem(field: key, code: "too_long", message: "\(key) is longer than \(maxTextBytes) bytes"))
                    continue
                }
                fields[key] = .string(text)
            } else if objectFields.contains(key) {
                guard value.objectValue != nil else {
                    problems.append(Problem(field: key, code: "type", message: "\(key) must be an object")); continue
                }
                fields[key] = value
            } else if listFields.contains(key) {
                guard value.arrayValue != nil else {
                    problems.append(Problem(field: key, code: "type", message: "\(key) must be a list")); continue
                }
                fields[key] = value
            } else if !ownFields.contains(key) {
                extra[key] = value
            }
        }
        problems += formatProblems(fields)
        if !extra.isEmpty { fields["extra"] = .object(extra) }
        return (fields, problems)
    }

    private static func formatProblems(_ fields: [String: JSONValue]) -> [Problem] {
        var problems: [Problem] = []
        if let email = fields["email"]?.stringValue {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.contains(" ") {
                problems.append(Problem(field: "email", code: "format", message: "email is not an address"))
            }
        }
        if let phone = fields["phone"]?.stringValue, phone.filter(\.isNumber).count < 6 {
            problems.append(Problem(field: "phone", code: "format", message: "phone has fewer than 6 digits"))
        }
        if let country = fields["country"]?.stringValue, country.count != 2 || !country.allSatisfy({ $0.isASCII && $0.isLetter }) {
            problems.append(Problem(field: "country", code: "format", message: "country must be an ISO 3166 alpha-2 code such as DE"))
        }
        return problems
    }

    /// The e-mail address and phone number as the duplicate check compares them.
    public var duplicateKeys: (email: String?, phone: String?) {
        (fields["email"]?.stringValue?.lowercased(), fields["phone"]?.stringValue.map { String($0.filter(\.isNumber)) })
    }
}
