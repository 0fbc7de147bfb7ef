import Crypto
import Foundation

/// `crypto`: digests, HMAC, Base64, hex, UUIDs and random strings. Every function takes
/// Lua strings as raw bytes (binary data passes unchanged); numbers are accepted as
/// their `tostring`.
public enum CryptoModule {
    public static let module = HostModule(
        name: "crypto",
        functions: [
            ("md5", md5), ("sha1", sha1), ("sha256", sha256), ("sha512", sha512),
            ("hmac", hmac),
            ("base64_encode", base64Encode), ("base64_decode", base64Decode),
            ("base64url_encode", base64URLEncode),
            ("hex", hex), ("uuid", uuid), ("random_string", randomString),
        ])

    /// `crypto.md5(s)`: lower-case hex MD5 of the bytes of `s`.
    ///
    ///     crypto.md5("abc") --> "900150983cd24fb0d6963f7d28e17f72"
    static let md5: HostFunction = { L, _ in digest(LuaState(L), "crypto.md5", Insecure.MD5.self) }

    /// `crypto.sha1(s)`: lower-case hex SHA-1.
    ///
    ///     crypto.sha1("abc") --> "a9993e364706816aba3e25717850c26c9cd0d89d"
    static let sha1: HostFunction = { L, _ in digest(LuaState(L), "crypto.sha1", Insecure.SHA1.self) }

    /// `crypto.sha256(s)`: lower-case hex SHA-256.
    ///
    ///     local sign = crypto.sha256(ctx.params.api_key .. body)
    static let sha256: HostFunction = { L, _ in digest(LuaState(L), "crypto.sha256", SHA256.self) }

    /// `crypto.sha512(s)`: lower-case hex SHA-512.
    ///
    ///     local h = crypto.sha512(payload)
    static let sha512: HostFunction = { L, _ in digest(LuaState(L), "crypto.sha512", SHA512.self) }

    /// `crypto.hmac(alg, key, data)`: lower-case hex HMAC; `alg` is `"md5"`, `"sha1"`,
    /// `"sha256"` or `"sha512"`. Key and data are raw bytes.
    ///
    ///     local signature = crypto.hmac("sha256", ctx.params.secret, ts .. body)
    static let hmac: HostFunction = { L, _ in
        let s = LuaState(L)
        guard let alg = s.string(at: 1) else { return s.raise("crypto.hmac: expected an algorithm name, got \(s.typeName(at: 1))") }
        guard s.withStringBytes(at: 2, { _ in () }) != nil else { return s.raiseExpectedString("crypto.hmac (key)", at: 2) }
        guard s.withStringBytes(at: 3, { _ in () }) != nil else { return s.raiseExpectedString("crypto.hmac (data)", at: 3) }
        let code: [UInt8]? =
            s.withStringBytes(at: 2) { key in
                s.withStringBytes(at: 3) { data in
                    switch alg {
                    case "md5": return authenticationCode(Insecure.MD5.self, key: key, data: data)
                    case "sha1": return authenticationCode(Insecure.SHA1.self, key: key, data: data)
                    case "sha256": return authenticationCode(SHA256.self, key: key, data: data)
                    case "sha512": return authenticationCode(SHA512.self, key: key, data: data)
                    default: return nil
                    }
                } ?? nil
            } ?? nil
        guard let code else {
            return s.raise("crypto.hmac: unknown algorithm '\(alg)' (use md5, sha1, sha256 or sha512)")
        }
        s.push(bytes: code)
        return 1
    }

    /// `crypto.base64_encode(s)`: RFC 4648 Base64, standard alphabet, padded.
    ///
    ///     local auth = "Basic " .. crypto.base64_encode(user .. ":" .. password)
    static let base64Encode: HostFunction = { L, _ in
        let s = LuaState(L)
        if let refused = s.refuseOverMemory("crypto.base64_encode", resultBytes: (s.stringLength(at: 1) + 2) / 3 * 4) { return refused }
        guard let out = s.withStringBytes(at: 1, { Base64.encode($0) }) else {
            return s.raiseExpectedString("crypto.base64_encode", at: 1)
        }
        s.push(bytes: out)
        return 1
    }

