import CCurl
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request waiting for the I/O thread to pick it up.
struct PendingTransfer {
    let request: HTTPRequest
    let completion: @Sendable (HTTPResponse) -> Void
}

/// Initialises libcurl once per process, before the first multi handle (thread-safe lazy static).
private enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// One libcurl multi handle driven by one dedicated I/O thread.
///
/// Other threads only touch `inbox` (under its lock) and call `curl_multi_wakeup`, which
/// libcurl documents as safe from any thread. Everything else — the multi handle's
/// transfers, the easy-handle pool, the callbacks — runs on the I/O thread alone, which
/// is why the class can be `@unchecked Sendable`.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Inbox {
        var pending: [PendingTransfer] = []
        /// A wakeup is already on its way; further submitters need not send another.
        var wakeupRequested = false
        var shuttingDown = false
        var thread: pthread_t?
    }

    private static let shutDownDetail = "transport shut down"
    /// Idle easy handles kept for reuse at most.
    private static let idleHandleLimit = 1024

    private let inbox = Mutex(Inbox())
    private let multi: UnsafeMutableRawPointer
    private let configuration: LiveTransport.Configuration
    // I/O thread only:
    private var active: [CurlEasyRequest] = []
    private var idle: [CurlEasyRequest] = []
    private var drained: [PendingTransfer] = []
    /// A completion queued a request: run the loop again instead of waiting in poll.
    private var submittedFromLoop = false

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

    /// Starts the I/O thread; it keeps this object alive until it exits.
    func start() {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { context in
            let loop = Unmanaged<CurlMultiLoop>.fromOpaque(context!).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<CurlMultiLoop>.fromOpaque(context).release()
            fatalError("LiveTransport: cannot start its I/O thread (pthread_create \(rc))")
        }
        inbox.withLock { $0.thread = thread }
    }

    /// Queues a request for the I/O thread, or fails it at once after `shutdown()`.
    func submit(_ transfer: PendingTransfer) {
        let (accepted, onLoopThread, wake) = inbox.withLock { state -> (Bool, Bool, Bool) in
            if state.shuttingDown { return (false, false, false) }
            state.pending.append(transfer)
            // From a completion on the I/O thread: the loop picks it up before it polls again.
            if let thread = state.thread, pthread_equal(thread, pthread_self()) != 0 { return (true, true, false) }
            if state.wakeupRequested { return (true, false, false) }
            state.wakeupRequested = true
            return (true, false, true)
        }
        if !accepted {
            transfer.completion(.failed(.other, detail: Self.shutDownDetail))
        } else if onLoopThread {
            submittedFromLoop = true
        } else if wake {
            curl_multi_wakeup(multi)
        }
    }

    /// Stops the I/O thread after it has failed every queued and in-flight request, and
    /// waits for it unless called on the I/O thread itself (from a completion).
    func shutdown() {
        let thread = inbox.withLock { state -> pthread_t? in
            if state.shuttingDown { return nil }
            state.shuttingDown = true
            defer { state.thread = nil }
            return state.thread
        }
        guard let thread else { return }
        curl_multi_wakeup(multi)
        if pthread_equal(thread, pthread_self()) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }

    // MARK: - I/O thread

    private func run() {
        var running: Int32 = 0
        while true {
            let stopping = takePending()
            for transfer in drained {
                if stopping {
                    transfer.completion(.failed(.other, detail: Self.shutDownDetail))
                } else {
                    begin(transfer)
                }
            }
            drained.removeAll(keepingCapacity: true)
            if stopping { break }
            curl_multi_perform(multi, &running)
            finishCompleted()
            if submittedFromLoop {
                submittedFromLoop = false
                continue
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        let stillRunning = active
        active.removeAll()
        for easy in stillRunning {
            curl_multi_remove_handle(multi, easy.handle)
            let completion = easy.completion
            recycle(easy)
            completion?(.failed(.other, detail: Self.shutDownDetail))
        }
        idle.removeAll()
    }

    /// Moves queued transfers into `drained`; true once shutdown has begun.
    private func takePending() -> Bool {
        inbox.withLock { state in
            swap(&state.pending, &drained)
            state.wakeupRequested = false
            return state.shuttingDown
        }
    }

    private func begin(_ transfer: PendingTransfer) {
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
