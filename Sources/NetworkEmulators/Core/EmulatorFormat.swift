import Foundation
import LeadJSON

/// Small shared helpers: dates in the networks' formats, ids, JSON scalars as text.
enum EmulatorFormat {
    /// `2025-12-31T09:15:00.000Z`.
    static func isoMillis(_ epoch: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return f.string(from: Date(timeIntervalSince1970: epoch))
    }

    /// `2025-12-31 09:15:00` (UTC).
    static func spaced(_ epoch: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: Date(timeIntervalSince1970: epoch))
    }

    /// Parses the date forms the scripts send (UTC): `2025-12-31T09:15:00`, with an
    /// optional `Z`, with minutes only (`2025-12-31T09:15Z`), `2025-12-31 09:15:00`, or
    /// a bare date `2025-12-31` (start of day; end of day when `endOfDay`).
    static func parseDate(_ text: String, endOfDay: Bool = false) -> Double? {
        var s = text.trimmingSpaces()
        if s.hasSuffix("Z") { s.removeLast() }
        if let dot = s.firstIndex(of: ".") { s = String(s[..<dot]) }
        let formats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"]
        for format in formats {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = format
            if let date = f.date(from: s) {
                let epoch = date.timeIntervalSince1970
                return (format == "yyyy-MM-dd" && endOfDay) ? epoch + 86_399 : epoch
            }
        }
        return nil
    }

    /// A random lowercase UUID.
    static func uuid() -> String { UUID().uuidString.lowercased() }

    /// A JSON scalar as text (strings as is, numbers and booleans written out); nil for
    /// null, arrays and objects.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// Every scalar member of a JSON object as text.
    static func scalars(_ object: [String: JSONValue]) -> [String: String] {
        object.compactMapValues { text($0) }
    }
}
