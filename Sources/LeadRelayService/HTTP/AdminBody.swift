import LeadJSON

/// Reads an admin API request's JSON fields, each wrong one refused by name (422).
struct AdminBody {
    let fields: [String: JSONValue]

    func string(_ name: String) throws(AdminError) -> String {
        guard let value = try optionalString(name) else { throw .invalid(field: name, detail: "is required") }
        return value
    }

    func optionalString(_ name: String) throws(AdminError) -> String? {
        guard let value = fields[name], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalid(field: name, detail: "must be a string") }
        return text
    }

    func optionalInt(_ name: String) throws(AdminError) -> Int? {
        guard let value = fields[name], !value.isNull else { return nil }
        guard let number = value.int64Value, let int = Int(exactly: number) else {
            throw .invalid(field: name, detail: "must be an integer")
        }
        return int
    }

    func optionalNumber(_ name: String) throws(AdminError) -> Double? {
        guard let value = fields[name], !value.isNull else { return nil }
        guard let number = value.doubleValue else { throw .invalid(field: name, detail: "must be a number") }
        return number
    }

    func optionalBool(_ name: String) throws(AdminError) -> Bool? {
        guard let value = fields[name], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw .invalid(field: name, detail: "must be true or false") }
        return flag
    }

    /// An array of strings; nil when absent.
    func optionalStrings(_ name: String) throws(AdminError) -> [String]? {
        guard let value = fields[name], !value.isNull else { return nil }
        guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            throw .invalid(field: name, detail: "must be an array of strings")
        }
        return items.compactMap(\.stringValue)
    }

    func object(_ name: String) throws(AdminError) -> [String: JSONValue] {
        guard let value = fields[name], !value.isNull else { return [:] }
        guard let object = value.objectValue else { throw .invalid(field: name, detail: "must be an object of parameter values") }
        return object
    }
}
