/// A script or fixture that could not be loaded: `leadrelay check` exits 2 with it.
public struct ScriptLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as the user knows it (`integrations/clixnow.lua`).
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }

    /// Splits Lua's `name.lua:12: message` into line and message when it names `chunk`.
    static func fromLua(_ text: String, file: String, chunk: String) -> ScriptLoadError {
        let prefix = chunk + ":"
        if text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            if let colon = rest.firstIndex(of: ":"), let line = Int(rest[..<colon]) {
                return ScriptLoadError(file: file, line: line, message: String(rest[rest.index(after: colon)...]).trimmingLeadingSpace)
            }
        }
        return ScriptLoadError(file: file, message: text)
    }
}

extension String {
    var trimmingLeadingSpace: String { String(drop { $0 == " " }) }
}
