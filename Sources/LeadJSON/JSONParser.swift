/// Parses JSON text into a `JSONValue` (for fixtures, CLI files and host-side values;
/// scripts use `LuaJSONDecoder`, which pushes Lua values without this intermediate).
struct JSONParser: ~Copyable {
    private var scanner: JSONScanner

    private init(_ text: UnsafeRawBufferPointer) { scanner = JSONScanner(text) }

    static func parse(_ text: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(text)
        if let error = parser.scanner.error { throw error }
        let value = parser.value(depth: 0)
        if let value {
            parser.scanner.skipWhitespace()
            if parser.scanner.isAtEnd { return value }
            parser.scanner.fail("unexpected characters after the JSON value", at: parser.scanner.position)
        }
        throw parser.scanner.error!
    }

    private mutating func value(depth: Int) -> JSONValue? {
        scanner.skipWhitespace()
        guard !scanner.isAtEnd else { return failed("unexpected end of input") }
        switch scanner.current {
        case UInt8(ascii: "{"): return object(depth: depth + 1)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "\""):
            guard let bytes = scanner.scanString() else { return nil }
            return .string(String(decoding: bytes, as: UTF8.self))
        case UInt8(ascii: "t"): return scanner.scanLiteral("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return scanner.scanLiteral("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return scanner.scanLiteral("null") ? .null : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            switch scanner.scanNumber() {
            case .integer(let i)?: return .integer(i)
            case .double(let d)?: return .number(d)
            case nil: return nil
            }
        default: return failed("expected a value")
        }
    }

    private mutating func object(depth: Int) -> JSONValue? {
        guard depth <= JSONValue.maximumDepth else { return failed("nesting deeper than \(JSONValue.maximumDepth)") }
        scanner.position += 1
        var members: [String: JSONValue] = [:]
        scanner.skipWhitespace()
        if !scanner.isAtEnd && scanner.current == UInt8(ascii: "}") {
            scanner.position += 1
            return .object(members)
        }
        while true {
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { return failed("unexpected end of input") }
            guard scanner.current == UInt8(ascii: "\"") else { return failed("expected a string key") }
            let keyOffset = scanner.position
            guard let keyBytes = scanner.scanString() else { return nil }
            let key = String(decoding: keyBytes, as: UTF8.self)
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { return failed("unexpected end of input") }
            guard scanner.current == UInt8(ascii: ":") else { return failed("expected ':'") }
            scanner.position += 1
            guard let member = value(depth: depth) else { return nil }
            // A repeated key keeps its last value. Keys compare as Unicode text, so a key
            // that only looks repeated (`é` as U+00E9, then as `e` + U+0301) would take the
            // member of a different key: refused, since `json.decode` keeps both apart.
            if members.updateValue(member, forKey: key) != nil, let earlier = members.index(forKey: key),
                !members.keys[earlier].utf8.elementsEqual(key.utf8)
            {
                let message = JSONParseError.sameTextKeys(key, members.keys[earlier])
                scanner.fail(message, at: keyOffset)
                return nil
            }
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { return failed("unexpected end of input") }
            switch scanner.current {
            case UInt8(ascii: ","): scanner.position += 1
            case UInt8(ascii: "}"):
                scanner.position += 1
                return .object(members)
            default: return failed("expected ',' or '}'")
            }
        }
    }

    private mutating func array(depth: Int) -> JSONValue? {
        guard depth <= JSONValue.maximumDepth else { return failed("nesting deeper than \(JSONValue.maximumDepth)") }
        scanner.position += 1
        var elements: [JSONValue] = []
        scanner.skipWhitespace()
        if !scanner.isAtEnd && scanner.current == UInt8(ascii: "]") {
            scanner.position += 1
            return .array(elements)
        }
        while true {
            guard let element = value(depth: depth) else { return nil }
            elements.append(element)
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { return failed("unexpected end of input") }
            switch scanner.current {
            case UInt8(ascii: ","): scanner.position += 1
            case UInt8(ascii: "]"):
                scanner.position += 1
                return .array(elements)
            default: return failed("expected ',' or ']'")
            }
        }
    }

    /// Records `message` at the cursor.
    private mutating func failed(_ message: String) -> JSONValue? {
        scanner.fail(message, at: scanner.position)
        return nil
    }
}
