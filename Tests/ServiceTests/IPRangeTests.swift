import XCTest

@testable import LeadRelayService

/// Key allowlists: single addresses and from/to ranges, IPv4 and IPv6; the full IPv4 range
/// is open access.
final class IPRangeTests: XCTestCase {
    func testARangeAdmitsItsEndsAndWhatLiesBetweenOnly() throws {
        let range = try XCTUnwrap(IPRange(from: "203.0.113.10", to: "203.0.113.20"))
        for inside in ["203.0.113.10", "203.0.113.15", "203.0.113.20", "::ffff:203.0.113.12"] {
            XCTAssertTrue(range.admits(inside), inside)
        }
        for outside in ["203.0.113.9", "203.0.113.21", "203.0.114.15", "2001:db8::1", "not an address", ""] {
            XCTAssertFalse(range.admits(outside), outside)
        }
        let single = try XCTUnwrap(IPRange(from: "198.51.100.7"))
        XCTAssertTrue(single.admits("198.51.100.7"))
        XCTAssertFalse(single.admits("198.51.100.8"))
        XCTAssertEqual(single.description, "198.51.100.7")
    }

    func testIPv6RangesCompareAsNumbers() throws {
        let range = try XCTUnwrap(IPRange(from: "2001:db8::", to: "2001:db8::ffff"))
        XCTAssertTrue(range.admits("2001:db8::1"))
        XCTAssertTrue(range.admits("2001:0db8:0000:0000:0000:0000:0000:ffff"))
        XCTAssertFalse(range.admits("2001:db8::1:0"))
        XCTAssertFalse(range.admits("203.0.113.1"))
    }

    func testTheFullIPv4RangeIsOpenAccessForEveryAddress() throws {
        let open = try XCTUnwrap(IPRange(from: "0.0.0.0", to: "255.255.255.255"))
        XCTAssertTrue(open.isOpenAccess)
        for address in ["1.2.3.4", "2001:db8::1", "::1"] { XCTAssertTrue(open.admits(address), address) }
        XCTAssertFalse(open.admits("example.com"))
    }

    func testBadRangesAreRefused() {
        XCTAssertNil(IPRange(from: "203.0.113.20", to: "203.0.113.10"), "from above to")
        XCTAssertNil(IPRange(from: "203.0.113.1", to: "2001:db8::1"), "two families")
        XCTAssertNil(IPRange(from: "203.0.113.256"))
        XCTAssertNil(IPRange(from: "10.0.0.0/8"), "a CIDR is not a from/to range")
    }

    /// The full range written as IPv4-mapped IPv6 admits the IPv4 addresses it maps, and no
    /// IPv6 address (failed before: it was taken for open access).
    func testTheMappedFullRangeIsNotOpenAccess() throws {
        let mapped = try XCTUnwrap(IPRange(from: "::ffff:0.0.0.0", to: "::ffff:255.255.255.255"))
        XCTAssertFalse(mapped.isOpenAccess)
        XCTAssertTrue(mapped.admits("203.0.113.1"))
        XCTAssertFalse(mapped.admits("2001:db8::1"))
    }
}
