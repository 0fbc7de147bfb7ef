import CCurl

/// A request waiting for a multi handle to pick it up.
struct PendingTransfer {
    let request: OutboundRequest
    let completion: @Sendable (OutboundResponse) -> Void
}

/// Initialises libcurl once per process, before the first multi handle (thread-safe lazy static).
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// One libcurl multi handle with its transfers and a pool of reusable easy handles.
///
/// Not thread-safe: one thread drives it (`begin`, `drive`, `wait`, `failAll`); only
/// `wake()` may be called from any thread, as libcurl documents for `curl_multi_wakeup`.
///
/// It uses `curl_multi_perform` and `curl_multi_poll`. `curl_multi_socket_action` on an
/// epoll set was measured too and cost more per request here (18.6 against 15.3 µs CPU
/// at 128 in flight): libcurl 7.88 still polls each connection itself, and the epoll
/// set adds an `epoll_ctl` per state change.
final class CurlMulti: @unchecked Sendable {
    /// Idle easy handles kept for reuse at most.
    private static let idleHandleLimit = 1024

    private let multi: UnsafeMutableRawPointer
    let configuration: LiveTransport.Configuration
    private var active: [CurlEasyRequest] = []
    private var idle: [CurlEasyRequest] = []

    init(configuration: LiveTransport.Configuration) {
        precondition(CurlGlobal.initialized, "curl_global_init failed")
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed (out of memory)") }
        self.multi = multi
        self.configuration = configuration
        ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(0, configuration.maxConnectionsPerHost))
        ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(0, configuration.maxTotalConnections))
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, configuration.maxTotalConnections))
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Transfers started and not completed.
    var activeCount: Int { active.count }

    /// Adds the transfer to the multi handle, or completes it at once with the reason it
    /// cannot start.
    func begin(_ transfer: PendingTransfer) {
        guard let easy = idle.popLast() ?? CurlEasyRequest() else {
            transfer.completion(.failed(.other, detail: "curl_easy_init failed"))
            return
        }
        easy.completion = transfer.completion
        if let problem = easy.configure(for: transfer.request, with: configuration) {
            recycle(easy)
            transfer.completion(.failed(.invalidRequest, detail: problem))
            return
        }
        let code = curl_multi_add_handle(multi, easy.handle)
        guard code == CURLM_OK else {
            recycle(easy)
            transfer.completion(.failed(.other, detail: "curl_multi_add_handle: \(String(cString: curl_multi_strerror(code)))"))
            return
        }
        easy.activeIndex = active.count
        active.append(easy)
    }

    /// Moves every transfer as far as it can go without waiting, then calls the
    /// completions of those that finished.
    func drive() {
        var running: Int32 = 0
        curl_multi_perform(multi, &running)
        finishCompleted()
    }

    /// Waits up to `milliseconds` for socket activity, a libcurl timer or `wake()`.
    func wait(milliseconds: Int32) {
        curl_multi_poll(multi, nil, 0, milliseconds, nil)
    }

    /// Interrupts a `wait` in progress, or makes the next one return at once.
    func wake() {
        curl_multi_wakeup(multi)
    }

    /// Ends every transfer in flight with `.failed(.other, detail:)`.
    func failAll(detail: String) {
        let stillRunning = active
        active.removeAll()
        for easy in stillRunning {
            curl_multi_remove_handle(multi, easy.handle)
            let completion = easy.completion
            recycle(easy)
            completion?(.failed(.other, detail: detail))
        }
        idle.removeAll()
    }

    private func finishCompleted() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard ccurl_msg_is_done(message) != 0, let handle = ccurl_msg_easy(message) else { continue }
            let result = ccurl_msg_result(message)
            var userdata: UnsafeMutableRawPointer?
            ccurl_easy_getinfo_ptr(handle, CURLINFO_PRIVATE, &userdata)
            guard let userdata else { continue }
            let easy = CurlEasyRequest.from(userdata)
            let response = easy.response(for: result)
            curl_multi_remove_handle(multi, handle)
            removeActive(easy)
            let completion = easy.completion
            recycle(easy)
            completion?(response)
        }
    }

    private func removeActive(_ easy: CurlEasyRequest) {
        let index = easy.activeIndex
        guard index >= 0, index < active.count, active[index] === easy else { return }
        let last = active.removeLast()
        if index < active.count {
            active[index] = last
            last.activeIndex = index
        }
        easy.activeIndex = -1
    }

    private func recycle(_ easy: CurlEasyRequest) {
        curl_easy_reset(easy.handle)
        easy.clear()
        if idle.count < Self.idleHandleLimit { idle.append(easy) }
    }
}
