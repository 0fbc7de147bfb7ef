import Crypto
import Foundation

/// The key that encrypts secrets at rest (secret offer parameters, sensitive lead fields):
/// 32 random bytes, from the environment or from a key file. Every process sharing a
/// database must be given the same key.
///
/// @unchecked Sendable: swift-crypto 3's `SymmetricKey` does not declare it, but it is an
/// immutable value (its bytes are never changed after creation), so sharing it is safe.
public struct SecretKey: @unchecked Sendable {
    let key: SymmetricKey

    /// The environment variable that carries the key, base64-encoded.
    public static let environmentVariable = "LEADRELAY_SECRET_KEY"

    init(_ key: SymmetricKey) { self.key = key }

    /// The key from `LEADRELAY_SECRET_KEY` when set; otherwise from `file`, which is created
    /// with a new random key (mode 0600) when it does not exist yet.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        file: String
    ) throws(SecretKeyError) -> SecretKey {
        if let text = environment[environmentVariable] {
            return try decode(text, from: environmentVariable)
        }
        if FileManager.default.fileExists(atPath: file) {
            try checkPrivate(file)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .unreadable(file: file, detail: "cannot read it")
            }
            return try decode(String(decoding: data, as: UTF8.self), from: file)
        }
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        try create(file, contents: text)
        return SecretKey(key)
    }

    static func decode(_ text: String, from source: String) throws(SecretKeyError) -> SecretKey {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw .malformed(source: source)
        }
        return SecretKey(SymmetricKey(data: data))
    }

    /// Writes a new file readable by its owner only; never replaces one.
    private static func create(_ file: String, contents: String) throws(SecretKeyError) {
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw .unreadable(file: file, detail: "cannot create it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(contents.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw .unreadable(file: file, detail: "cannot write it: \(String(cString: strerror(errno)))")
        }
    }

    /// A key file others can read is refused: the key would be theirs too.
    private static func checkPrivate(_ file: String) throws(SecretKeyError) {
        var info = stat()
        guard stat(file, &info) == 0 else { throw .unreadable(file: file, detail: String(cString: strerror(errno))) }
        if info.st_mode & 0o077 != 0 {
            throw .notPrivate(file: file, mode: String(info.st_mode & 0o777, radix: 8))
        }
    }
}

/// Why the secrets key could not be had, with what to do.
public enum SecretKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(source: String)
    case unreadable(file: String, detail: String)
    case notPrivate(file: String, mode: String)

    public var description: String {
        switch self {
        case .malformed(let source):
            return "\(source): the secrets key must be 32 bytes in base64 (openssl rand -base64 32)"
        case .unreadable(let file, let detail):
            return "the secrets key file \(file): \(detail)"
        case .notPrivate(let file, let mode):
            return "the secrets key file \(file) has mode \(mode): others can read it; run chmod 600 \(file)"
        }
    }
}
