import LeadJSON

/// The lead fields stored sealed (`SecretSealer`): a copy of the database shows none of
/// them. Only the lead's `password` (contract, section 5) today.
public enum SensitiveFields {
    public static let names = ["password"]

    static func sealing(_ leadID: String, _ sealer: SecretSealer?) -> SealedFields {
        SealedFields(sealer: sealer, holder: "lead \(leadID)") { "lead/\(leadID)/\($0)" }
    }

    /// `fields` with each sensitive field sealed; a lead that has one needs the key.
    static func seal(_ fields: JSONValue, leadID: String, sealer: SecretSealer?) throws(StoreError) -> JSONValue {
        guard var object = fields.objectValue else { return fields }
        try sealing(leadID, sealer).seal(&object, names: names)
        return .object(object)
    }

    /// `fields` with each sealed sensitive field opened.
    static func open(_ fields: JSONValue, leadID: String, sealer: SecretSealer?) throws(StoreError) -> JSONValue {
        guard var object = fields.objectValue else { return fields }
        try sealing(leadID, sealer).open(&object, names: names)
        return .object(object)
    }
}