    /// `crypto.base64_decode(s) -> bytes | nil, err`: strict RFC 4648 Base64 (standard
    /// alphabet, padded, no whitespace). Invalid input is not an error but `nil` and a
    /// message: `"crypto.base64_decode: invalid character at position 3"` (1-based) or
    /// `"crypto.base64_decode: invalid length 5 (must be a multiple of 4, padded)"`.
    ///
    ///     local raw, err = crypto.base64_decode(res.body)
    ///     if not raw then return { outcome = "error", message = err } end
    static let base64Decode: HostFunction = { L, _ in
        let s = LuaState(L)
        guard let result = s.withStringBytes(at: 1, { Base64.decode($0) }) else {
            return s.raiseExpectedString("crypto.base64_decode", at: 1)
        }
        switch result {
        case .success(let bytes):
            s.push(bytes: bytes)
            return 1
        case .failure(.invalidCharacter(let position)):
            s.pushNil()
            s.push("crypto.base64_decode: invalid character at position \(position)")
            return 2
        case .failure(.invalidLength(let count)):
            s.pushNil()
            s.push("crypto.base64_decode: invalid length \(count) (must be a multiple of 4, padded)")
            return 2
        }
    }

    /// `crypto.base64url_encode(s)`: RFC 4648 section 5 (`-` and `_`), without padding,
    /// as JWTs use.
    ///
    ///     local jwt_head = crypto.base64url_encode(json.encode({ alg = "HS256", typ = "JWT" }))
    static let base64URLEncode: HostFunction = { L, _ in
        let s = LuaState(L)
        if let refused = s.refuseOverMemory("crypto.base64url_encode", resultBytes: (s.stringLength(at: 1) + 2) / 3 * 4) { return refused }
        guard let out = s.withStringBytes(at: 1, { Base64.encode($0, alphabet: .urlSafe) }) else {
            return s.raiseExpectedString("crypto.base64url_encode", at: 1)
        }
        s.push(bytes: out)
        return 1
    }

    /// `crypto.hex(s)`: the bytes of `s` as lower-case hex, two digits each.
    ///
    ///     crypto.hex("\1\255") --> "01ff"
    static let hex: HostFunction = { L, _ in
        let s = LuaState(L)
        if let refused = s.refuseOverMemory("crypto.hex", resultBytes: 2 * s.stringLength(at: 1)) { return refused }
        guard let out = s.withStringBytes(at: 1, { Hex.encode($0) }) else {
            return s.raiseExpectedString("crypto.hex", at: 1)
        }
        s.push(bytes: out)
        return 1
    }

    /// `crypto.uuid()`: a random (version 4) UUID, lower-case canonical form.
    ///
    ///     local request_id = crypto.uuid() --> "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"
    static let uuid: HostFunction = { L, _ in
        var rng = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out += Hex.encode(CollectionOfOne(byte))
        }
        LuaState(L).push(bytes: out)
        return 1
    }

    private static let alphanumerics: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// `crypto.random_string(n)`: `n` (1 to 4096) random letters and digits, from the
    /// system's secure generator.
    ///
    ///     local password = crypto.random_string(12)
    static let randomString: HostFunction = { L, _ in
        let s = LuaState(L)
        guard let n = s.integer(at: 1), (1...4096).contains(n) else {
            let got = s.number(at: 1).map { "\($0)" } ?? s.typeName(at: 1)
            return s.raise("crypto.random_string: expected a length from 1 to 4096, got \(got)")
        }
        var rng = SystemRandomNumberGenerator()
        let out = (0..<Int(n)).map { _ in alphanumerics.randomElement(using: &rng)! }
        s.push(bytes: out)
        return 1
    }

    // MARK: Helpers

    private static func digest<H: HashFunction>(_ s: LuaState, _ name: String, _: H.Type) -> Int32 {
        let hex = s.withStringBytes(at: 1) { bytes -> [UInt8] in
            var hasher = H()
            hasher.update(bufferPointer: bytes)
            return Hex.encode(hasher.finalize())
        }
        guard let hex else { return s.raiseExpectedString(name, at: 1) }
        s.push(bytes: hex)
        return 1
    }

    private static func authenticationCode<H: HashFunction>(
        _: H.Type, key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer
    ) -> [UInt8] {
        var mac = HMAC<H>(key: SymmetricKey(data: key))
        mac.update(data: data)
        return Hex.encode(mac.finalize())
    }
}
