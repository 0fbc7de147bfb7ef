@_spi(LuaCodecs) import LeadJSON

extension SecretMasker {
    /// `mask(value).encoded()` in one pass: each string, key and number is masked as it is
    /// written, so no masked copy of the tree is built and a text with no secret in it is
    /// written without being copied. What a store keeps of every attempt goes through here.
    ///
    /// The result is the same text as `mask(value).encoded()`; where masking changes an
    /// object's key (two keys could then become one), that object is masked as a tree first.
    public func maskedEncoding(_ value: JSONValue) -> String {
        var out = JSONBuffer(capacity: 1024)
        writeMasked(value, to: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    private func writeMasked(_ value: JSONValue, to out: inout JSONBuffer) {
        switch value {
        case .null: out.append("null" as StaticString)
        case .bool(let b): out.append(b ? "true" : "false" as StaticString)
        case .integer, .number: writeNumber(value, to: &out)
        case .string(let s): writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeMasked(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            guard !fields.keys.contains(where: changes) else {
                out.append(mask(value).encoded())
                return
            }
            out.append(UInt8(ascii: "{"))
            let keys = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.writePlain(key, to: &out)
                out.append(UInt8(ascii: ":"))
                var field = fields[key]!
                if case .string(let s) = field, CredentialHeaders.carriesCredentials(key) {
                    field = .string(CredentialHeaders.masked(name: key, value: s))
                }
                writeMasked(field, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A number as written, or the string it becomes when (a form of) a secret is in it.
    private func writeNumber(_ value: JSONValue, to out: inout JSONBuffer) {
        let start = out.count
        switch value {
        case .integer(let i): JSONWriter.appendInteger(i, to: &out)
        case .number(let d): if !JSONWriter.appendDouble(d, to: &out) { out.append("null" as StaticString) }
        default: return
        }
        guard !isEmpty else { return }
        let written = UnsafeBufferPointer(start: out.base + start, count: out.count - start)
        guard let masked = maskedIfFound(written) else { return }
        out.count = start
        Self.writePlain(String(decoding: masked, as: UTF8.self), to: &out)
    }

    private func writeString(_ s: String, to out: inout JSONBuffer) {
        var s = s
        let masked = s.withUTF8 { text -> [UInt8]? in
            guard let masked = maskedIfFound(text) else {
                _ = JSONWriter.appendString(UnsafeRawBufferPointer(text), to: &out)  // a String is valid UTF-8
                return nil
            }
            return masked
        }
        // `mask(String)` decodes the masked bytes as a String (repairing any invalid UTF-8).
        if let masked { Self.writePlain(String(decoding: masked, as: UTF8.self), to: &out) }
    }

    private static func writePlain(_ s: String, to out: inout JSONBuffer) {
        var s = s
        _ = s.withUTF8 { JSONWriter.appendString(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// True when masking changes `key`.
    private func changes(_ key: String) -> Bool {
        guard !isEmpty else { return false }
        var key = key
        return key.withUTF8 { maskedIfFound($0) != nil }
    }

    /// `text` masked as `mask(_: [UInt8])` masks it, or nil when nothing in it is a secret
    /// (nothing copied then).
    func maskedIfFound(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard !isEmpty else { return nil }
        if namesSecrets {
            let (ranges, owners) = namedMatches(in: text)
            guard !ranges.isEmpty else { return nil }
            let marks = owners.map { owner in names[owner].map { Self.mark + $0 + Self.mark } ?? Self.mark }
            return Self.replacing(ranges, in: Array(text), marks: marks)
        }
        let ranges = matches(in: text)
        return ranges.isEmpty ? nil : Self.replacing(ranges, in: Array(text))
    }
}
