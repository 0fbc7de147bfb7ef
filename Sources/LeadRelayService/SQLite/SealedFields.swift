import LeadJSON

/// Seals and opens the named values of a stored JSON object (a route's secret parameters,
/// a lead's sensitive fields), each bound to its place (`context`), with errors that name
/// what holds them (`holder`: "route irev of offer 7", "lead L-1") and never the place,
/// which may hold a token.
struct SealedFields {
    let sealer: SecretSealer?
    let holder: String
    /// The place a value is sealed to, by its name.
    let context: (String) -> String

    /// Seals each named value present (a value that is not text is sealed as its JSON).
    func seal(_ object: inout [String: JSONValue], names: some Sequence<String>) throws(StoreError) {
        for name in names {
            guard let value = object[name] else { continue }
            guard let sealer else { throw .secret("\(holder): no secrets key to seal \"\(name)\"") }
            do { object[name] = .string(try sealer.seal(value.stringValue ?? value.encoded(), context: context(name))) } catch {
                throw .secret("\(holder), \"\(name)\": \(error.reason)")
            }
        }
    }

    /// Opens each named value present; one that is not sealed is an error.
    func open(_ object: inout [String: JSONValue], names: some Sequence<String>) throws(StoreError) {
        for name in names {
            guard let value = object[name] else { continue }
            guard let sealer else { throw .secret("\(holder): no secrets key to open \"\(name)\"") }
            do { object[name] = .string(try sealer.open(value.stringValue ?? "", context: context(name))) } catch {
                throw .secret("\(holder), \"\(name)\": \(error.reason)")
            }
        }
    }
}
