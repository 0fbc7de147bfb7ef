import CCurl
import Glibc

/// Where the curl engine connects for a URL, by libcurl's own URL parser with the flags
/// `CURLOPT_URL` uses: the other engine's answer, which the native reader must match.
struct CurlOrigin: Equatable {
    /// Lower-cased, an IPv6 literal without brackets (as `WireTarget.Origin` has it).
    var host: String
    var port: Int

    /// nil when libcurl refuses the URL or it is not http(s).
    init?(_ url: String) {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        let flags = UInt32(CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME)
        guard curl_url_set(handle, CURLUPART_URL, url, flags) == CURLUE_OK,
            let scheme = Self.part(handle, CURLUPART_SCHEME, 0), scheme == "http" || scheme == "https",
            let host = Self.part(handle, CURLUPART_HOST, 0),
            let port = Self.part(handle, CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)).flatMap({ Int($0) })
        else { return nil }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.host = bare.lowercased()
        self.port = port
    }

    /// Whether curl's host and the native reader's name the same place: the same name
    /// (ignoring case), or the same address. An IPv4 address may be written in the short
    /// forms `inet_aton` reads (`127.1`, `0x7f000001`, `2130706433`, `0`), which libcurl
    /// writes out as four decimals and the resolver reads the same way, and an IPv6 address
    /// in several forms.
    func names(_ nativeHost: String) -> Bool {
        if host == nativeHost.lowercased() { return true }
        var a = in_addr()
        var b = in_addr()
        if inet_aton(host, &a) != 0, inet_aton(nativeHost, &b) != 0 { return a.s_addr == b.s_addr }
        var x = in6_addr()
        var y = in6_addr()
        if inet_pton(AF_INET6, host, &x) == 1, inet_pton(AF_INET6, nativeHost, &y) == 1 {
            return withUnsafeBytes(of: &x) { a in withUnsafeBytes(of: &y) { b in a.elementsEqual(b) } }
        }
        return false
    }

    private static func part(_ handle: OpaquePointer, _ part: CURLUPart, _ flags: UInt32) -> String? {
        var text: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, part, &text, flags) == CURLUE_OK, let text else { return nil }
        defer { curl_free(text) }
        return String(cString: text)
    }
}
