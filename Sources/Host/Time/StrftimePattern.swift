/// An `os.date`-style pattern split into literal bytes and conversion specifiers, with
/// the composite ones expanded (`%F` = `%Y-%m-%d`, `%T` = `%H:%M:%S`, `%D` = `%m/%d/%y`,
/// `%R` = `%H:%M`). Shared by `time.format` and `time.parse`, so both accept the same
/// specifiers:
///
/// `%Y` year, `%y` year of the century, `%m` month, `%d` day, `%e` day padded with a
/// space, `%j` day of the year, `%H` hour (00-23), `%I` hour (01-12), `%p` AM/PM, `%M`
/// minute, `%S` second, `%a` `%A` weekday name, `%b` `%h` `%B` month name, `%u` weekday
/// (1 = Monday), `%w` weekday (0 = Sunday), `%z` offset (`+0300`), `%Z` zone abbreviation,
/// `%s` epoch seconds, `%n` `%t` newline and tab, `%%` a percent sign.
enum StrftimePattern {
    enum Token: Equatable {
        case literal(UInt8)
        case field(UInt8)
    }

    /// A specifier the module does not know, with its 1-based position in the pattern.
    struct UnknownSpecifier: Error {
        let specifier: String
        let position: Int
    }

    private static let simple: Set<UInt8> = Set("YymdejHIpMSaAbhBuwzZs".utf8)

    private static let composites: [UInt8: [UInt8]] = [
        UInt8(ascii: "F"): Array("Y-m-d".utf8),
        UInt8(ascii: "T"): Array("H:M:S".utf8),
        UInt8(ascii: "D"): Array("m/d/y".utf8),
        UInt8(ascii: "R"): Array("H:M".utf8),
    ]

    static func tokens(_ pattern: UnsafeRawBufferPointer) -> Result<[Token], UnknownSpecifier> {
        var out: [Token] = []
        out.reserveCapacity(pattern.count)
        var i = 0
        while i < pattern.count {
            let byte = pattern[i]
            guard byte == UInt8(ascii: "%") else {
                out.append(.literal(byte))
                i += 1
                continue
            }
            guard i + 1 < pattern.count else {
                return .failure(UnknownSpecifier(specifier: "%", position: i + 1))
            }
            let spec = pattern[i + 1]
            switch spec {
            case UInt8(ascii: "%"): out.append(.literal(spec))
            case UInt8(ascii: "n"): out.append(.literal(0x0A))
            case UInt8(ascii: "t"): out.append(.literal(0x09))
            case _ where simple.contains(spec): out.append(.field(spec))
            case _ where composites[spec] != nil:
                for part in composites[spec]! {
                    out.append(isLetter(part) ? .field(part) : .literal(part))
                }
            default:
                let shown = spec < 0x80 ? "%" + String(UnicodeScalar(spec)) : "%\\\(spec)"
                return .failure(UnknownSpecifier(specifier: shown, position: i + 1))
            }
            i += 2
        }
        return .success(out)
    }

    private static func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }

    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December",
    ]
}
