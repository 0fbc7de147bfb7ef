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
    /// What other threads hand to the loop.
    enum Input {
        case exchange(NativeExchange)
        case resolved(HostResolution)
    }

    static let shutDownDetail = "transport shut down"
    /// How long a kept-alive connection may stay unused before it is closed (servers
    /// commonly drop them after 60 s).
    static let idleLimit: UInt64 = 50_000_000_000
    /// Bytes read from one connection before the loop turns to the others (the rest waits
    /// for the next wake-up): a server that floods cannot keep the thread to itself.
    static let readBytesPerWakeUp = 256 * 1024

    let configuration: LiveTransport.Configuration
    let inbox = Mutex(IOThreadInbox<Input>())
    let epoll: Int32
    let wakeFD: Int32
    // Loop thread only:
    /// Connections by socket, for epoll's events.
    var connections: [NativeConnection?] = []
    /// Connections by the pool's number, for its actions.
    var pooled: [PoolConnectionID: NativeConnection] = [:]
    /// Which connection carries which exchange: decided by this value, carried out here.
    var pool: NativePoolState<NativeExchange>
    var resolving: [String: [NativeConnection]] = [:]
    var resolver = HostResolver()
    /// TLS connections that stopped reading at `readBytesPerWakeUp` with decrypted bytes
    /// left inside OpenSSL, which no socket event will announce: read again next round.
    var readAgain: [NativeConnection] = []
    private var readingAgain: [NativeConnection] = []
    lazy var tls: Result<TLSContext, TLSSetupError> = {
        do throws(TLSSetupError) {
            return .success(
                try TLSContext(
                    verify: configuration.verifyTLS,
                    trustedCertificatesFile: configuration.trustedCertificatesFile))
        } catch {
            return .failure(error)
        }
    }()
    let tlsSessions = TLSSessionCache()
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private let events = UnsafeMutableRawPointer.allocate(byteCount: Int(cepoll_event_size()) * 256, alignment: 16)
    private var drained: [Input] = []
    /// A completion submitted a request: run again instead of waiting.
    private var submittedFromLoop = false

    init(configuration: LiveTransport.Configuration) {
        self.configuration = configuration
        pool = NativePoolState(
            limits: .init(
                maxPerOrigin: configuration.maxConnectionsPerHost, maxTotal: configuration.maxTotalConnections,
                connectTimeout: nanoseconds(configuration.connectTimeout), idleLimit: Self.idleLimit))
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
        let thread = IOThread.start(name: "leadrelay-http") {
            IOThread.blockSIGPIPE()
            self.run()
        }
        inbox.withLock { $0.thread = thread }
    }

    /// Queues an exchange for the loop, or fails it at once after `shutdown()`.
    func submit(_ exchange: NativeExchange) {
        switch inbox.withLock({ $0.admit(.exchange(exchange)) }) {
        case .refused: exchange.completion(.failed(.other, detail: Self.shutDownDetail))
        case .queuedOnIOThread: submittedFromLoop = true
        case .queued(let wake): if wake { wakeUp() }
        }
    }

    /// Hands a resolver's answer to the loop (dropped once it shuts down).
    func deliver(_ resolution: HostResolution) {
        if case .queued(wake: true) = inbox.withLock({ $0.admit(.resolved(resolution)) }) { wakeUp() }
    }

    /// Stops the loop after it has failed every queued and in-flight request; waits for
    /// it unless called on the loop's thread (from a completion).
    func shutdown() {
        guard let thread = inbox.withLock({ $0.beginShutdown() }) else { return }
        wakeUp()
        IOThread.finish(thread)
    }

    private func wakeUp() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: - The loop's thread

    private func run() {
        while true {
            let stopping = inbox.withLock { state in
                swap(&state.pending, &drained)
                return state.shuttingDown
            }
            if stopping { break }
            for input in drained {
                switch input {
                case .exchange(let exchange): dispatch(exchange)
                case .resolved(let resolution): resolved(resolution)
                }
            }
            drained.removeAll(keepingCapacity: true)
            var timeout = waitMilliseconds()
            if submittedFromLoop || !readAgain.isEmpty {
                submittedFromLoop = false
                timeout = 0
            } else if !inbox.withLock({ $0.goingToSleep() }) {
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
            if !readAgain.isEmpty {
                swap(&readAgain, &readingAgain)
                for connection in readingAgain { continueReading(connection) }
                readingAgain.removeAll(keepingCapacity: true)
            }
            scanDeadlinesIfDue()
        }
        for case .exchange(let exchange) in drained { exchange.completion(.failed(.other, detail: Self.shutDownDetail)) }
        drained.removeAll()
        failEverything(detail: Self.shutDownDetail)
    }

    /// Until the next deadline scan, at most a second.
    private func waitMilliseconds() -> Int32 {
        let next = pool.nextDeadline
        guard next != .max else { return 1000 }
        let now = SystemClock.monotonicNanos()
        guard next > now else { return 0 }
        return Int32(min(1000, (next - now) / 1_000_000 + 1))
    }
}
