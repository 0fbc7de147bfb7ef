/// Why `leadrelay serve`'s configuration cannot be used; each names the key, where it was
/// read from and what it takes, so the operator can fix it.
public enum SettingsError: Error, Equatable, CustomStringConvertible {
    /// The configuration file could not be read or is not a JSON object.
    case unreadableFile(path: String, detail: String)
    /// A key the service does not know (a typo would otherwise be ignored silently).
    case unknownKey(String, file: String, suggestion: String?)
    /// A value of the wrong type or out of range.
    case invalid(SettingKey, value: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let detail):
            return "configuration file \(path): \(detail)"
        case .unknownKey(let key, let file, let suggestion):
            let hint = suggestion.map { "; did you mean \"\($0)\"?" } ?? "; docs/configuration.md lists the keys"
            return "configuration file \(file): unknown key \"\(key)\"\(hint)"
        case .invalid(let key, let value):
            return "configuration \(key.name) (or \(key.environmentVariable)): \(value) is not \(key.expects)"
        }
    }
}
