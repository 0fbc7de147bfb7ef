import Crypto
import Foundation

/// Encrypts and decrypts secrets stored at rest with AES-GCM under the `SecretKey`. Each
/// sealed value is bound to where it is stored (`context`, such as
/// `route/12/param/api_key`), so a sealed value copied to another place does not open.
///
///     let sealer = SecretSealer(key: try SecretKey.load(file: "leadrelay.key"))
///     let stored = try sealer.seal("tok-123", context: "route/12/param/api_key")   // "aesgcm1:..."
///     let token = try sealer.open(stored, context: "route/12/param/api_key")
public struct SecretSealer: Sendable {
    let key: SecretKey
    /// The prefix of every sealed value: the scheme and its version.
    public static let prefix = "aesgcm1:"

    public init(key: SecretKey) { self.key = key }

    public func seal(_ plaintext: String, context: String) throws(SealError) -> String {
        do {
            let box = try AES.GCM.seal(Data(plaintext.utf8), using: key.key, authenticating: Data(context.utf8))
            guard let combined = box.combined else { throw SealError.failed(context: context) }
            return Self.prefix + combined.base64EncodedString()
        } catch {
            throw .failed(context: context)
        }
    }

    public func open(_ sealed: String, context: String) throws(SealError) -> String {
        guard sealed.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))) else {
            throw .notSealed(context: context)
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: key.key, authenticating: Data(context.utf8))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw .wrongKeyOrPlace(context: context)
        }
    }

    /// Whether `value` is a sealed value (what `seal` returns).
    public static func isSealed(_ value: String) -> Bool { value.hasPrefix(prefix) }
}

/// A secret that could not be sealed or opened.
public enum SealError: Error, Sendable, Equatable, CustomStringConvertible {
    case failed(context: String)
    case notSealed(context: String)
    /// Another key than the one it was sealed with, or a value moved from another place.
    case wrongKeyOrPlace(context: String)

    /// What went wrong, without the place (which may hold a token: the store names the
    /// offer and the parameter instead).
    public var reason: String {
        switch self {
        case .failed: return "the secret could not be encrypted"
        case .notSealed: return "the stored value is not an encrypted secret"
        case .wrongKeyOrPlace:
            return "the secret does not open with this key (another LEADRELAY_SECRET_KEY or key file than the one that stored it?)"
        }
    }

    public var description: String {
        switch self {
        case .failed(let context), .notSealed(let context), .wrongKeyOrPlace(let context): return "\(context): \(reason)"
        }
    }
}
