import Crypto
import Foundation

/// The SHA-256 of some bytes as lowercase hex: what the store keeps of a key's token, and
/// of a request body an `Idempotency-Key` came with.
enum SHA256Hex {
    static func of(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
