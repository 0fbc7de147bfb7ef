import IntegrationRuntime
import LeadJSON

/// The JSON shapes the CLI's `--format json` and the admin API show; never a token or a
/// secret value (route secrets show as `***`, `OfferRoute.displayed`).
extension StoredOffer {
    public var displayed: JSONValue {
        .object([
            "id": .string(id), "name": .string(name),
            "fall_through": .array(fallThrough.map(\.rawValue).sorted().map(JSONValue.string)),
            "duplicate_window": duplicateWindow.map(JSONValue.number) ?? .null,
            "payout": payout.map { .string($0.amountText) } ?? .null,
            "currency": payout.map { .string($0.currency) } ?? .null,
            "payout_on": payout.map { .string($0.basis.rawValue) } ?? .null,
            "registration_wait_seconds": .number(registrationWait),
        ])
    }
}

extension Affiliate {
    public var displayed: JSONValue {
        .object([
            "id": .string(id), "name": .string(name), "offers": .array(offers.sorted().map(JSONValue.string)),
            "postback_url": postbackURL.map(JSONValue.string) ?? .null,
        ])
    }
}

extension Employee {
    public var displayed: JSONValue { .object(["id": .string(id), "name": .string(name), "role": .string(role.rawValue)]) }
}

extension APIKey {
    /// The key (never its token), `state` as of `now`: active, expired or revoked.
    public func displayed(now: Double) -> JSONValue {
        .object([
            "id": .string(id), "affiliate_id": .string(affiliateID),
            "permissions": .array(permissions.map(\.rawValue).sorted().map(JSONValue.string)),
            "allowlist": .array(allowlist.map { .string($0.description) }),
            "expires_at": .string(ISO8601.format(Int64(expiresAt))),
            "revoked_at": revokedAt.map { .string(ISO8601.format(Int64($0))) } ?? .null,
            "state": .string(KeyState(expiresAt: expiresAt, revokedAt: revokedAt, now: now).rawValue),
            "rate": rate.map { .string($0.text) } ?? .null,
        ])
    }
}

extension EmployeeKey {
    public func displayed(now: Double) -> JSONValue {
        .object([
            "id": .string(id), "employee_id": .string(employeeID),
            "allowlist": .array(allowlist.map { .string($0.description) }),
            "expires_at": .string(ISO8601.format(Int64(expiresAt))),
            "revoked_at": revokedAt.map { .string(ISO8601.format(Int64($0))) } ?? .null,
            "state": .string(KeyState(expiresAt: expiresAt, revokedAt: revokedAt, now: now).rawValue),
        ])
    }
}

/// Whether a key works now.
public enum KeyState: String, Sendable {
    case active, expired, revoked

    public init(expiresAt: Double, revokedAt: Double?, now: Double) {
        self = revokedAt != nil ? .revoked : expiresAt > now ? .active : .expired
    }
}
