import Host
import XCTest

/// `crypto` against the standards' own test vectors (RFC 1321, FIPS 180, RFC 2202,
/// RFC 4231, RFC 4648), driven through Lua.
final class CryptoModuleTests: XCTestCase {
    var vm: LuaVM!

    override func setUpWithError() throws { vm = try LuaVM() }

    /// Lua helpers for binary keys: `bytes(0x0b, 20)` and `unhex("0102")`.
    private let prelude = #"""
        local function bytes(b, n) return string.rep(string.char(b), n) end
        local function unhex(h) return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end)) end
        """#

    private func lua(_ code: String) throws -> String? { try vm.value(prelude + "\n" + code) }

    private func failure(_ code: String) -> String {
        guard case .failure(let e) = vm.evaluate(prelude + "\n" + code) else { return "no error" }
        return e.message
    }

    // MARK: Digests

    func testMD5RFC1321Suite() throws {
        let vectors: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (input, digest) in vectors {
            XCTAssertEqual(try lua("return crypto.md5('\(input)')"), digest, input)
        }
    }

    func testSHA1FIPS180Examples() throws {
        XCTAssertEqual(try lua("return crypto.sha1('abc')"), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(
            try lua("return crypto.sha1('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    func testSHA256FIPS180Examples() throws {
        XCTAssertEqual(try lua("return crypto.sha256('abc')"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            try lua("return crypto.sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            try lua("return crypto.sha256(string.rep('a', 1000000))"),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testSHA512FIPS180Examples() throws {
        XCTAssertEqual(
            try lua("return crypto.sha512('abc')"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        )
        XCTAssertEqual(
            try lua(
                "return crypto.sha512('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu')"
            ),
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
        )
    }

    func testDigestsAcceptNumbersAndRejectTables() throws {
        XCTAssertEqual(try lua("return crypto.md5(123) == crypto.md5('123')"), "true")
        XCTAssertTrue(failure("return crypto.md5({})").contains("crypto.md5: expected a string, got table"))
        XCTAssertTrue(failure("return crypto.sha256(nil)").contains("crypto.sha256: expected a string, got nil"))
    }

    // MARK: HMAC

    /// Keys and data of RFC 2202 test cases 1-7, as Lua expressions.
    private func rfc2202Cases(keyLength: Int) -> [(key: String, data: String)] {
        [
            ("bytes(0x0b, \(keyLength))", "'Hi There'"),
            ("'Jefe'", "'what do ya want for nothing?'"),
            ("bytes(0xaa, \(keyLength))", "bytes(0xdd, 50)"),
            ("unhex('0102030405060708090a0b0c0d0e0f10111213141516171819')", "bytes(0xcd, 50)"),
            ("bytes(0x0c, \(keyLength))", "'Test With Truncation'"),
            ("bytes(0xaa, 80)", "'Test Using Larger Than Block-Size Key - Hash Key First'"),
            ("bytes(0xaa, 80)", "'Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'"),
        ]
    }

    func testHMACMD5RFC2202() throws {
        let digests = [
            "9294727a3638bb1c13f48ef8158bfc9d", "750c783e6ab0b503eaa86e310a5db738",
            "56be34521d144c88dbb8c733f0e8b3f6", "697eaf0aca3a3aea3a75164746ffaa79",
            "56461ef2342edc00f9bab995690efd4c", "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd",
            "6f630fad67cda0ee1fb1f562db3aa53e",
        ]
        for (n, (c, digest)) in zip(rfc2202Cases(keyLength: 16), digests).enumerated() {
            XCTAssertEqual(try lua("return crypto.hmac('md5', \(c.key), \(c.data))"), digest, "test case \(n + 1)")
        }
    }

    func testHMACSHA1RFC2202() throws {
        let digests = [
            "b617318655057264e28bc0b6fb378c8ef146be00", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3", "4c9007f4026250c6bc8414f9bf50c86c2d7235da",
            "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04", "aa4ae5e15272d00e95705637ce8a3b55ed402112",
            "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
        ]
        for (n, (c, digest)) in zip(rfc2202Cases(keyLength: 20), digests).enumerated() {
            XCTAssertEqual(try lua("return crypto.hmac('sha1', \(c.key), \(c.data))"), digest, "test case \(n + 1)")
        }
    }

    /// RFC 4231 test cases 1-4, 6 and 7 (5 is truncated output, not in the API).
    private let rfc4231Cases: [(number: Int, key: String, data: String, sha256: String, sha512: String)] = [
        (
            1, "bytes(0x0b, 20)", "'Hi There'",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"
        ),
        (
            2, "'Jefe'", "'what do ya want for nothing?'",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        ),
        (
            3, "bytes(0xaa, 20)", "bytes(0xdd, 50)",
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"
        ),
        (
            4, "unhex('0102030405060708090a0b0c0d0e0f10111213141516171819')", "bytes(0xcd, 50)",
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"
        ),
        (
            6, "bytes(0xaa, 131)", "'Test Using Larger Than Block-Size Key - Hash Key First'",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"
        ),
        (
            7, "bytes(0xaa, 131)",
            "'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'",
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"
        ),
    ]

    func testHMACSHA256RFC4231() throws {
        for c in rfc4231Cases {
            XCTAssertEqual(try lua("return crypto.hmac('sha256', \(c.key), \(c.data))"), c.sha256, "test case \(c.number)")
        }
    }

    func testHMACSHA512RFC4231() throws {
        for c in rfc4231Cases {
            XCTAssertEqual(try lua("return crypto.hmac('sha512', \(c.key), \(c.data))"), c.sha512, "test case \(c.number)")
        }
    }

    func testHMACKeyWithZeroBytesIsNotCutShort() throws {
        // A C-string API would see "" and "a" for both keys.
        XCTAssertEqual(try lua("return crypto.hmac('sha256', '\\0a', 'x') ~= crypto.hmac('sha256', '\\0b', 'x')"), "true")
        XCTAssertEqual(try lua("return crypto.hmac('sha256', '\\0a', 'x') ~= crypto.hmac('sha256', '', 'x')"), "true")
    }

    func testHMACUnknownAlgorithmNamesTheAllowedOnes() {
        let message = failure("return crypto.hmac('sha3', 'k', 'd')")
        XCTAssertTrue(message.contains("crypto.hmac: unknown algorithm 'sha3' (use md5, sha1, sha256 or sha512)"), message)
        XCTAssertTrue(failure("return crypto.hmac('sha256', {}, 'd')").contains("expected a string, got table"))
    }
}
