import IntegrationRuntime

/// An affiliate: who posts leads, and the offers granted to it.
public struct Affiliate: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The offers it may send leads to.
    public var offers: Set<String>
    /// Its postback URL template (`PostbackTemplate`), called on each change of its leads
    /// (`PostbackEvent`); nil: none.
    public var postbackURL: String?

    public init(id: String, name: String, offers: Set<String> = [], postbackURL: String? = nil) {
        self.id = id
        self.name = name
        self.offers = offers
        self.postbackURL = postbackURL
    }
}

/// Where affiliates and their API keys are kept (keys hashed: a token is shown once).
public protocol AccessStore: Sendable {
    /// Creates or replaces the affiliate with this id.
    func save(_ affiliate: Affiliate) async throws(StoreError)
    /// Stores a new affiliate, never replacing one (`exists`).
    func add(_ affiliate: Affiliate) async throws(StoreError)
    /// Adds offers (each must exist: `noSuchOffer`) to those granted to the affiliate
    /// (`noSuchAffiliate`), in one write: grants at once all hold. The affiliate as granted.
    func grant(affiliateID: String, offers: Set<String>) async throws(StoreError) -> Affiliate
    func affiliate(id: String) async throws(StoreError) -> Affiliate?
    /// Sets (nil: removes) the affiliate's postback URL template, already checked
    /// (`PostbackTemplate`); the affiliate as changed, or `noSuchAffiliate`.
    func setPostbackURL(affiliateID: String, template: String?) async throws(StoreError) -> Affiliate
    /// Every affiliate, by id.
    func affiliates() async throws(StoreError) -> [Affiliate]
    /// Issues a key to `affiliateID`: the stored key and its token, which is not kept.
    func issueKey(affiliateID: String, permissions: Set<KeyPermission>, allowlist: [IPRange], expiresAt: Double, rate: RateLimit?)
        async throws(StoreError) -> (APIKey, KeyToken)
    /// The key whose token has this SHA-256 (`KeyToken.digest`), revoked or expired too.
    func key(digest: String) async throws(StoreError) -> APIKey?
    /// The keys of one affiliate, or of every affiliate (nil), by affiliate then id; never a token.
    func keys(affiliateID: String?) async throws(StoreError) -> [APIKey]
    /// Moves a key's expiry ("Extend Expiry Date").
    func extendKey(id: String, until: Double) async throws(StoreError)
    func revokeKey(id: String, at: Double) async throws(StoreError)
}

extension AccessStore {
    /// A key without a rate limit.
    public func issueKey(affiliateID: String, permissions: Set<KeyPermission>, allowlist: [IPRange], expiresAt: Double)
        async throws(StoreError) -> (APIKey, KeyToken)
    {
        try await issueKey(affiliateID: affiliateID, permissions: permissions, allowlist: allowlist, expiresAt: expiresAt, rate: nil)
    }
}
