/// Which offer credential a request was made with: a digest of the values of the params
/// declared `secret = true` (SipHash with the process's random seed, so it is neither the
/// secret nor comparable across processes). The rate limiter keys per-credential buckets
/// with it; it never goes on the wire.
public struct CredentialID: Sendable, Hashable {
    let digest: Int

    /// The identity of these secret values; nil when there are none.
    public init?(secrets: [[UInt8]]) {
        guard !secrets.isEmpty else { return nil }
        var hasher = Hasher()
        hasher.combine(secrets.count)
        for secret in secrets { hasher.combine(secret) }
        digest = hasher.finalize()
    }
}
