import LeadJSON

extension AdminBody {
    /// An amount given as a JSON number (`25`, `12.5`) or as decimal text (`"12.50"`), as
    /// text for `Payout.parse`; nil when absent.
    func optionalAmount(_ name: String) throws(AdminError) -> String? {
        guard let value = fields[name], !value.isNull else { return nil }
        if let text = value.stringValue { return text }
        if let integer = value.int64Value { return String(integer) }
        guard let number = value.doubleValue, number.isFinite else {
            throw .invalid(field: name, detail: "must be an amount such as 25 or \"12.50\"")
        }
        return "\(number)"
    }
}
