/// Reads a date written by a tokenized `os.date` pattern back into epoch seconds, the
/// inverse of `StrftimeFormatter` for the same specifiers.
///
/// Leniencies, as `strptime` has them: numbers may have fewer digits than their width
/// (`%m` reads `7` or `07`), names are matched without regard to case and in full or
/// abbreviated form, whitespace in the pattern matches any run of whitespace (also
/// none), `%S` takes optional fractional seconds (`05.123`, dropped), `%z` takes `Z`,
/// `+03`, `+0300` or `+03:00`. A weekday name is checked for spelling, not against the
/// date. Missing fields default to 1970-01-01 00:00:00.
struct StrftimeParser {
    /// Why the input does not match, in words naming the 1-based position.
    struct Mismatch: Error {
        let message: String
    }

    private let input: [UInt8]
    private var pos = 0

    private var year: Int64?
    private var shortYear: Int64?
    private var month: Int?
    private var day: Int?
    private var dayOfYear: Int?
    private var hour = 0
    private var hour12: Int?
    private var isPM: Bool?
    private var minute = 0
    private var second = 0
    private var offset: Int?
    private var epoch: Int64?

    private init(input: [UInt8]) { self.input = input }

    static func parse(_ input: [UInt8], tokens: [StrftimePattern.Token], zone: Zone) -> Result<Int64, Mismatch> {
        var parser = StrftimeParser(input: input)
        do throws(Mismatch) {
            for token in tokens { try parser.read(token) }
            if parser.pos < parser.input.count {
                throw parser.mismatch("unexpected \(parser.found) after the end of the pattern")
            }
            return .success(try parser.epochSeconds(zone: zone))
        } catch {
            return .failure(error)
        }
    }

    // MARK: Reading

    private mutating func read(_ token: StrftimePattern.Token) throws(Mismatch) {
        switch token {
        case .literal(let byte) where isSpace(byte):
            while pos < input.count, isSpace(input[pos]) { pos += 1 }
        case .literal(let byte):
            guard pos < input.count, input[pos] == byte else {
                throw mismatch("expected '\(String(decoding: [byte], as: UTF8.self))', found \(found)")
            }
            pos += 1
        case .field(let spec):
            try read(field: spec)
        }
    }

