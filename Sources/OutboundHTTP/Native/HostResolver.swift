import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A resolver's answer for one host name.
struct HostResolution: Sendable {
    var host: String
    /// The addresses (IPv4 first), or why there are none.
    var result: Result<[IPAddress], HostLookupError>
}

struct HostLookupError: Error, Equatable {
    var detail: String
}

/// Host names to addresses for the native client, off its loop: `getaddrinfo` blocks, so
/// each lookup runs on a global dispatch queue and reports back; answers are cached for a
/// minute. The cache and the bookkeeping belong to the loop's thread.
struct HostResolver {
    static let cacheSeconds: UInt64 = 60

    private var cache: [String: (addresses: [IPAddress], expires: UInt64)] = [:]

    /// Fresh cached addresses for `host`, if any.
    func cached(_ host: String, now: UInt64) -> [IPAddress]? {
        guard let entry = cache[host], entry.expires > now else { return nil }
        return entry.addresses
    }

    mutating func remember(_ host: String, _ addresses: [IPAddress], now: UInt64) {
        if cache.count > 10_000 { cache.removeAll() }
        cache[host] = (addresses, now + Self.cacheSeconds * 1_000_000_000)
    }

    /// Looks `host` up on another thread and hands the answer to `deliver`.
    static func lookUp(_ host: String, port: Int, deliver: @escaping @Sendable (HostResolution) -> Void) {
        DispatchQueue.global().async {
            deliver(HostResolution(host: host, result: addresses(of: host, port: port)))
        }
    }

    private static func addresses(of host: String, port: Int) -> Result<[IPAddress], HostLookupError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0 else {
            return .failure(HostLookupError(detail: "could not resolve host \(host): \(String(cString: gai_strerror(rc)))"))
        }
        defer { freeaddrinfo(list) }
        var v4: [IPAddress] = []
        var v6: [IPAddress] = []
        var entry = list
        while let current = entry {
            if let raw = current.pointee.ai_addr, let address = IPAddress(UnsafePointer(raw)) {
                if address.family == AF_INET {
                    if !v4.contains(address) { v4.append(address) }
                } else if !v6.contains(address) {
                    v6.append(address)
                }
            }
            entry = current.pointee.ai_next
        }
        let all = v4 + v6
        return all.isEmpty ? .failure(HostLookupError(detail: "host \(host) has no IPv4 or IPv6 address")) : .success(all)
    }
}
