import XCTest

@testable import IntegrationRuntime
@testable import OutboundHTTP

/// The egress policy's address classifier, without sockets: every range it refuses or
/// allows, their edges, and the IPv6 forms that carry an IPv4 address.
final class EgressPolicyTests: XCTestCase {
    private func scope(_ literal: String, file: StaticString = #filePath, line: UInt = #line) -> AddressScope? {
        guard let address = IPAddress(literal: literal) else {
            XCTFail("\(literal) is not an address", file: file, line: line)
            return nil
        }
        return address.scope
    }

    func testRangesAndTheirEdges() {
        let cases: [(String, AddressScope)] = [
            ("169.254.169.254", .linkLocal), ("169.254.0.0", .linkLocal), ("169.254.255.255", .linkLocal),
            ("169.253.255.255", .global), ("169.255.0.0", .global),
            ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("1.0.0.0", .global),
            ("127.0.0.1", .loopback), ("127.255.255.254", .loopback), ("128.0.0.1", .global), ("126.255.255.255", .global),
            ("10.0.0.1", .privateNetwork), ("10.255.255.255", .privateNetwork), ("11.0.0.0", .global), ("9.255.255.255", .global),
            ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork), ("172.15.255.255", .global), ("172.32.0.0", .global),
            ("192.168.1.1", .privateNetwork), ("192.167.255.255", .global), ("192.169.0.0", .global),
            ("100.64.0.1", .privateNetwork), ("100.127.255.255", .privateNetwork), ("100.63.255.255", .global), ("100.128.0.0", .global),
            ("8.8.8.8", .global), ("203.0.113.7", .global),
            ("::", .unspecified), ("::1", .loopback), ("::2", .unspecified),
            ("fe80::1", .linkLocal), ("febf:ffff::1", .linkLocal), ("fe7f::1", .global),
            ("fec0::1", .privateNetwork), ("fc00::1", .privateNetwork), ("fdff:ffff::1", .privateNetwork), ("fe00::1", .global),
            ("fbff::1", .global), ("2001:db8::1", .global), ("2606:4700:4700::1111", .global), ("ff02::1", .global),
        ]
        for (literal, expected) in cases {
            XCTAssertEqual(scope(literal), expected, literal)
        }
    }

    /// An IPv6 address that reaches an IPv4 one has that address's scope: mapped,
    /// compatible and NAT64 forms of metadata, loopback and private addresses.
    func testIPv6FormsOfIPv4AddressesTakeTheirScope() {
        let cases: [(String, AddressScope)] = [
            ("::ffff:169.254.169.254", .linkLocal), ("::169.254.169.254", .linkLocal), ("64:ff9b::a9fe:a9fe", .linkLocal),
            ("::ffff:0.0.0.0", .unspecified), ("::ffff:127.0.0.1", .loopback), ("::127.0.0.1", .loopback),
            ("::ffff:10.1.2.3", .privateNetwork), ("64:ff9b::192.168.0.1", .privateNetwork), ("::ffff:100.64.0.1", .privateNetwork),
            ("::ffff:8.8.8.8", .global), ("64:ff9b::8.8.8.8", .global),
        ]
        for (literal, expected) in cases {
            XCTAssertEqual(scope(literal), expected, literal)
        }
    }

    func testWhatEachPolicyRefuses() throws {
        let verdicts: [(String, String?, String?)] = [
            // address, refusal under .publicOnly, under .allowingLocalNetworks
            ("169.254.169.254", "egress refused: 169.254.169.254 is link-local", "egress refused: 169.254.169.254 is link-local"),
            ("fe80::1", "egress refused: fe80::1 is link-local", "egress refused: fe80::1 is link-local"),
            (
                "::ffff:169.254.169.254", "egress refused: ::ffff:169.254.169.254 is link-local",
                "egress refused: ::ffff:169.254.169.254 is link-local"
            ),
            ("0.0.0.0", "egress refused: 0.0.0.0 is unspecified", "egress refused: 0.0.0.0 is unspecified"),
            ("::", "egress refused: :: is unspecified", "egress refused: :: is unspecified"),
            ("127.0.0.1", "egress refused: 127.0.0.1 is loopback", nil),
            ("::1", "egress refused: ::1 is loopback", nil),
            ("10.0.0.7", "egress refused: 10.0.0.7 is private", nil),
            ("fd00::7", "egress refused: fd00::7 is private", nil),
            ("100.100.100.200", "egress refused: 100.100.100.200 is private", nil),
            ("93.184.215.14", nil, nil),
            ("2a00:1450:4001::200e", nil, nil),
        ]
        for (literal, strict, relaxed) in verdicts {
            let address = try XCTUnwrap(IPAddress(literal: literal), literal)
            XCTAssertEqual(EgressPolicy.publicOnly.refusal(of: address), strict, literal)
            XCTAssertEqual(EgressPolicy.allowingLocalNetworks.refusal(of: address), relaxed, literal)
        }
        XCTAssertEqual(LiveTransport.Configuration().egressPolicy, .publicOnly, "strict unless told otherwise")
    }
}
