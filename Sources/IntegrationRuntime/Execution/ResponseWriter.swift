import Host
import OutboundHTTP

/// Pushes a response table (contract, section 3) for an `OutboundResponse`.
struct ResponseWriter {
    let s: LuaState

    /// Pushes the response table; false when its body's JSON did not fit under the VM's
    /// memory cap (the table is pushed all the same, without `json`).
    @discardableResult
    func push(_ response: OutboundResponse) -> Bool {
        var fits = true
        s.newTable(recordCount: 6)
        s.push(response.status)
        s.setRawField(-2, "status")
        s.newTable(recordCount: Int32(response.headers.count))
        for (name, value) in response.headers {
            // Repeated headers are joined with ", " as HTTP allows.
            if s.rawField(-1, name) == .string, let previous = s.string(at: -1) {
                s.pop()
                s.push(previous + ", " + value)
            } else {
                s.pop()
                s.push(value)
            }
            s.setRawField(-2, name)
        }
        s.setRawField(-2, "headers")
        response.body.withUnsafeBytes { bytes in
            s.push(bytes: bytes)
            s.setRawField(-2, "body")
            if Self.looksLikeJSON(bytes) {
                switch LuaJSON.decode(s, bytes) {
                case nil: s.setRawField(-2, "json")
                case let error?: fits = error.limit != .memory
                }
            }
        }
        s.push(response.elapsed)
        s.setRawField(-2, "elapsed")
        if let failure = response.failure {
            s.push(failure.rawValue)
            s.setRawField(-2, "error")
        }
        return fits
    }

    /// Only bodies that start (after white space) like a JSON value are decoded.
    static func looksLikeJSON(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes {
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                return true
            default: return false
            }
        }
        return false
    }
}