    private mutating func read(field spec: UInt8) throws(Mismatch) {
        switch spec {
        case UInt8(ascii: "Y"): year = try number(digits: 4, in: 0...9999, "a year (%Y)")
        case UInt8(ascii: "y"): shortYear = try number(digits: 2, in: 0...99, "a two-digit year (%y)")
        case UInt8(ascii: "m"): month = Int(try number(digits: 2, in: 1...12, "a month 01-12 (%m)"))
        case UInt8(ascii: "d"): day = Int(try number(digits: 2, in: 1...31, "a day 01-31 (%d)"))
        case UInt8(ascii: "e"):
            if pos < input.count, input[pos] == UInt8(ascii: " ") { pos += 1 }
            day = Int(try number(digits: 2, in: 1...31, "a day 1-31 (%e)"))
        case UInt8(ascii: "j"): dayOfYear = Int(try number(digits: 3, in: 1...366, "a day of the year 001-366 (%j)"))
        case UInt8(ascii: "H"): hour = Int(try number(digits: 2, in: 0...23, "an hour 00-23 (%H)"))
        case UInt8(ascii: "I"): hour12 = Int(try number(digits: 2, in: 1...12, "an hour 01-12 (%I)"))
        case UInt8(ascii: "M"): minute = Int(try number(digits: 2, in: 0...59, "a minute 00-59 (%M)"))
        case UInt8(ascii: "S"):
            second = Int(try number(digits: 2, in: 0...60, "a second 00-60 (%S)"))
            readFraction()
        case UInt8(ascii: "p"):
            let index = try name(among: ["AM", "PM"], "AM or PM (%p)")
            isPM = index == 1
        case UInt8(ascii: "a"), UInt8(ascii: "A"):
            _ = try name(among: StrftimePattern.weekdayNames, "a weekday name (%\(String(UnicodeScalar(spec))))")
        case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "h"):
            month = try name(among: StrftimePattern.monthNames, "a month name (%\(String(UnicodeScalar(spec))))") + 1
        case UInt8(ascii: "u"): _ = try number(digits: 1, in: 1...7, "a weekday 1-7 (%u)")
        case UInt8(ascii: "w"): _ = try number(digits: 1, in: 0...6, "a weekday 0-6 (%w)")
        case UInt8(ascii: "z"): offset = try zoneOffset()
        case UInt8(ascii: "Z"): offset = try zoneName()
        case UInt8(ascii: "s"):
            let negative = pos < input.count && input[pos] == UInt8(ascii: "-")
            if negative { pos += 1 }
            let value = try number(digits: 12, in: 0...999_999_999_999, "epoch seconds (%s)")
            epoch = negative ? -value : value
        default: break  // StrftimePattern admits no other field.
        }
    }

    /// Up to `digits` decimal digits (at least one), checked against `range`.
    private mutating func number(digits: Int, in range: ClosedRange<Int64>, _ what: String) throws(Mismatch) -> Int64 {
        let start = pos
        var value: Int64 = 0
        while pos < input.count, pos - start < digits, let d = digit(input[pos]) {
            value = value * 10 + Int64(d)
            pos += 1
        }
        guard pos > start else {
            throw mismatch("expected \(what), found \(found)")
        }
        guard range.contains(value) else {
            pos = start
            throw mismatch("expected \(what), found \(value)")
        }
        return value
    }

    /// `.123` or `,123` after seconds: read and dropped.
    private mutating func readFraction() {
        guard pos + 1 < input.count, input[pos] == UInt8(ascii: ".") || input[pos] == UInt8(ascii: ","),
            digit(input[pos + 1]) != nil
        else { return }
        pos += 1
        while pos < input.count, digit(input[pos]) != nil { pos += 1 }
    }

    /// The index in `names` of the full or three-letter name at the cursor.
    private mutating func name(among names: [String], _ what: String) throws(Mismatch) -> Int {
        for form in [0, 3] {
            for (index, full) in names.enumerated() {
                let candidate = Array((form == 0 ? full : String(full.prefix(form))).lowercased().utf8)
                guard pos + candidate.count <= input.count else { continue }
                let slice = input[pos..<(pos + candidate.count)].map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
                if slice.elementsEqual(candidate) {
                    pos += candidate.count
                    return index
                }
            }
        }
        throw mismatch("expected \(what), found \(found)")
    }

    /// `Z`, `+hh`, `+hhmm` or `+hh:mm` (or `-`), in seconds east of UTC.
    private mutating func zoneOffset() throws(Mismatch) -> Int {
        let what = "an offset like +0300, +03:00 or Z (%z)"
        guard pos < input.count else { throw mismatch("expected \(what), found \(found)") }
        if input[pos] == UInt8(ascii: "Z") || input[pos] == UInt8(ascii: "z") {
            pos += 1
            return 0
        }
        let sign = input[pos]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { throw mismatch("expected \(what), found \(found)") }
        let start = pos
        pos += 1
        guard pos + 2 <= input.count, let h1 = digit(input[pos]), let h2 = digit(input[pos + 1]) else {
            pos = start
            throw mismatch("expected \(what), found \(found)")
        }
        pos += 2
        var minutes = 0
        let colon = pos < input.count && input[pos] == UInt8(ascii: ":")
        let m = colon ? pos + 1 : pos
        if m + 2 <= input.count, let m1 = digit(input[m]), let m2 = digit(input[m + 1]) {
            minutes = m1 * 10 + m2
            pos = m + 2
        }
        let hours = h1 * 10 + h2
        guard hours <= 23, minutes <= 59 else {
            pos = start
            throw mismatch("expected \(what), found an offset out of range")
        }
        let seconds = (hours * 60 + minutes) * 60
        return sign == UInt8(ascii: "-") ? -seconds : seconds
    }

    /// `UTC`, `GMT` or `Z` (offset 0), or an offset as `%z` reads it. Other abbreviations
    /// are ambiguous (`IST`, `CST`) and refused.
    private mutating func zoneName() throws(Mismatch) -> Int {
        if pos < input.count, input[pos] == UInt8(ascii: "+") || input[pos] == UInt8(ascii: "-") { return try zoneOffset() }
        let start = pos
        while pos < input.count, (0x41...0x5A).contains(input[pos]) || (0x61...0x7A).contains(input[pos]) { pos += 1 }
        let word = String(decoding: input[start..<pos], as: UTF8.self)
        if ["UTC", "GMT", "Z"].contains(word.uppercased()) { return 0 }
        pos = start
        if word.isEmpty { throw mismatch("expected a zone (UTC, GMT or an offset) (%Z), found \(found)") }
        throw mismatch("cannot read the zone abbreviation '\(word)' (ambiguous; use an offset and %z, or pass the tz argument)")
    }

    // MARK: Result

    private func epochSeconds(zone: Zone) throws(Mismatch) -> Int64 {
        if let epoch { return epoch }
        // %y as POSIX reads it: 69-99 are 1969-1999, 00-68 are 2000-2068.
        let y = year ?? shortYear.map { $0 < 69 ? 2000 + $0 : 1900 + $0 } ?? 1970
        var m = month ?? 1
        var d = day ?? 1
        if month == nil, day == nil, let dayOfYear {
            let days = CivilTime.days(year: y, month: 1, day: 1) + Int64(dayOfYear - 1)
            let date = CivilTime.civil(fromDays: days)
            guard date.year == y else { throw Mismatch(message: "time.parse: day \(dayOfYear) of the year does not exist in \(y)") }
            (m, d) = (date.month, date.day)
        }
        guard d <= CivilTime.daysInMonth(year: y, month: m) else {
            throw Mismatch(message: "time.parse: \(StrftimePattern.monthNames[m - 1]) \(d) does not exist in \(y)")
        }
        var h = hour
        if let hour12 { h = hour12 % 12 + (isPM == true ? 12 : 0) }
        let local = CivilTime(year: y, month: m, day: d, hour: h, minute: minute, second: second).seconds
        if let offset { return local - Int64(offset) }
        return zone.utcEpoch(fromLocal: local)
    }

    // MARK: Helpers

    private func mismatch(_ text: String) -> Mismatch {
        Mismatch(message: "time.parse: position \(pos + 1): \(text)")
    }

    /// What is at the cursor, for messages: `'x'` or `end of input`.
    private var found: String {
        guard pos < input.count else { return "end of input" }
        let rest = input[pos...].prefix(12)
        return "'" + String(decoding: rest, as: UTF8.self) + (input.count - pos > 12 ? "…'" : "'")
    }

    private func digit(_ b: UInt8) -> Int? { (0x30...0x39).contains(b) ? Int(b - 0x30) : nil }
    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
}
