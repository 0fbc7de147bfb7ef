import Foundation
import LeadJSON

/// A JSON file an integrator wrote (a fixture, `leadrelay run`'s lead and params), read
/// with errors that name the file and, for a syntax error, its line.
public enum JSONInputFile {
    /// Parses `bytes`, the contents of `file`.
    public static func parse(_ bytes: [UInt8], file: String) throws(ScriptLoadError) -> JSONValue {
        do { return try JSONValue.parse(bytes) } catch {
            throw ScriptLoadError(file: file, line: error.line > 0 ? error.line : nil, message: "not valid JSON: \(error)")
        }
    }

    /// Reads and parses the file at `path`.
    public static func read(_ path: String) throws(ScriptLoadError) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptLoadError(file: path, message: "cannot read the file")
        }
        return try parse(Array(data), file: path)
    }
}
