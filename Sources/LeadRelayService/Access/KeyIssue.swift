import Foundation

/// A key being issued, the one recipe for affiliates' keys and employees' keys: its id
/// (the kind's prefix, `key_` or `ekey_`, and 16 random hex digits; not a secret), a new
/// token (`KeyToken.generate`: `lr_` and 256 random bits, shown once) and its SHA-256, the
/// only thing the store keeps of the token, and when it expires.
///
///     let issue = KeyIssue(idPrefix: APIKey.idPrefix, expiresAt: now + 90 * 86_400)
///     // INSERT ... (id, digest, expires_at) VALUES (issue.id, issue.digest, issue.expiresAt); show issue.token once
struct KeyIssue: Sendable {
    let id: String
    let token: KeyToken
    let expiresAt: Double

    init(idPrefix: String, expiresAt: Double) {
        id = idPrefix + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        token = KeyToken.generate()
        self.expiresAt = expiresAt
    }

    /// The token's hex SHA-256, as stored.
    var digest: String { token.digest }
}
