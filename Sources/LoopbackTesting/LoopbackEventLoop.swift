import CEpoll
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The epoll loop behind `LoopbackHTTPServer`. Created and stopped from any thread; all
/// connection state is touched only by the loop thread, hence `@unchecked Sendable`.
final class LoopbackEventLoop: @unchecked Sendable {
    let port: Int
    private let listenFD: Int32
    private let wakeFD: Int32
    private let epollFD: Int32
    private let handler: LoopbackHTTPServer.Handler
    private let statistics: LoopbackStatistics
    private let stopping = Atomic<Bool>(false)
    private var thread = pthread_t()
    // Loop thread only:
    private var connections: [LoopbackConnection?] = []
    private var timers: [(deadline: UInt64, connection: LoopbackConnection, response: LoopbackResponse, close: Bool)] = []
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(handler: @escaping LoopbackHTTPServer.Handler, statistics: LoopbackStatistics) throws {
        self.handler = handler
        self.statistics = statistics
        let (fd, boundPort) = try openLoopbackListener(nonBlocking: true)
        port = boundPort
        listenFD = fd
        wakeFD = eventfd(0, CEVENTFD_FLAGS)
        epollFD = epoll_create1(CEPOLL_CLOEXEC)
        guard wakeFD >= 0, epollFD >= 0 else {
            let code = errno
            close(fd)
            throw LoopbackServerError(call: "eventfd/epoll_create1", code: code)
        }
        watch(listenFD, events: CEPOLL_IN, operation: CEPOLL_CTL_ADD)
        watch(wakeFD, events: CEPOLL_IN, operation: CEPOLL_CTL_ADD)
    }

    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(
            &thread, nil,
            { context in
                let loop = Unmanaged<LoopbackEventLoop>.fromOpaque(context!).takeRetainedValue()
                cepoll_name_this_thread("loopback-server")
                loop.run()
                return nil
            }, context)
        precondition(rc == 0, "LoopbackHTTPServer: pthread_create failed (\(rc))")
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
        pthread_join(thread, nil)
        for connection in connections.compactMap({ $0 }) { close(connection.fd) }
        connections.removeAll()
        timers.removeAll()
        close(listenFD)
        close(wakeFD)
        close(epollFD)
    }

    var threadCPUSeconds: Double {
        var clock = clockid_t()
        guard pthread_getcpuclockid(thread, &clock) == 0 else { return 0 }
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func watch(_ fd: Int32, events: UInt32, operation: Int32) {
        cepoll_ctl(epollFD, operation, fd, events)
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !stopping.load(ordering: .acquiring) {
            let count = epoll_wait(epollFD, &events, Int32(events.count), nextTimeoutMilliseconds())
            if count > 0 {
                for index in 0..<Int(count) {
                    let fd = cepoll_event_fd(events, Int32(index))
                    let flags = cepoll_event_flags(events, Int32(index))
                    if fd == listenFD {
                        acceptAll()
                    } else if fd != wakeFD, Int(fd) < connections.count, let connection = connections[Int(fd)] {
                        if flags & CEPOLL_OUT != 0 { flushOrClose(connection) }
                        if flags & (CEPOLL_IN | CEPOLL_HUP | CEPOLL_ERR) != 0 { readAndServe(connection) }
                    }
                }
            }
            fireDueTimers()
        }
    }

    private func acceptAll() {
        while true {
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            statistics.connectionsAccepted.add(1, ordering: .relaxed)
            if Int(fd) >= connections.count { connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count)) }
            connections[Int(fd)] = LoopbackConnection(fd: fd)
            watch(fd, events: CEPOLL_IN, operation: CEPOLL_CTL_ADD)
        }
    }

    private func readAndServe(_ connection: LoopbackConnection) {
        let n = readBuffer.withUnsafeMutableBytes { read(connection.fd, $0.baseAddress, $0.count) }
        if n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) {
            closeConnection(connection)
            return
        }
        if n > 0 { connection.input.append(contentsOf: readBuffer[0..<n]) }
        serveBuffered(connection)
    }

    /// Answers every complete request in the connection's input, in order.
    private func serveBuffered(_ connection: LoopbackConnection) {
        while !connection.awaitingDelayedResponse && !connection.closeAfterFlush {
            guard let parsed = connection.nextRequest() else { break }
            switch parsed {
            case .malformed:
                connection.closeAfterFlush = true
                LoopbackResponse(status: 400, text: "malformed request\n").write(to: &connection.output, closing: true)
            case .request(let request, let close):
                let response = handler(request)
                statistics.requestsServed.add(1, ordering: .relaxed)
                if response.delay > 0 {
                    connection.awaitingDelayedResponse = true
                    let deadline = monotonicNanoseconds() + UInt64(response.delay * 1e9)
                    timers.append((deadline, connection, response, close || response.closeDelimited))
                } else {
                    connection.closeAfterFlush = close || response.closeDelimited
                    response.write(to: &connection.output, closing: close)
                }
            }
        }
        connection.compactInput()
        flushOrClose(connection)
    }

    private func flushOrClose(_ connection: LoopbackConnection) {
        guard !connection.closed else { return }
        if connection.flush() {
            if connection.closeAfterFlush {
                closeConnection(connection)
            } else if connection.watchingWritable {
                connection.watchingWritable = false
                watch(connection.fd, events: CEPOLL_IN, operation: CEPOLL_CTL_MOD)
            }
        } else if errno != EAGAIN {
            closeConnection(connection)
        } else if !connection.watchingWritable {
            connection.watchingWritable = true
            watch(connection.fd, events: CEPOLL_IN | CEPOLL_OUT, operation: CEPOLL_CTL_MOD)
        }
    }

    private func closeConnection(_ connection: LoopbackConnection) {
        guard !connection.closed else { return }
        connection.closed = true
        connections[Int(connection.fd)] = nil
        close(connection.fd)
    }

    private func nextTimeoutMilliseconds() -> Int32 {
        guard let earliest = timers.lazy.map(\.deadline).min() else { return -1 }
        let now = monotonicNanoseconds()
        guard earliest > now else { return 0 }
        return Int32(min((earliest - now + 999_999) / 1_000_000, 60_000))
    }

    private func fireDueTimers() {
        guard !timers.isEmpty else { return }
        let now = monotonicNanoseconds()
        var due: [(deadline: UInt64, connection: LoopbackConnection, response: LoopbackResponse, close: Bool)] = []
        timers.removeAll { timer in
            guard timer.deadline <= now else { return false }
            due.append(timer)
            return true
        }
        for timer in due.sorted(by: { $0.deadline < $1.deadline }) where !timer.connection.closed {
            let connection = timer.connection
            connection.awaitingDelayedResponse = false
            connection.closeAfterFlush = timer.close
            timer.response.write(to: &connection.output, closing: timer.close)
            serveBuffered(connection)
        }
    }
}

/// A TCP socket listening on 127.0.0.1 at an ephemeral port, and that port.
func openLoopbackListener(nonBlocking: Bool) throws -> (fd: Int32, port: Int) {
    var type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
    let fd = socket(AF_INET, type, 0)
    guard fd >= 0 else { throw LoopbackServerError(call: "socket", code: errno) }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0, listen(fd, 1024) == 0 else {
        let code = errno
        close(fd)
        throw LoopbackServerError(call: "bind/listen 127.0.0.1:0", code: code)
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
