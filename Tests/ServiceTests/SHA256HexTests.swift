import XCTest

@testable import LeadRelayService

/// The digests the store keeps (keys' tokens, bodies of idempotent posts) stay what they
/// were: lowercase hex of SHA-256, as FIPS 180-2's test vectors give it.
final class SHA256HexTests: XCTestCase {
    func testTheDigestIsLowercaseHexOfSHA256() {
        XCTAssertEqual(SHA256Hex.of("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256Hex.of([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(KeyToken(text: "abc").digest, SHA256Hex.of(Array("abc".utf8)))
    }
}
