import CCurl

/// One libcurl easy handle and the state of the request it is running. Instances are
/// pooled by `CurlMultiLoop` and reused (`curl_easy_reset` keeps nothing but the handle),
/// so buffers keep their capacity across requests. Touched only on the I/O thread.
final class CurlEasyRequest {
    let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER target, allocated once per handle.
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// Copy of the request body, valid until the transfer ends (CURLOPT_POSTFIELDS does not copy).
    private var bodyStorage: UnsafeMutableRawPointer?
    private var bodyCapacity = 0
    /// Raw header bytes of the final response, split into fields once at the end.
    var headerBytes: [UInt8] = []
    /// The checks of the answer's status and framing, line by line.
    var headerLines = CurlHeaderLines()
    /// Why the answer was refused (the transfer aborted from a callback), if it was.
    var refusal: String?
    /// The configuration's, for the open-socket callback.
    var egressPolicy = EgressPolicy.publicOnly
    /// The egress policy's first refusal of an address libcurl wanted to connect to.
    var egressRefusal: String?
    /// Sockets opened for this transfer (0 when the policy refused every address).
    var socketsOpened = 0
    var body: [UInt8] = []
    var maxResponseBytes = 0
    var exceededMaxResponseBytes = false
    var headerList: UnsafeMutablePointer<curl_slist>?
    var completion: (@Sendable (OutboundResponse) -> Void)?
    /// Position in `CurlMultiLoop.active`, for O(1) removal.
    var activeIndex = -1
    /// Scratch for building one `Name: value` header line.
    private var lineScratch: [CChar] = []

    init?() {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(ccurl_error_size()))
        errorBuffer.initialize(repeating: 0, count: Int(ccurl_error_size()))
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
        bodyStorage?.deallocate()
    }

    var userdata: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ userdata: UnsafeMutableRawPointer) -> CurlEasyRequest {
        Unmanaged<CurlEasyRequest>.fromOpaque(userdata).takeUnretainedValue()
    }

    /// Copies `bytes` into storage owned by this handle and returns its address.
    func keepBody(_ bytes: [UInt8]) -> UnsafeRawPointer {
        if bodyCapacity < bytes.count || bodyStorage == nil {
            bodyStorage?.deallocate()
            bodyCapacity = max(bytes.count, 256)
            bodyStorage = .allocate(byteCount: bodyCapacity, alignment: 1)
        }
        let storage = bodyStorage!
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { storage.copyMemory(from: base, byteCount: source.count) }
        }
        return UnsafeRawPointer(storage)
    }

    /// Appends `Name: value` (or `Name;` for an empty value, which is how libcurl sends an
    /// empty header) to `headerList`. False when curl could not allocate.
    func appendHeader(name: String, value: String) -> Bool {
        lineScratch.removeAll(keepingCapacity: true)
        appendUTF8(name)
        if value.isEmpty {
            lineScratch.append(CChar(UInt8(ascii: ";")))
        } else {
            lineScratch.append(CChar(UInt8(ascii: ":")))
            lineScratch.append(CChar(UInt8(ascii: " ")))
            appendUTF8(value)
        }
        lineScratch.append(0)
        return appendRawHeader(lineScratch)
    }

    /// Appends a NUL-terminated header line as is (e.g. `Expect:` to drop curl's own).
    func appendRawHeader(_ line: UnsafePointer<CChar>) -> Bool {
        guard let list = curl_slist_append(headerList, line) else { return false }
        headerList = list
        return true
    }

    private func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes { lineScratch.append(CChar(bitPattern: byte)) }
        }
    }

    /// Clears per-request state; the handle itself is reset by the caller.
    func clear() {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        headerBytes.removeAll(keepingCapacity: true)
        headerLines = CurlHeaderLines()
        refusal = nil
        egressRefusal = nil
        socketsOpened = 0
        body = []
        exceededMaxResponseBytes = false
        completion = nil
        errorBuffer[0] = 0
    }
}

/// CURLOPT_WRITEFUNCTION: appends body bytes, refusing (which aborts the transfer) past the cap.
let curlWriteBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, userdata in
    let length = size * count
    guard let data, let userdata, length > 0 else { return length }
    let request = CurlEasyRequest.from(userdata)
    if request.body.count + length > request.maxResponseBytes {
        request.exceededMaxResponseBytes = true
        return 0
    }
    request.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// CURLOPT_HEADERFUNCTION: checks each line (`CurlHeaderLines`; a refusal aborts the
/// transfer) and collects raw header lines; a status line starts over, so after a
/// `100 Continue` (or a proxy's CONNECT reply) only the final response's headers remain.
let curlCollectHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, userdata in
    let length = size * count
    guard let data, let userdata, length > 0 else { return length }
    let request = CurlEasyRequest.from(userdata)
    let line = UnsafeRawBufferPointer(start: data, count: length)
    switch request.headerLines.take(line) {
    case .accept:
        break
    case .acceptButDoNotReuse:
        ccurl_easy_setopt_long(request.handle, CURLOPT_FORBID_REUSE, 1)
    case .refuse(let detail):
        request.refusal = detail
        return 0
    }
    if length >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
        line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/")
    {
        request.headerBytes.removeAll(keepingCapacity: true)
    }
    request.headerBytes.append(contentsOf: line)
    return length
}

/// CURLOPT_OPENSOCKETFUNCTION: a socket only for an address the egress policy allows (the
/// resolved one, or the proxy's); libcurl tries the next address after a refusal.
let curlOpenAllowedSocket:
    @convention(c) (UnsafeMutableRawPointer?, curlsocktype, UnsafeMutablePointer<curl_sockaddr>?)
        -> curl_socket_t = { userdata, _, address in
            guard let userdata, let address, let raw = ccurl_sockaddr_address(address) else { return -1 }
            let request = CurlEasyRequest.from(userdata)
            let refusal: String?
            if let target = IPAddress(raw) {
                refusal = request.egressPolicy.refusal(of: target)
            } else {
                refusal = "egress refused: address family \(address.pointee.family) is not IPv4 or IPv6"
            }
            if let refusal {
                if request.egressRefusal == nil { request.egressRefusal = refusal }
                return -1
            }
            request.socketsOpened += 1
            return ccurl_open_socket(address)
        }
