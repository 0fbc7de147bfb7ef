import LeadJSON

/// A table as CSV (RFC 4180): a header row, then one row per record, lines ended by CRLF;
/// a cell holding a comma, a double quote, CR or LF is quoted, its quotes doubled.
///
/// A cell a spreadsheet would run as a formula (starting with `=`, `@`, a tab or CR, or with
/// `+` or `-` when it is not a number or a phone number) gets a leading `'`: affiliates type
/// names and sub ids, and an analyst opens the file in a spreadsheet (OWASP's "CSV injection").
public struct CSVTable {
    public let columns: [String]
    private(set) var text: String

    public init(columns: [String]) {
        self.columns = columns
        text = ""
        append(columns)
    }

    /// Adds a row of `values` by column; JSON null is an empty cell, true/false as words.
    public mutating func append(_ values: [String: JSONValue]) {
        append(
            columns.map { column -> String in
                switch values[column] ?? .null {
                case .null: return ""
                case .string(let text): return text
                case .bool(let flag): return flag ? "true" : "false"
                case let other: return other.encoded()
                }
            })
    }

    /// The CSV so far.
    public var csv: String { text }

    private mutating func append(_ cells: [String]) {
        text += cells.map(Self.cell).joined(separator: ",") + "\r\n"
    }

    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first {
            let formula = first == "=" || first == "@" || first == "\t" || first == "\r"
            let signed = (first == "+" || first == "-") && !Self.isNumberLike(value)
            if formula || signed { value = "'" + value }
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `+49 30 1234-567`, `-12.5`: a sign, then digits, spaces, dots, dashes and parentheses.
    static func isNumberLike(_ value: String) -> Bool {
        let rest = value.unicodeScalars.dropFirst()
        return !rest.isEmpty
            && rest.allSatisfy { ($0.value >= 48 && $0.value <= 57) || $0 == " " || $0 == "." || $0 == "-" || $0 == "(" || $0 == ")" }
    }
}
