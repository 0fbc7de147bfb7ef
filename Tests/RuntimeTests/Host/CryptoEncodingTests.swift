import Host
import XCTest

/// `crypto`'s encodings (RFC 4648 section 10 vectors), hex, UUIDs and random strings.
final class CryptoEncodingTests: XCTestCase {
    var vm: LuaVM!

    override func setUpWithError() throws { vm = try LuaVM() }

    private func failure(_ code: String) -> String {
        guard case .failure(let e) = vm.evaluate(code) else { return "no error" }
        return e.message
    }

    private let rfc4648: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    func testBase64EncodeRFC4648() throws {
        for (plain, encoded) in rfc4648 {
            XCTAssertEqual(try vm.value("return crypto.base64_encode('\(plain)')"), encoded)
        }
    }

    func testBase64DecodeRFC4648() throws {
        for (plain, encoded) in rfc4648 {
            XCTAssertEqual(try vm.value("return crypto.base64_decode('\(encoded)')"), plain)
        }
    }

    func testBase64DecodeInvalidInputGivesNilAndPosition() throws {
        XCTAssertEqual(
            try vm.value("local v, e = crypto.base64_decode('Zm9v!mFy'); return tostring(v) .. ' ' .. e"),
            "nil crypto.base64_decode: invalid character at position 5")
        XCTAssertEqual(
            try vm.value("return select(2, crypto.base64_decode('Zm=v'))"),
            "crypto.base64_decode: invalid character at position 4")
        XCTAssertEqual(
            try vm.value("return select(2, crypto.base64_decode('Z==='))"),
            "crypto.base64_decode: invalid character at position 2")
        XCTAssertEqual(
            try vm.value("return select(2, crypto.base64_decode('Zg=='..'Zg=='))"),
            "crypto.base64_decode: invalid character at position 3")
        XCTAssertEqual(
            try vm.value("return select(2, crypto.base64_decode('Zm9v_-'))"),
            "crypto.base64_decode: invalid length 6 (must be a multiple of 4, padded)")
        XCTAssertEqual(
            try vm.value("return select(2, crypto.base64_decode('Zg'))"),
            "crypto.base64_decode: invalid length 2 (must be a multiple of 4, padded)")
    }

    func testBase64RoundTripsAllByteValues() throws {
        XCTAssertEqual(
            try vm.value(
                """
                local t = {}
                for i = 0, 255 do t[#t + 1] = string.char(i) end
                local s = table.concat(t) .. '\\0\\0'
                return crypto.base64_decode(crypto.base64_encode(s)) == s
                """), "true")
    }

    func testBase64URLIsUnpaddedWithURLAlphabet() throws {
        XCTAssertEqual(try vm.value("return crypto.base64url_encode('\\251\\255\\191')"), "-_-_")
        XCTAssertEqual(try vm.value("return crypto.base64_encode('\\251\\255\\191')"), "+/+/")
        XCTAssertEqual(try vm.value("return crypto.base64url_encode('f')"), "Zg")
        XCTAssertEqual(try vm.value("return crypto.base64url_encode('fooba')"), "Zm9vYmE")
        XCTAssertEqual(
            try vm.value(#"return crypto.base64url_encode('{"alg":"HS256","typ":"JWT"}')"#),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9")
    }

    func testHexIsLowerCaseAndBinarySafe() throws {
        XCTAssertEqual(try vm.value("return crypto.hex('\\0\\1\\171\\255')"), "0001abff")
        XCTAssertEqual(try vm.value("return crypto.hex('')"), "")
        XCTAssertTrue(failure("return crypto.hex(true)").contains("crypto.hex: expected a string, got boolean"))
    }

    func testUUIDIsVersion4LowerCaseAndFresh() throws {
        let pattern = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"
        XCTAssertEqual(
            try vm.value(
                """
                local seen = {}
                for _ = 1, 200 do
                  local u = crypto.uuid()
                  if not u:match('\(pattern)') or u:lower() ~= u or seen[u] then return u end
                  seen[u] = true
                end
                return 'ok'
                """), "ok")
    }

    func testRandomStringLengthAlphabetAndBounds() throws {
        XCTAssertEqual(try vm.value("local s = crypto.random_string(4096); return #s .. tostring(s:match('^%w+$') ~= nil)"), "4096true")
        XCTAssertEqual(try vm.value("return #crypto.random_string(1)"), "1")
        XCTAssertEqual(try vm.value("return crypto.random_string(32) ~= crypto.random_string(32)"), "true")
        for bad in ["0", "4097", "-1", "1.5", "'8'", "nil"] {
            let message = failure("return crypto.random_string(\(bad))")
            XCTAssertTrue(message.contains("crypto.random_string: expected a length from 1 to 4096"), "\(bad): \(message)")
        }
    }
}
