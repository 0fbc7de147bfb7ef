/// Why a request's key does not let it through, as the intake answers it.
public enum AccessRefusal: Error, Sendable, Equatable {
    /// 401: no key, an unknown one, an expired one or a revoked one: one answer for all, so
    /// the answer does not tell which keys exist.
    case unauthenticated
    /// 403: the address is not on the key's allowlist.
    case addressNotAllowed
    /// 403: the key does not carry the permission.
    case permissionMissing(KeyPermission)
    /// 403: the offer is not granted to the affiliate.
    case offerNotGranted(String)
    /// 403: the employee's role does not have the right.
    case roleNotAllowed(EmployeeRole, AdminRight)
    /// 429: the key is over its rate; the next request fits after this many seconds.
    case rateLimited(retryAfter: Double)

    /// The HTTP status of the answer.
    public var status: Int {
        switch self {
        case .unauthenticated: return 401
        case .rateLimited: return 429
        default: return 403
        }
    }

    /// The answer's message (safe to show the caller).
    public var message: String {
        switch self {
        case .unauthenticated: return "the API key is missing, unknown, expired or revoked"
        case .addressNotAllowed: return "this address is not allowed for the API key"
        case .permissionMissing(let permission): return "the API key lacks the permission \(permission.rawValue)"
        case .offerNotGranted(let offer): return "offer \(offer) is not granted to this affiliate"
        case .rateLimited(let seconds):
            return "the API key is over its rate; try again in \(Int(seconds.rounded(.up))) s"
        case .roleNotAllowed(let role, let right):
            return
                "the role \(role.rawValue) does not include \(right.rawValue) (admin: everything; manager: offers, routes, affiliates; analyst: reports)"
        }
    }
}

/// Decides whether a request may act with its key: the key known, unexpired and not
/// revoked, the address on its allowlist, the permission on the key, the offer granted.
///
/// With `cacheSeconds` above 0 a key and its affiliate, once found, are read from the store
/// again only after that many seconds (the intake's hot path: one lookup a second instead
/// of two per request). Expiry is still checked against each request's time; a revocation,
/// a new allowlist or permission, or an offer granted or taken back in the store takes
/// effect at most `cacheSeconds` later. 0 (the default) reads the store on every request.
public struct KeyCheck: Sendable {
    let store: any AccessStore
    private let keys: ExpiringCache<APIKey>
    private let affiliates: ExpiringCache<Affiliate>
    private let limiter = KeyRateLimiter()

    /// Forgets the keys and affiliates kept: a change made through this process (the admin
    /// API revoked a key) counts at once here, and within `cacheSeconds` elsewhere.
    public func forgetKept() {
        keys.removeAll()
        affiliates.removeAll()
    }

    public init(store: any AccessStore, cacheSeconds: Double = 0) {
        self.store = store
        keys = ExpiringCache(seconds: cacheSeconds)
        affiliates = ExpiringCache(seconds: cacheSeconds)
    }

    /// The affiliate acting, or why not. `offer` is checked when the request names one.
    public func authorize(
        token: String?, address: String, needs permission: KeyPermission, offer: String? = nil,
        now: Double
    ) async throws(StoreError) -> Result<Affiliate, AccessRefusal> {
        guard let token, !token.isEmpty else { return .failure(.unauthenticated) }
        let digest = KeyToken.digest(of: token)
        guard
            let key = try await keys.value(digest, now: now, load: { () async throws(StoreError) in try await store.key(digest: digest) }),
            key.revokedAt == nil, key.expiresAt > now,
            let affiliate = try await affiliates.value(
                key.affiliateID, now: now, load: { () async throws(StoreError) in try await store.affiliate(id: key.affiliateID) })
        else {
            return .failure(.unauthenticated)
        }
        guard key.allowlist.contains(where: { $0.admits(address) }) else { return .failure(.addressNotAllowed) }
        guard key.permissions.contains(permission) else { return .failure(.permissionMissing(permission)) }
        if let offer, !affiliate.offers.contains(offer) { return .failure(.offerNotGranted(offer)) }
        if let rate = key.rate, let wait = limiter.admit(key.id, rate, now: now) { return .failure(.rateLimited(retryAfter: wait)) }
        return .success(affiliate)
    }
}
