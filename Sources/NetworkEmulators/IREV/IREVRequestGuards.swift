import Synchronization

/// IREV's two documented request limits, as a value type (no I/O, no clock of its own):
/// at most 10 GET requests in 3 seconds, and no identical POST body with the same token
/// within 2 minutes. Keyed by the Authorization value.
struct IREVRequestGuards: Sendable {
    static let getLimit = 10
    static let getWindow = 3.0
    static let identicalBodyWindow = 120.0

    private var gets: [String: [Double]] = [:]
    private var bodies: [String: [Int: Double]] = [:]

    /// Records a GET at `now`; nil when allowed, else the seconds until one is.
    mutating func admitGet(token: String, at now: Double) -> Double? {
        var times = (gets[token] ?? []).filter { now - $0 < Self.getWindow }
        defer { gets[token] = times }
        if times.count >= Self.getLimit {
            return max(0, Self.getWindow - (now - times[0]))
        }
        times.append(now)
        return nil
    }

    /// Records a POST body at `now`; nil when allowed, else the seconds until the same
    /// body would be. A refused body does not restart its window.
    mutating func admitPost(token: String, body: [UInt8], at now: Double) -> Double? {
        var seen = (bodies[token] ?? [:]).filter { now - $0.value < Self.identicalBodyWindow }
        defer { bodies[token] = seen }
        var hasher = Hasher()
        hasher.combine(body)
        let key = hasher.finalize()
        if let last = seen[key] { return Self.identicalBodyWindow - (now - last) }
        seen[key] = now
        return nil
    }
}

/// The guards behind a lock, shared by the IREV emulator's handlers.
final class IREVGuardBox: Sendable {
    let state = Mutex(IREVRequestGuards())
    /// Leads accepted and pushes under way that count toward the cap (`irevCap`).
    let capped = Mutex(0)
}
