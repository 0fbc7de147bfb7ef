import Host
import LeadJSON

/// A fixture's credentials (**Extension**): `credentials`, what the case's credential store
/// holds before the call, and `expect.credentials`, what it must hold after.
extension FixtureLoader {
    /// The top-level `credentials`: an object of strings within `CredentialLimits`.
    static func credentials(_ o: [String: JSONValue], file: String) throws(ScriptLoadError) -> [String: String] {
        guard let given = o["credentials"] else { return [:] }
        guard let entries = given.objectValue else {
            throw ScriptLoadError(file: file, message: "\"credentials\" must be an object of keys and string values")
        }
        if entries.count > CredentialLimits.entriesPerScope {
            throw ScriptLoadError(
                file: file,
                message: "\"credentials\" holds \(entries.count) keys, more than the \(CredentialLimits.entriesPerScope) a scope may")
        }
        var seed: [String: String] = [:]
        for key in entries.keys.sorted() {
            guard let value = entries[key]!.stringValue else {
                throw ScriptLoadError(file: file, message: "credentials.\(key): must be a string, not \(entries[key]!.encoded())")
            }
            if key.isEmpty || key.utf8.count > CredentialLimits.maxKeyBytes {
                throw ScriptLoadError(file: file, message: "credentials: a key must be 1 to \(CredentialLimits.maxKeyBytes) bytes")
            }
            if value.utf8.count > CredentialLimits.maxValueBytes {
                throw ScriptLoadError(
                    file: file, message: "credentials.\(key): more than the \(CredentialLimits.maxValueBytes) bytes a value may hold")
            }
            seed[key] = value
        }
        return seed
    }

    /// `expect.credentials`: an object whose values are strings (`"{{any}}"` matches any
    /// value) or `null` (nothing stored).
    static func checkExpectCredentials(_ expect: [String: JSONValue], file: String) throws(ScriptLoadError) {
        guard let wanted = expect["credentials"] else { return }
        guard let entries = wanted.objectValue else {
            throw ScriptLoadError(
                file: file, message: "\"expect.credentials\" must be an object of keys and the strings they must hold (null: none)")
        }
        for key in entries.keys.sorted() {
            switch entries[key]! {
            case .string, .null: continue
            default:
                throw ScriptLoadError(
                    file: file, message: "expect.credentials.\(key): must be a string or null, not \(entries[key]!.encoded())")
            }
        }
    }
}
