import Foundation
import Synchronization

/// A time zone by IANA name, as `time.format` and `time.parse` use it. UTC is computed
/// directly; other zones ask Foundation's `TimeZone` for their offset at an instant (it
/// reads the tz database and is thread-safe, unlike C's `TZ` + `localtime`).
struct Zone {
    /// `nil` for UTC.
    let timeZone: TimeZone?

    static let utc = Zone(timeZone: nil)

    private static let cache = Mutex<[String: TimeZone]>([:])

    /// The zone named `name` (`nil` or `"UTC"` give UTC), or `nil` when there is none.
    static func named(_ name: String?) -> Zone? {
        guard let name, name != "UTC", name != "Etc/UTC" else { return .utc }
        if let cached = cache.withLock({ $0[name] }) { return Zone(timeZone: cached) }
        guard !name.isEmpty, name.utf8.count <= 64, let found = TimeZone(identifier: name) else { return nil }
        cache.withLock { $0[name] = found }
        return Zone(timeZone: found)
    }

    /// Seconds east of UTC at the instant `epoch`.
    func offset(at epoch: Int64) -> Int {
        guard let timeZone else { return 0 }
        return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    /// The zone's abbreviation at `epoch` when the tz data gives an alphabetic one in
    /// English (`UTC`, `GMT`, `EST`, `EDT`, `PST`), otherwise the offset as `+hhmm`
    /// (`+0300` for Moscow, `+0530` for Kolkata: Foundation names those `GMT+3`).
    func abbreviation(at epoch: Int64) -> String {
        guard let timeZone else { return "UTC" }
        let date = Date(timeIntervalSince1970: TimeInterval(epoch))
        let style: TimeZone.NameStyle = timeZone.isDaylightSavingTime(for: date) ? .shortDaylightSaving : .shortStandard
        if let name = timeZone.localizedName(for: style, locale: Self.english),
            (2...6).contains(name.utf8.count), name.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        {
            return name
        }
        return Self.formatOffset(offset(at: epoch))
    }

    private static let english = Locale(identifier: "en_US")

    /// The UTC instant of the local wall-clock time `local` (seconds since 1970-01-01 on
    /// the zone's clock).
    ///
    /// Around a transition a local time can exist twice (clocks go back) or not at all
    /// (clocks go forward). Both cases use the *earlier* offset, the one in effect before
    /// the transition: in an overlap that is the first of the two instants (01:30 in New
    /// York on the first Sunday of November is 05:30Z, EDT); in a gap the time is read
    /// with the old offset and lands after the jump (02:30 on the second Sunday of March
    /// is read as EST, 07:30Z, which is 03:30 EDT).
    func utcEpoch(fromLocal local: Int64) -> Int64 {
        guard timeZone != nil else { return local }
        let before = offset(at: local - 86_400)
        let after = offset(at: local + 86_400)
        if before == after {
            let guess = local - Int64(before)
            let actual = offset(at: guess)
            return actual == before ? guess : local - Int64(actual)
        }
        let first = local - Int64(before)
        if offset(at: first) == before { return first }
        let second = local - Int64(after)
        if offset(at: second) == after { return second }
        return first
    }

    /// `+hhmm` / `-hhmm` of an offset in seconds (as `%z` writes it).
    static func formatOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return sign + twoDigits(minutes / 60) + twoDigits(minutes % 60)
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
