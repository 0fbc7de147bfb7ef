import IntegrationRuntime
import PostgresNIO

/// Affiliates and their API keys (`AccessStore`) on PostgreSQL.
extension PostgresStore {
    public func save(_ affiliate: Affiliate) async throws(StoreError) {
        let offers = StoreText.words(affiliate.offers)
        try await execute(
            """
            INSERT INTO affiliates (id, name, offers, postback_url) VALUES (\(affiliate.id), \(affiliate.name), \(offers), \(affiliate.postbackURL))
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, offers = excluded.offers, postback_url = excluded.postback_url
            """)
    }

    public func add(_ affiliate: Affiliate) async throws(StoreError) {
        let offers = StoreText.words(affiliate.offers)
        try await execute(
            """
            INSERT INTO affiliates (id, name, offers, postback_url) VALUES (\(affiliate.id), \(affiliate.name), \(offers), \(affiliate.postbackURL))
            """, inserting: "affiliate \(affiliate.id)")
    }

    public func grant(affiliateID: String, offers: Set<String>) async throws(StoreError) -> Affiliate {
        guard try await row("SELECT id FROM affiliates WHERE id = \(affiliateID)", table: "affiliates") != nil else {
            throw .noSuchAffiliate(affiliateID)
        }
        let requested = offers.sorted()
        let known = try await rows("SELECT id FROM offers WHERE id = ANY(\(requested))", table: "offers").map {
            row throws(StoreError) in try row.text("id")
        }
        if let missing = requested.first(where: { !known.contains($0) }) { throw .noSuchOffer(missing) }
        // The union is taken in the UPDATE itself, so two grants at once both hold.
        let added = StoreText.words(offers)
        guard
            let updated = try await row(
                """
                UPDATE affiliates SET offers = (
                    SELECT COALESCE(json_agg(o ORDER BY o), '[]')::text
                    FROM (SELECT DISTINCT jsonb_array_elements_text(offers::jsonb || \(added)::jsonb) AS o) AS granted)
                WHERE id = \(affiliateID) RETURNING *
                """, table: "affiliates")
        else { throw .noSuchAffiliate(affiliateID) }
        return try updated.affiliate()
    }

    public func affiliate(id: String) async throws(StoreError) -> Affiliate? {
        try await row("SELECT * FROM affiliates WHERE id = \(id)", table: "affiliates")?.affiliate()
    }

    public func setPostbackURL(affiliateID: String, template: String?) async throws(StoreError) -> Affiliate {
        guard
            let row = try await row(
                "UPDATE affiliates SET postback_url = \(template) WHERE id = \(affiliateID) RETURNING *", table: "affiliates")
        else { throw .noSuchAffiliate(affiliateID) }
        return try row.affiliate()
    }

    public func affiliates() async throws(StoreError) -> [Affiliate] {
        try await rows("SELECT * FROM affiliates ORDER BY id", table: "affiliates").map { row throws(StoreError) in try row.affiliate() }
    }

    public func issueKey(
        affiliateID: String, permissions: Set<KeyPermission>, allowlist: [IPRange], expiresAt: Double, rate: RateLimit?
    ) async throws(StoreError) -> (APIKey, KeyToken) {
        let issue = KeyIssue(idPrefix: APIKey.idPrefix, expiresAt: expiresAt)
        let key = APIKey(
            id: issue.id, affiliateID: affiliateID, permissions: permissions, allowlist: allowlist, expiresAt: issue.expiresAt,
            rate: rate)
        let granted = StoreText.words(permissions.map(\.rawValue))
        let ranges = StoreText.ranges(allowlist)
        // Inserted only if the affiliate exists: one statement, no window between check and insert.
        let inserted = try await execute(
            """
            INSERT INTO api_keys (id, affiliate_id, digest, permissions, allowlist, expires_at, rate)
            SELECT \(issue.id), id, \(issue.digest), \(granted), \(ranges), \(issue.expiresAt), \(rate?.text) FROM affiliates
            WHERE id = \(affiliateID)
            RETURNING id
            """)
        if inserted == 0 { throw .noSuchAffiliate(affiliateID) }
        return (key, issue.token)
    }

    public func key(digest: String) async throws(StoreError) -> APIKey? {
        try await row("SELECT * FROM api_keys WHERE digest = \(digest)", table: "api_keys")?.apiKey()
    }

    public func keys(affiliateID: String?) async throws(StoreError) -> [APIKey] {
        let query: PostgresQuery =
            if let affiliateID {
                "SELECT * FROM api_keys WHERE affiliate_id = \(affiliateID) ORDER BY id"
            } else {
                "SELECT * FROM api_keys ORDER BY affiliate_id, id"
            }
        return try await rows(query, table: "api_keys").map { row throws(StoreError) in try row.apiKey() }
    }

    public func extendKey(id: String, until: Double) async throws(StoreError) {
        if try await execute("UPDATE api_keys SET expires_at = \(until) WHERE id = \(id) RETURNING id") == 0 { throw .noSuchKey(id) }
    }

    public func revokeKey(id: String, at: Double) async throws(StoreError) {
        if try await execute("UPDATE api_keys SET revoked_at = \(at) WHERE id = \(id) RETURNING id") == 0 { throw .noSuchKey(id) }
    }
}
