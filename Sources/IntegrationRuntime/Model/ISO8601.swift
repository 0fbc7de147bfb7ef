/// ISO 8601 UTC times (`2026-11-20T10:00:00Z`) to and from epoch seconds, without Foundation.
public enum ISO8601 {
    /// Accepts `YYYY-MM-DDTHH:MM:SS` with an optional fraction, then `Z` or `±HH:MM`
    /// (no zone means UTC), or a bare `YYYY-MM-DD`.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), b.count >= 10, b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
            (1...12).contains(mo), (1...31).contains(d)
        else { return nil }
        var seconds = 0
        var i = 10
        if b.count > 10 {
            guard b[10] == 84 || b[10] == 32, let h = num(11, 2), b.count > 13, b[13] == 58, let mi = num(14, 2),
                h < 24, mi < 60
            else { return nil }
            seconds = h * 3600 + mi * 60
            i = 16
            if i < b.count, b[i] == 58 {
                guard let s = num(17, 2), s < 61 else { return nil }
                seconds += s
                i = 19
            }
            if i < b.count, b[i] == 46 {
                i += 1
                while i < b.count, b[i] >= 48 && b[i] <= 57 { i += 1 }
            }
            if i < b.count {
                if b[i] == 90 {
                    i += 1
                } else if b[i] == 43 || b[i] == 45, let oh = num(i + 1, 2) {
                    var om = 0
                    var j = i + 3
                    if j < b.count, b[j] == 58 { j += 1 }
                    if let m = num(j, 2) { om = m; j += 2 }
                    let offset = oh * 3600 + om * 60
                    seconds += b[i] == 43 ? -offset : offset
                    i = j
                } else {
                    return nil
                }
            }
            guard i == b.count else { return nil }
        }
        return Int64(daysFromCivil(y, mo, d)) * 86400 + Int64(seconds)
    }

    /// `2026-11-20T10:00:00Z`.
    public static func format(_ epoch: Int64) -> String {
        let days = Int(epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400)
        let rem = Int(epoch - Int64(days) * 86400)
        let (y, m, d) = civilFromDays(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(rem / 3600)):\(two(rem / 60 % 60)):\(two(rem % 60))Z"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
