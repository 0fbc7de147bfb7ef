/// The rules both engines apply to an answer's status line and framing headers, so that a
/// server cannot make the two read one answer differently. A breach is the transport
/// failure `other` with the detail given here.
enum ResponseFraming {
    /// Why `status` is not an HTTP status a script may see (outside 100-599), or nil.
    static func statusProblem(_ status: Int) -> String? {
        (100...599).contains(status) ? nil : "the server answered with status \(status), outside 100-599"
    }

    /// The value of a `Content-Length` field: plain decimal digits only (no sign, no
    /// spaces inside, at most 18 digits); nil for anything else.
    static func contentLength<S: StringProtocol>(_ value: S) -> Int? {
        let digits = value.utf8
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var length = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return length
    }

    static func invalidContentLength<S: StringProtocol>(_ value: S) -> String {
        "the response has an invalid Content-Length \(String(value).debugDescription)"
    }

    /// Whether the last transfer coding of a `Transfer-Encoding` value is `chunked` (the
    /// only coding that frames a body; with any other last, the body runs to the close).
    static func endsWithChunked<S: StringProtocol>(_ value: S) -> Bool {
        let last = value.split(separator: ",").last ?? ""
        return last.trimmingSpacesAndTabs().equalsASCIIIgnoringCase("chunked")
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional white space).
    func trimmingSpacesAndTabs() -> SubSequence {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
