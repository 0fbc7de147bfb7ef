import Foundation
import XCTest

@testable import LeadRelayService

/// Working hours in a time zone: parsing, open or closed at a time, the next opening.
final class WorkingHoursTests: XCTestCase {
    /// 2026-12-07 is a Monday. Berlin is UTC+1 in December.
    static func utc(_ text: String) -> Double { ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970 }

    func testParsesAndWritesBack() {
        XCTAssertEqual(WorkingHours("Mon-Fri 09:00-18:00 Europe/Berlin")?.description, "Mon-Fri 09:00-18:00 Europe/Berlin")
        XCTAssertEqual(WorkingHours("mon,wed,sat 10:00-14:30 UTC")?.description, "Mon,Wed,Sat 10:00-14:30 UTC")
        XCTAssertEqual(WorkingHours("* 22:00-06:00 Asia/Tokyo")?.days, Set(1...7))
        XCTAssertEqual(WorkingHours("Sat-Sun 00:00-24:00 UTC")?.to, 1440)
        for bad in [
            "Mon-Fri 09:00-18:00", "Mon-Fri 9:00-18:00 UTC", "Fri-Mon 09:00-18:00 UTC", "Mon-Fri 09:00-09:00 UTC",
            "Mon-Fri 09:00-18:00 Mars/Base",
            "Mon-Fri 25:00-26:00 UTC", "Funday 09:00-18:00 UTC", "",
        ] {
            XCTAssertNil(WorkingHours(bad), bad)
        }
    }

    func testOpenInsideTheWindowInItsTimeZone() throws {
        let hours = try XCTUnwrap(WorkingHours("Mon-Fri 09:00-18:00 Europe/Berlin"))
        XCTAssertFalse(hours.isOpen(at: Self.utc("2026-12-07T07:59:00Z")), "08:59 in Berlin")
        XCTAssertTrue(hours.isOpen(at: Self.utc("2026-12-07T08:00:00Z")), "09:00 in Berlin")
        XCTAssertTrue(hours.isOpen(at: Self.utc("2026-12-07T16:59:00Z")))
        XCTAssertFalse(hours.isOpen(at: Self.utc("2026-12-07T17:00:00Z")), "18:00 in Berlin: closed")
        XCTAssertFalse(hours.isOpen(at: Self.utc("2026-12-12T10:00:00Z")), "Saturday")
    }

    func testAWindowPastMidnightBelongsToTheDayItStarts() throws {
        let hours = try XCTUnwrap(WorkingHours("Fri 22:00-06:00 UTC"))
        XCTAssertTrue(hours.isOpen(at: Self.utc("2026-12-11T23:00:00Z")), "Friday night")
        XCTAssertTrue(hours.isOpen(at: Self.utc("2026-12-12T05:59:00Z")), "Saturday morning, from Friday's window")
        XCTAssertFalse(hours.isOpen(at: Self.utc("2026-12-12T23:00:00Z")), "Saturday night")
        XCTAssertFalse(hours.isOpen(at: Self.utc("2026-12-11T05:00:00Z")), "Friday morning belongs to Thursday")
    }

    func testTheNextOpening() throws {
        let hours = try XCTUnwrap(WorkingHours("Mon-Fri 09:00-18:00 Europe/Berlin"))
        XCTAssertEqual(
            hours.nextOpening(after: Self.utc("2026-12-11T18:30:00Z")), Self.utc("2026-12-14T08:00:00Z"), "Friday evening: Monday")
        XCTAssertEqual(hours.nextOpening(after: Self.utc("2026-12-08T06:00:00Z")), Self.utc("2026-12-08T08:00:00Z"), "early: today")
        let inside = Self.utc("2026-12-08T10:00:00Z")
        XCTAssertEqual(hours.nextOpening(after: inside), inside, "open now: now")
        XCTAssertEqual(hours.dayStart(at: Self.utc("2026-12-07T23:30:00Z")), Self.utc("2026-12-07T23:00:00Z"), "Berlin's midnight")
    }
}
