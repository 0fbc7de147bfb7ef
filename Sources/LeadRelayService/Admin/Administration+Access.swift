import Foundation
import IntegrationRuntime

extension Administration {
    // MARK: Affiliates and keys

    /// A new affiliate; `id` nil takes `aff_` and 8 random hex digits.
    public func createAffiliate(id: String?, name: String) async throws(AdminError) -> Affiliate {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalid(field: "name", detail: "the affiliate needs a name")
        }
        let chosen = try id.map { text throws(AdminError) in try AdminInput.identifier(text, field: "id") } ?? Self.newID("aff_")
        let affiliate = Affiliate(id: chosen, name: name)
        try await stored { () async throws(StoreError) in try await store.add(affiliate) }
        return affiliate
    }

    public func affiliates() async throws(AdminError) -> [Affiliate] {
        try await stored { () async throws(StoreError) in try await store.affiliates() }
    }

    public func affiliate(_ id: String) async throws(AdminError) -> Affiliate {
        guard let affiliate = try await stored({ () async throws(StoreError) in try await store.affiliate(id: id) }) else {
            throw .notFound("no affiliate \(id) (leadrelay affiliate list shows them)")
        }
        return affiliate
    }

    /// Grants offers (each must exist) to an affiliate, keeping those it has.
    public func grant(affiliateID: String, offers: [String]) async throws(AdminError) -> Affiliate {
        guard !offers.isEmpty else { throw .invalid(field: "offer", detail: "name at least one offer to grant") }
        do { return try await store.grant(affiliateID: affiliateID, offers: Set(offers)) } catch {
            switch error {
            case .noSuchAffiliate(let id): throw .notFound("no affiliate \(id) (leadrelay affiliate list shows them)")
            case .noSuchOffer(let id): throw .notFound("no offer \(id) (leadrelay offer list shows them)")
            default: throw .store(error)
            }
        }
    }

    /// A new key for an affiliate: the stored key and its token (shown once, never kept).
    public func issueKey(
        affiliateID: String, permissions: Set<KeyPermission>, allowlist: [IPRange], validFor seconds: Double, rate: RateLimit? = nil
    ) async throws(AdminError) -> (key: APIKey, token: KeyToken) {
        _ = try await affiliate(affiliateID)
        let expiry = now + seconds
        return try await stored { () async throws(StoreError) in
            try await store.issueKey(
                affiliateID: affiliateID, permissions: permissions, allowlist: allowlist, expiresAt: expiry, rate: rate)
        }
    }

    public func keys(affiliateID: String?) async throws(AdminError) -> [APIKey] {
        if let affiliateID { _ = try await affiliate(affiliateID) }
        return try await stored { () async throws(StoreError) in try await store.keys(affiliateID: affiliateID) }
    }

    /// Moves a key's expiry to `seconds` from now; an affiliate's key (`key_`) or an
    /// employee's (`ekey_`).
    public func extendKey(_ id: String, validFor seconds: Double) async throws(AdminError) {
        let until = now + seconds
        try await changeKey(id) { () async throws(StoreError) in
            if id.hasPrefix(EmployeeKey.idPrefix) {
                try await store.extendEmployeeKey(id: id, until: until)
            } else {
                try await store.extendKey(id: id, until: until)
            }
        }
    }

    /// Revokes a key now; an affiliate's key or an employee's.
    public func revokeKey(_ id: String) async throws(AdminError) {
        let at = now
        try await changeKey(id) { () async throws(StoreError) in
            if id.hasPrefix(EmployeeKey.idPrefix) {
                try await store.revokeEmployeeKey(id: id, at: at)
            } else {
                try await store.revokeKey(id: id, at: at)
            }
        }
    }

    private func changeKey(_ id: String, _ work: () async throws(StoreError) -> Void) async throws(AdminError) {
        do { try await work() } catch {
            if case .noSuchKey = error { throw .notFound("no key \(id) (leadrelay key list shows them)") }
            throw .store(error)
        }
    }

    static func newID(_ prefix: String) -> String {
        prefix + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8)
    }
}
