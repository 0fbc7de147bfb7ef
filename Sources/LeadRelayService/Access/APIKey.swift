import Crypto
import Foundation
import IntegrationRuntime

/// What a key allows (Track360's API permissions).
public enum KeyPermission: String, Sendable, CaseIterable, Codable {
    case createLeads = "leads:create"
    case readLeads = "leads:read"
    case readReports = "reports:read"
}

/// An affiliate's API key as the store keeps it: never the token, only its SHA-256.
public struct APIKey: Sendable, Equatable {
    /// The store's id for the key (shown in lists; not a secret).
    public var id: String
    public var affiliateID: String
    public var permissions: Set<KeyPermission>
    public var allowlist: [IPRange]
    public var expiresAt: Double
    public var revokedAt: Double?
    /// Requests the key may make per period (`100/1m`); over it the intake answers 429 with
    /// `Retry-After`. nil: unlimited.
    public var rate: RateLimit?

    /// The prefix of an affiliate key's id (an employee key's is `ekey_`).
    public static let idPrefix = "key_"

    public init(
        id: String, affiliateID: String, permissions: Set<KeyPermission>, allowlist: [IPRange],
        expiresAt: Double, revokedAt: Double? = nil, rate: RateLimit? = nil
    ) {
        self.rate = rate
        self.id = id
        self.affiliateID = affiliateID
        self.permissions = permissions
        self.allowlist = allowlist
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// A key's token: 256 random bits, shown once when the key is issued; the store keeps its
/// SHA-256 (`digest`) and finds the key by it.
public struct KeyToken: Sendable {
    public let text: String

    public static let prefix = "lr_"

    /// A new random token.
    public static func generate() -> KeyToken {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let text = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return KeyToken(text: prefix + text)
    }

    public init(text: String) { self.text = text }

    /// The hex SHA-256 of the token, as stored.
    public var digest: String { Self.digest(of: text) }

    static func digest(of text: String) -> String { SHA256Hex.of(text.utf8) }
}
