import Foundation

/// When a route takes leads: on some weekdays, between two times of day, in a time zone
/// (the buyer's call centre works Monday to Friday, 09:00 to 18:00, Berlin time). A window
/// whose end is before its start runs past midnight (`22:00-06:00`: from 22:00 to 06:00
/// the next morning, which belongs to the day it started). Written as text:
/// `Mon-Fri 09:00-18:00 Europe/Berlin`, `Mon,Wed,Sat 10:00-14:30 UTC`, `* 22:00-06:00 Asia/Tokyo`.
public struct WorkingHours: Sendable, Equatable, CustomStringConvertible {
    /// ISO weekdays (1 Monday ... 7 Sunday) a window may start on.
    public let days: Set<Int>
    /// Minutes after midnight.
    public let from: Int
    public let to: Int
    /// An IANA time zone name (`Europe/Berlin`).
    public let timeZone: String
    private let zone: TimeZone

    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    public init?(days: Set<Int>, from: Int, to: Int, timeZone: String) {
        guard !days.isEmpty, days.allSatisfy({ (1...7).contains($0) }), (0..<1440).contains(from), (0...1440).contains(to), from != to,
            let zone = TimeZone(identifier: timeZone)
        else { return nil }
        self.days = days
        self.from = from
        self.to = to
        self.timeZone = timeZone
        self.zone = zone
    }

    /// Parses `DAYS HH:MM-HH:MM ZONE`; DAYS is `*`, a range (`Mon-Fri`) or a list
    /// (`Mon,Wed`); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, let days = Self.days(String(parts[0])) else { return nil }
        let times = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        guard times.count == 2, let from = Self.minutes(times[0]), let to = Self.minutes(times[1]) else { return nil }
        self.init(days: days, from: from, to: to, timeZone: String(parts[2]))
    }

    public var description: String {
        let sorted = days.sorted()
        let dayText: String
        if sorted.count == 7 {
            dayText = "*"
        } else if sorted.count > 1, sorted.last! - sorted.first! == sorted.count - 1 {
            dayText = "\(Self.dayNames[sorted.first! - 1])-\(Self.dayNames[sorted.last! - 1])"
        } else {
            dayText = sorted.map { Self.dayNames[$0 - 1] }.joined(separator: ",")
        }
        return "\(dayText) \(Self.clock(from))-\(Self.clock(to)) \(timeZone)"
    }

    /// Whether the route takes leads at `time` (seconds since 1970).
    public func isOpen(at time: Double) -> Bool {
        let (weekday, minute) = local(time)
        if from < to { return days.contains(weekday) && minute >= from && minute < to }
        // Past midnight: the evening part belongs to today, the morning part to yesterday.
        let yesterday = weekday == 1 ? 7 : weekday - 1
        return (days.contains(weekday) && minute >= from) || (days.contains(yesterday) && minute < to)
    }

    /// The first time at or after `time` when the route takes leads (a minute boundary).
    public func nextOpening(after time: Double) -> Double {
        if isOpen(at: time) { return time }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.startOfDay(for: Date(timeIntervalSince1970: time))
        for offset in 0...8 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: start),
                let opening = calendar.date(bySettingHour: from / 60, minute: from % 60, second: 0, of: day)
            else { continue }
            let candidate = opening.timeIntervalSince1970
            if candidate >= time, isOpen(at: candidate) { return candidate }
        }
        return time + 86_400  // unreachable for a valid value: every window opens within a week
    }

    /// The start of the local day `time` falls in (a daily cap counts from it).
    public func dayStart(at time: Double) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.startOfDay(for: Date(timeIntervalSince1970: time)).timeIntervalSince1970
    }

    private func local(_ time: Double) -> (weekday: Int, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: Date(timeIntervalSince1970: time))
        let weekday = ((parts.weekday ?? 1) + 5) % 7 + 1  // Calendar: 1 Sunday; ISO: 1 Monday
        return (weekday, (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    private static func days(_ text: String) -> Set<Int>? {
        if text == "*" { return Set(1...7) }
        func day(_ name: Substring) -> Int? { dayNames.firstIndex { $0.lowercased() == name.lowercased() }.map { $0 + 1 } }
        let range = text.split(separator: "-")
        if range.count == 2, let first = day(range[0]), let last = day(range[1]), first <= last { return Set(first...last) }
        var set: Set<Int> = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let number = day(name) else { return nil }
            set.insert(number)
        }
        return set
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 1440
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    public static func == (a: WorkingHours, b: WorkingHours) -> Bool {
        a.days == b.days && a.from == b.from && a.to == b.to && a.timeZone == b.timeZone
    }
}
