import Host
import XCTest

/// `time.format`, `time.iso` and `time.now`; expected values were computed independently
/// (Python's zoneinfo over the tz database).
final class TimeModuleTests: XCTestCase {
    /// The call host functions see while a test's chunk runs.
    private var call: HostCall?
    var vm: LuaVM!

    override func setUpWithError() throws { vm = try LuaVM() }

    private func failure(_ code: String) -> String {
        guard case .failure(let e) = vm.evaluate(in: call, code) else { return "no error" }
        return e.message
    }

    private func format(_ epoch: String, _ pattern: String = "%Y-%m-%d %H:%M:%S", _ tz: String? = nil) throws -> String? {
        let zone = tz.map { ", '\($0)'" } ?? ""
        return try vm.value(in: call, "return time.format(\(epoch), '\(pattern)'\(zone))")
    }

    /// 2026-11-20T10:00:00Z.
    private let instant = "1795168800"

    func testFormatUTCAndISO() throws {
        XCTAssertEqual(try format(instant), "2026-11-20 10:00:00")
        XCTAssertEqual(try format(instant, "%Y-%m-%d %H:%M:%S", "UTC"), "2026-11-20 10:00:00")
        XCTAssertEqual(try vm.value(in: call, "return time.iso(\(instant))"), "2026-11-20T10:00:00Z")
        XCTAssertEqual(try format(instant, "%Y-%m-%dT%H:%M:%S%z"), "2026-11-20T10:00:00+0000")
    }

    func testFormatInNamedZones() throws {
        XCTAssertEqual(try format(instant, "%Y-%m-%d %H:%M:%S %z", "Europe/Moscow"), "2026-11-20 13:00:00 +0300")
        XCTAssertEqual(try format(instant, "%Y-%m-%d %H:%M:%S %z", "Asia/Kolkata"), "2026-11-20 15:30:00 +0530")
        XCTAssertEqual(try format(instant, "%FT%T%z", "America/New_York"), "2026-11-20T05:00:00-0500")
    }

    func testFormatAcrossNewYorkDSTChanges() throws {
        let pattern = "%Y-%m-%d %H:%M:%S %z %Z"
        XCTAssertEqual(try format("1772953199", pattern, "America/New_York"), "2026-03-08 01:59:59 -0500 EST")
        XCTAssertEqual(try format("1772953200", pattern, "America/New_York"), "2026-03-08 03:00:00 -0400 EDT")
        XCTAssertEqual(try format("1793512799", pattern, "America/New_York"), "2026-11-01 01:59:59 -0400 EDT")
        XCTAssertEqual(try format("1793512800", pattern, "America/New_York"), "2026-11-01 01:00:00 -0500 EST")
    }

    func testEverySpecifier() throws {
        XCTAssertEqual(
            try format(instant, "%Y %m %d %H %M %S %y %j %a %A %b %B %p %I %e %F %T %D %z %s %% %h %u %w %R", "Asia/Kolkata"),
            "2026 11 20 15 30 00 26 324 Fri Friday Nov November PM 03 20 2026-11-20 15:30:00 11/20/26 +0530 1795168800 % Nov 5 5 15:30")
        XCTAssertEqual(try format("1000000000", "%a %A %b %B %p %I|%e|%j %y"), "Sun Sunday Sep September AM 01| 9|252 01")
        XCTAssertEqual(try format("1000043200", "%p %I"), "PM 01")
        XCTAssertEqual(try format("0", "%Z"), "UTC")
        XCTAssertEqual(try format(instant, "%Z", "Europe/Moscow"), "+0300")
        XCTAssertEqual(try format(instant, "%Z", "Asia/Kolkata"), "+0530")
        XCTAssertEqual(try vm.value(in: call, "return time.format(0, '%n%t')"), "\n\t")
    }

    func testEpochZeroNegativeAndFloats() throws {
        XCTAssertEqual(try format("0"), "1970-01-01 00:00:00")
        XCTAssertEqual(try format("-1"), "1969-12-31 23:59:59")
        XCTAssertEqual(try format("-2208988800 + 5 * 3600 + 61", "%Y-%m-%d %H:%M:%S %a %j"), "1900-01-01 05:01:01 Mon 001")
        XCTAssertEqual(try format("1.9"), "1970-01-01 00:00:01")
        XCTAssertEqual(try format("-0.5"), "1969-12-31 23:59:59")
        XCTAssertEqual(try format("0", "%Y-%m-%d %H:%M:%S %z", "Asia/Kolkata"), "1970-01-01 05:30:00 +0530")
    }

    func testLeapDays() throws {
        XCTAssertEqual(try format("1709208000", "%F %T %j"), "2024-02-29 12:00:00 060")
        XCTAssertEqual(try format("951782400", "%F %a"), "2000-02-29 Tue")
        XCTAssertEqual(try format("-310435201"), "1960-02-29 23:59:59")
        XCTAssertEqual(try format("1709208000 + 86400", "%F"), "2024-03-01")
    }

    func testRangeLimits() throws {
        XCTAssertEqual(try format("-62135596800", "%F %T"), "0001-01-01 00:00:00")
        XCTAssertEqual(try format("253402300799", "%F %T"), "9999-12-31 23:59:59")
        XCTAssertTrue(failure("return time.format(253402300800, '%F')").contains("time.format: epoch 253402300800 out of range"))
        XCTAssertTrue(failure("return time.iso(1e300)").contains("time.iso: epoch 1e+300 out of range"))
        XCTAssertTrue(failure("return time.iso(0/0)").contains("out of range"))
    }

    func testFormatErrors() {
        XCTAssertTrue(
            failure("return time.format(0, '%Y-%Q')").contains("time.format: unknown specifier '%Q' at position 4 of the pattern"))
        XCTAssertTrue(failure("return time.format(0, '100%')").contains("time.format: unknown specifier '%' at position 4"))
        XCTAssertTrue(failure("return time.format(0, '%F', 'Mars/Base')").contains("time.format: unknown time zone 'Mars/Base'"))
        XCTAssertTrue(failure("return time.format('0', '%F')").contains("time.format: expected epoch seconds (a number), got string"))
        XCTAssertTrue(failure("return time.format(0)").contains("time.format: expected a pattern string, got no value"))
        XCTAssertTrue(failure("return time.format(0, '%F', 3)").contains("time.format: expected a time zone name, got number"))
    }

    func testNowUsesTheCallsClock() throws {
        call = HostCall(now: 1_795_168_800)
        XCTAssertEqual(try vm.value(in: call, "return time.now()"), "1795168800")
        XCTAssertEqual(try vm.value(in: call, "return math.type(time.now())"), "integer")
        XCTAssertEqual(try vm.value(in: call, "return os.time()"), "1795168800")
        call = nil
        let wall = Int64(Date().timeIntervalSince1970)
        let now = Int64(try XCTUnwrap(vm.value(in: call, "return time.now()"))) ?? 0
        XCTAssertLessThanOrEqual(abs(now - wall), 5)
    }
}
