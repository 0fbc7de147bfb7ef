import COpenSSL

/// The latest resumable TLS session per origin, so that a new connection to a host resumes
/// (a ticket instead of a full handshake with certificate checks), as libcurl does. Loop
/// thread only; OpenSSL hands new sessions over through `tlsNewSession` during reads.
final class TLSSessionCache {
    private var sessions: [WireTarget.Origin: OpaquePointer] = [:]

    deinit {
        for session in sessions.values { SSL_SESSION_free(session) }
    }

    /// The session to offer when connecting to `origin`, if one is kept.
    func session(for origin: WireTarget.Origin) -> OpaquePointer? { sessions[origin] }

    /// Keeps `session` (taking over its reference) in place of the origin's previous one.
    func keep(_ session: OpaquePointer, for origin: WireTarget.Origin) {
        if let previous = sessions.updateValue(session, forKey: origin) { SSL_SESSION_free(previous) }
        if sessions.count > 4096, let other = sessions.keys.first(where: { $0 != origin }) {
            SSL_SESSION_free(sessions.removeValue(forKey: other)!)
        }
    }

    /// Forgets the origin's session (after a failed handshake with it).
    func forget(_ origin: WireTarget.Origin) {
        if let session = sessions.removeValue(forKey: origin) { SSL_SESSION_free(session) }
    }
}

/// OpenSSL's new-session callback: hands the session to the cache of the `TLSSession`
/// that owns `ssl`. Returns 1: the cache keeps the reference.
let tlsNewSession: @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32 = { ssl, session in
    guard let ssl, let session, let owner = copenssl_owner(ssl) else { return 0 }
    let tls = Unmanaged<TLSSession>.fromOpaque(owner).takeUnretainedValue()
    guard let cache = tls.sessionCache, let origin = tls.origin else { return 0 }
    cache.keep(session, for: origin)
    return 1
}
