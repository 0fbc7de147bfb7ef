import ArgumentParser
import IntegrationRuntime
import LeadRelayService

/// `leadrelay key create|list|extend|revoke`: affiliates' API keys (extend and revoke take
/// an employee's key too).
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Issue, list, extend and revoke API keys (exit 0 done, 1 refused, 2 usage).",
        subcommands: [KeyCreateCommand.self, KeyListCommand.self, KeyExtendCommand.self, KeyRevokeCommand.self]
    )

    static func line(_ key: APIKey, now: Double) -> String {
        let state = KeyState(expiresAt: key.expiresAt, revokedAt: key.revokedAt, now: now)
        return "key \(key.id)  affiliate \(key.affiliateID)  \(state.rawValue)  expires \(ISO8601.format(Int64(key.expiresAt)))"
            + "  permissions: \(key.permissions.map(\.rawValue).sorted().joined(separator: ","))"
            + "  allow: \(key.allowlist.map(\.description).joined(separator: ","))"
    }

    /// Printed under a token: it is not kept, so it cannot be shown again.
    static let shownOnce = "this token is shown only now and will not be shown again: store it safely"
}
