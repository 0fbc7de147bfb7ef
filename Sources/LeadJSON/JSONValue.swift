/// A JSON document as a Swift value: fixtures, CLI input and output, parameters and
/// results cross the host boundary in this form.
///
/// Numbers keep the distinction the contract makes: `integer` for numbers written
/// without fraction or exponent that fit in 64 bits, `number` for every other number.
///
///     let lead = try JSONValue.parse(#"{"id":"L-1","items":[{"count":1}]}"#)
///     lead["items"]?.arrayValue?.first?["count"]?.int64Value   // 1
///     lead.encoded()                                           // compact, sorted keys
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The deepest nesting of arrays and objects the codecs accept, on both sides of the
    /// Lua boundary (contract, section 4).
    public static let maximumDepth = 200

    /// Parses JSON text (RFC 8259, strict: no comments, no trailing commas, no leading
    /// byte order mark, at most `maximumDepth` levels of nesting).
    public static func parse(_ string: String) throws(JSONParseError) -> JSONValue {
        var text = string
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(UnsafeRawBufferPointer(buffer)) }
        }.get()
    }

    /// Parses JSON text given as UTF-8 bytes.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let contiguous: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(UnsafeRawBufferPointer(buffer)) }
        }
        if let contiguous { return try contiguous.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(buffer) }
        }.get()
    }
}
