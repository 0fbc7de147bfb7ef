/// Splits the raw header block libcurl delivered (status line, `Name: value` lines, blank
/// line) into fields with lower-cased names and trimmed values, in order. Obsolete line
/// folding (a line starting with a space or tab) continues the previous value.
func responseHeaderFields(_ block: [UInt8]) -> [(name: String, value: String)] {
    var fields: [(name: String, value: String)] = []
    block.withUnsafeBufferPointer { bytes in
        // At most one field per line: one allocation, instead of growing 1, 2, 4...
        var lines = 0
        for byte in bytes where byte == UInt8(ascii: "\n") { lines += 1 }
        fields.reserveCapacity(lines)
        var lineStart = 0
        var isStatusLine = true
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = lineEnd + 1
            if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            defer { lineStart = next }
            if isStatusLine {
                isStatusLine = false
                continue
            }
            if lineEnd == lineStart { continue }
            if bytes[lineStart] == UInt8(ascii: " ") || bytes[lineStart] == UInt8(ascii: "\t") {
                if !fields.isEmpty {
                    let more = trimmed(bytes, lineStart, lineEnd)
                    fields[fields.count - 1].value += " " + String(decoding: bytes[more], as: UTF8.self)
                }
                continue
            }
            guard let colon = (lineStart..<lineEnd).first(where: { bytes[$0] == UInt8(ascii: ":") }) else { continue }
            let name = String(unsafeUninitializedCapacity: colon - lineStart) { out in
                for i in lineStart..<colon {
                    let b = bytes[i]
                    out[i - lineStart] = (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) ? b + 32 : b
                }
                return colon - lineStart
            }
            fields.append((name, String(decoding: bytes[trimmed(bytes, colon + 1, lineEnd)], as: UTF8.self)))
        }
    }
    return fields
}

private func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
    var start = start
    var end = end
    while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
    while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
    return start..<end
}
