import LeadJSON

/// The lead fields stored sealed (`SecretSealer`): a copy of the database shows none of
/// them. Only the lead's `password` (contract, section 5) today.
enum SensitiveFields {
    static let names = ["password"]

    static func context(_ leadID: String, _ name: String) -> String { "lead/\(leadID)/\(name)" }

    /// `fields` with each sensitive text sealed; a lead that has one needs the key.
    static func seal(_ fields: JSONValue, leadID: String, sealer: SecretSealer?) throws(StoreError) -> JSONValue {
        guard var object = fields.objectValue else { return fields }
        for name in names {
            guard let text = object[name]?.stringValue else { continue }
            guard let sealer else { throw .secret("lead \(leadID): no secrets key to seal its \(name)") }
            do { object[name] = .string(try sealer.seal(text, context: context(leadID, name))) } catch {
                throw .secret("lead \(leadID), its \(name): \(error.reason)")
            }
        }
        return .object(object)
    }

    /// `fields` with each sealed sensitive text opened.
    static func open(_ fields: JSONValue, leadID: String, sealer: SecretSealer?) throws(StoreError) -> JSONValue {
        guard var object = fields.objectValue else { return fields }
        for name in names {
            guard let text = object[name]?.stringValue, SecretSealer.isSealed(text) else { continue }
            guard let sealer else { throw .secret("lead \(leadID): no secrets key to open its \(name)") }
            do { object[name] = .string(try sealer.open(text, context: context(leadID, name))) } catch {
                throw .secret("lead \(leadID), its \(name): \(error.reason)")
            }
        }
        return .object(object)
    }
}
