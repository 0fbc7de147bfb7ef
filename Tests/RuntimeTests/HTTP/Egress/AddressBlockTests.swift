import XCTest

@testable import OutboundHTTP

/// CIDR blocks and the policy that lets loopback and private addresses through only inside
/// them (`leadrelay serve`'s `egress.scripts.allow`), without sockets.
final class AddressBlockTests: XCTestCase {
    private func address(_ literal: String) throws -> IPAddress { try XCTUnwrap(IPAddress(literal: literal), literal) }

    func testBlocksParseAndRefuseWhatIsNotABlock() {
        XCTAssertEqual(AddressBlock("127.0.0.0/8")?.description, "127.0.0.0/8")
        XCTAssertEqual(AddressBlock("10.1.2.3")?.description, "10.1.2.3/32")
        XCTAssertEqual(AddressBlock("::1")?.description, "::1/128")
        XCTAssertEqual(AddressBlock("fd00::/8")?.prefixLength, 8)
        XCTAssertEqual(AddressBlock("0.0.0.0/0")?.prefixLength, 0)
        for bad in ["localhost", "127.0.0.0/33", "::/129", "10.0.0.1/8", "10.0.0.0/", "10.0.0.0/x", "/8", "", "fd00::1/8", "10.0.0.0/+8"] {
            XCTAssertNil(AddressBlock(bad), bad)
        }
    }

    func testContainsAtTheEdgesAndThroughIPv6FormsOfIPv4() throws {
        let loopback = try XCTUnwrap(AddressBlock("127.0.0.0/8"))
        let inside = ["127.0.0.1", "127.255.255.255", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1"]
        let outside = ["126.255.255.255", "128.0.0.0", "::1", "10.0.0.1"]
        for literal in inside { XCTAssertTrue(loopback.contains(try address(literal)), literal) }
        for literal in outside { XCTAssertFalse(loopback.contains(try address(literal)), literal) }
        let single = try XCTUnwrap(AddressBlock("192.168.1.10"))
        XCTAssertTrue(single.contains(try address("192.168.1.10")))
        XCTAssertFalse(single.contains(try address("192.168.1.11")))
        let unique = try XCTUnwrap(AddressBlock("fd12:3456::/32"))
        XCTAssertTrue(unique.contains(try address("fd12:3456:ffff::9")))
        XCTAssertFalse(unique.contains(try address("fd12:3457::1")))
        XCTAssertFalse(unique.contains(try address("10.0.0.1")))
        XCTAssertTrue(try XCTUnwrap(AddressBlock("::/0")).contains(try address("fe80::1")))
    }

    func testAPolicyOfBlocksOpensOnlyItsBlocksAndNeverLinkLocal() throws {
        let policy = EgressPolicy.allowing([try XCTUnwrap(AddressBlock("127.0.0.0/8"))])
        XCTAssertNil(policy.refusal(of: try address("127.0.0.1")))
        XCTAssertNil(policy.refusal(of: try address("::ffff:127.0.0.1")))
        XCTAssertNil(policy.refusal(of: try address("203.0.113.7")), "public addresses stay open")
        XCTAssertEqual(
            policy.refusal(of: try address("10.0.0.7")), "egress refused: 10.0.0.7 is private and outside the allowed blocks (127.0.0.0/8)")
        XCTAssertEqual(
            policy.refusal(of: try address("::1")), "egress refused: ::1 is loopback and outside the allowed blocks (127.0.0.0/8)")
        let everything = EgressPolicy.allowing([try XCTUnwrap(AddressBlock("0.0.0.0/0")), try XCTUnwrap(AddressBlock("::/0"))])
        XCTAssertEqual(everything.refusal(of: try address("169.254.169.254")), "egress refused: 169.254.169.254 is link-local")
        XCTAssertEqual(everything.refusal(of: try address("0.0.0.0")), "egress refused: 0.0.0.0 is unspecified")
        XCTAssertEqual(EgressPolicy.publicOnly.refusal(of: try address("127.0.0.1")), "egress refused: 127.0.0.1 is loopback")
    }
}
