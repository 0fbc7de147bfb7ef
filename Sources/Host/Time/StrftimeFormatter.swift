/// Writes an instant in a zone by a tokenized `os.date` pattern (see `StrftimePattern`).
/// `%z` has minute precision, like C's: the local mean time offsets zones had before
/// ~1920 (Moscow +02:30:17) lose their seconds.
enum StrftimeFormatter {
    static func format(_ tokens: [StrftimePattern.Token], epoch: Int64, zone: Zone) -> [UInt8] {
        let offset = zone.offset(at: epoch)
        let t = CivilTime(seconds: epoch + Int64(offset))
        var out = [UInt8]()
        out.reserveCapacity(tokens.count * 2)
        for token in tokens {
            switch token {
            case .literal(let byte):
                out.append(byte)
            case .field(let spec):
                append(spec, of: t, epoch: epoch, offset: offset, zone: zone, to: &out)
            }
        }
        return out
    }

    private static func append(
        _ spec: UInt8, of t: CivilTime, epoch: Int64, offset: Int, zone: Zone, to out: inout [UInt8]
    ) {
        func number(_ n: Int64, width: Int, pad: UInt8 = UInt8(ascii: "0")) {
            let digits = Array(String(abs(n)).utf8)
            if n < 0 { out.append(UInt8(ascii: "-")) }
            if digits.count < width { out += repeatElement(pad, count: width - digits.count) }
            out += digits
        }
        func text(_ s: String) { out += Array(s.utf8) }
        switch spec {
        case UInt8(ascii: "Y"): number(t.year, width: 4)
        case UInt8(ascii: "y"): number((t.year % 100 + 100) % 100, width: 2)
        case UInt8(ascii: "m"): number(Int64(t.month), width: 2)
        case UInt8(ascii: "d"): number(Int64(t.day), width: 2)
        case UInt8(ascii: "e"): number(Int64(t.day), width: 2, pad: UInt8(ascii: " "))
        case UInt8(ascii: "j"): number(Int64(t.dayOfYear), width: 3)
        case UInt8(ascii: "H"): number(Int64(t.hour), width: 2)
        case UInt8(ascii: "I"): number(Int64(t.hour % 12 == 0 ? 12 : t.hour % 12), width: 2)
        case UInt8(ascii: "p"): text(t.hour < 12 ? "AM" : "PM")
        case UInt8(ascii: "M"): number(Int64(t.minute), width: 2)
        case UInt8(ascii: "S"): number(Int64(t.second), width: 2)
        case UInt8(ascii: "a"): text(String(StrftimePattern.weekdayNames[t.weekday].prefix(3)))
        case UInt8(ascii: "A"): text(StrftimePattern.weekdayNames[t.weekday])
        case UInt8(ascii: "b"), UInt8(ascii: "h"): text(String(StrftimePattern.monthNames[t.month - 1].prefix(3)))
        case UInt8(ascii: "B"): text(StrftimePattern.monthNames[t.month - 1])
        case UInt8(ascii: "u"): number(Int64(t.weekday == 0 ? 7 : t.weekday), width: 1)
        case UInt8(ascii: "w"): number(Int64(t.weekday), width: 1)
        case UInt8(ascii: "z"): text(Zone.formatOffset(offset))
        case UInt8(ascii: "Z"): text(zone.abbreviation(at: epoch))
        case UInt8(ascii: "s"): number(epoch, width: 1)
        default: break  // StrftimePattern admits no other field.
        }
    }
}
