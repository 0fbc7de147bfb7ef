/// Writing a `JSONValue` as text, by the same rules as `json.encode` (`JSONWriter`).
extension JSONValue {
    /// Compact JSON: no spaces, object keys sorted by byte order, `/` and non-ASCII as
    /// is. A non-finite `number` (which parsing never produces) is written as `null`.
    ///
    ///     JSONValue.object(["b": .integer(1), "a": .number(0.5)]).encoded()  // {"a":0.5,"b":1}
    public func encoded() -> String {
        var out = JSONBuffer(capacity: 128)
        write(to: &out, indent: nil)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Indented JSON for people (CLI output): two spaces a level, keys sorted, `"key": value`.
    public func prettyEncoded() -> String {
        var out = JSONBuffer(capacity: 256)
        write(to: &out, indent: 0)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// `indent` is the current level when pretty-printing, `nil` for compact output.
    private func write(to out: inout JSONBuffer, indent: Int?) {
        switch self {
        case .null: out.append("null" as StaticString)
        case .bool(let b): out.append(b ? "true" : "false" as StaticString)
        case .integer(let i): JSONWriter.appendInteger(i, to: &out)
        case .number(let d):
            if !JSONWriter.appendDouble(d, to: &out) { out.append("null" as StaticString) }
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(indent.map { $0 + 1 }, to: &out)
                element.write(to: &out, indent: indent.map { $0 + 1 })
            }
            if !elements.isEmpty { Self.newline(indent, to: &out) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(indent.map { $0 + 1 }, to: &out)
                Self.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                members[key]!.write(to: &out, indent: indent.map { $0 + 1 })
            }
            if !keys.isEmpty { Self.newline(indent, to: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ s: String, to out: inout JSONBuffer) {
        var s = s
        // A Swift String is always valid UTF-8, so this cannot fail.
        _ = s.withUTF8 { JSONWriter.appendString(UnsafeRawBufferPointer($0), to: &out) }
    }

    private static func newline(_ indent: Int?, to out: inout JSONBuffer) {
        guard let indent else { return }
        out.append(0x0A)
        for _ in 0..<indent * 2 { out.append(UInt8(ascii: " ")) }
    }
}
