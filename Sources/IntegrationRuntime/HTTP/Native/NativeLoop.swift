import CEpoll
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The native HTTP/1.1 client's event loop: one thread, one epoll set, every connection
/// non-blocking, kept alive and reused per origin (scheme, host, port).
///
/// Other threads only touch `inbox` (under its lock) and write to `wakeFD`; everything
/// else (connections, pools, the resolver cache) belongs to the loop's thread, which is
/// why the class can be `@unchecked Sendable`. Completions run on the loop's thread.
final class NativeLoop: @unchecked Sendable {
    struct Inbox {
        var pending: [NativeExchange] = []
        var resolved: [HostResolution] = []
        /// The thread waits in (or is about to enter) `epoll_wait` and nobody woke it yet.
        var sleeping = false
        var shuttingDown = false
        var thread: pthread_t?
    }

    static let shutDownDetail = "transport shut down"
    /// How long a kept-alive connection may stay unused before it is closed (servers
    /// commonly drop them after 60 s).
    static let idleLimit: UInt64 = 50_000_000_000

    let configuration: LiveTransport.Configuration
    let inbox = Mutex(Inbox())
    let epoll: Int32
    let wakeFD: Int32
    // Loop thread only:
    var connections: [NativeConnection?] = []
    var origins: [WireTarget.Origin: OriginConnections] = [:]
    /// Origins with exchanges waiting because `maxTotalConnections` was reached.
    var blockedOrigins: [WireTarget.Origin] = []
    var resolving: [String: [NativeConnection]] = [:]
    var resolver = HostResolver()
    var totalOpen = 0
    var nextDeadlineScan = UInt64.max
    lazy var tls: Result<TLSContext, TLSSetupError> = {
        do throws(TLSSetupError) {
            return .success(try TLSContext(verify: configuration.verifyTLS,
                                           trustedCertificatesFile: configuration.trustedCertificatesFile))
        } catch {
            return .failure(error)
        }
    }()
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private let events = UnsafeMutableRawPointer.allocate(byteCount: Int(cepoll_event_size()) * 256, alignment: 16)
    private var drained: [NativeExchange] = []
    private var drainedResolutions: [HostResolution] = []
    /// A completion submitted a request: run again instead of waiting.
    private var submittedFromLoop = false

    init(configuration: LiveTransport.Configuration) {
        self.configuration = configuration
        epoll = epoll_create1(CEPOLL_CLOEXEC)
        wakeFD = eventfd(0, CEVENTFD_FLAGS)
        guard epoll >= 0, wakeFD >= 0 else { fatalError("LiveTransport: cannot create its epoll set (errno \(errno))") }
        cepoll_ctl(epoll, CEPOLL_CTL_ADD, wakeFD, CEPOLL_IN)
    }

    deinit {
        close(epoll)
        close(wakeFD)
        readBuffer.deallocate()
        events.deallocate()
    }

    /// Starts the loop's thread; it keeps this object alive until it exits.
    func start() {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { context in
            let loop = Unmanaged<NativeLoop>.fromOpaque(context!).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<NativeLoop>.fromOpaque(context).release()
            fatalError("LiveTransport: cannot start its I/O thread (pthread_create \(rc))")
        }
        inbox.withLock { $0.thread = thread }
    }

    /// Queues an exchange for the loop, or fails it at once after `shutdown()`.
    func submit(_ exchange: NativeExchange) {
        let (accepted, onLoopThread, wake) = inbox.withLock { state -> (Bool, Bool, Bool) in
            if state.shuttingDown { return (false, false, false) }
            state.pending.append(exchange)
            if let thread = state.thread, pthread_equal(thread, pthread_self()) != 0 { return (true, true, false) }
            guard state.sleeping else { return (true, false, false) }
            state.sleeping = false
            return (true, false, true)
        }
        if !accepted {
            exchange.completion(.failed(.other, detail: Self.shutDownDetail))
        } else if onLoopThread {
            submittedFromLoop = true
        } else if wake {
            wakeUp()
        }
    }

    /// Hands a resolver's answer to the loop.
    func deliver(_ resolution: HostResolution) {
        let wake = inbox.withLock { state -> Bool in
            state.resolved.append(resolution)
            defer { state.sleeping = false }
            return state.sleeping
        }
        if wake { wakeUp() }
    }

    /// Stops the loop after it has failed every queued and in-flight request; waits for
    /// it unless called on the loop's thread (from a completion).
    func shutdown() {
        let thread = inbox.withLock { state -> pthread_t? in
            if state.shuttingDown { return nil }
            state.shuttingDown = true
            defer { state.thread = nil }
            return state.thread
        }
        guard let thread else { return }
        wakeUp()
        if pthread_equal(thread, pthread_self()) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }

    private func wakeUp() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: - The loop's thread

    private func run() {
        while true {
            let stopping = inbox.withLock { state -> Bool in
                swap(&state.pending, &drained)
                swap(&state.resolved, &drainedResolutions)
                return state.shuttingDown
            }
            if stopping { break }
            for resolution in drainedResolutions { resolved(resolution) }
            drainedResolutions.removeAll(keepingCapacity: true)
            for exchange in drained { dispatch(exchange) }
            drained.removeAll(keepingCapacity: true)
            var timeout = waitMilliseconds()
            if submittedFromLoop {
                submittedFromLoop = false
                timeout = 0
            } else if !goingToSleep() {
                timeout = 0
            }
            let list = events.assumingMemoryBound(to: epoll_event.self)
            let count = epoll_wait(epoll, list, 256, timeout)
            if timeout != 0 { inbox.withLock { $0.sleeping = false } }
            for i in 0..<max(0, Int(count)) {
                let fd = cepoll_event_fd(list, Int32(i))
                let flags = cepoll_event_flags(list, Int32(i))
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                } else {
                    handleEvent(fd: fd, flags: flags)
                }
            }
            scanDeadlinesIfDue()
        }
        for exchange in drained { exchange.completion(.failed(.other, detail: Self.shutDownDetail)) }
        drained.removeAll()
        failEverything(detail: Self.shutDownDetail)
    }

    /// Marks the thread as about to wait; false when there is queued work or a shutdown.
    private func goingToSleep() -> Bool {
        inbox.withLock { state in
            guard state.pending.isEmpty, state.resolved.isEmpty, !state.shuttingDown else { return false }
            state.sleeping = true
            return true
        }
    }

    /// Until the next deadline scan, at most a second.
    private func waitMilliseconds() -> Int32 {
        guard nextDeadlineScan != .max else { return 1000 }
        let now = Clock.monotonicNanos()
        guard nextDeadlineScan > now else { return 0 }
        return Int32(min(1000, (nextDeadlineScan - now) / 1_000_000 + 1))
    }
}
