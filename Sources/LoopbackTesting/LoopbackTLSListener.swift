import COpenSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The threads behind `LoopbackTLSServer`: one blocking accept thread, and one blocking
/// thread per connection (see `serve(_:)`). `@unchecked Sendable` because of the OpenSSL
/// context pointer (an `SSL_CTX` may be shared by threads once set up) and `acceptThread`,
/// which only `start()` and then `stop()` touch, under `LoopbackTLSServer`'s lock.
final class LoopbackTLSListener: @unchecked Sendable {
    let port: Int
    let handler: LoopbackHTTPServer.Handler
    let statistics: LoopbackStatistics
    /// `SSL_CTX *`, freed by `stop()`.
    let context: OpaquePointer
    let stopping = Atomic<Bool>(false)
    private let listenFD: Int32
    private let table = Mutex(ConnectionTable())
    private var acceptThread: pthread_t?

    /// The open connection sockets (so `stop()` can shut them down) and their threads.
    private struct ConnectionTable {
        var openSockets: Set<Int32> = []
        var threads: [Int: pthread_t] = [:]
        /// Connections whose thread has returned and may be joined.
        var finished: Set<Int> = []
        var nextID = 0
    }

    init(certificate: TestCertificate, handler: @escaping LoopbackHTTPServer.Handler, statistics: LoopbackStatistics) throws {
        self.handler = handler
        self.statistics = statistics
        context = try Self.makeContext(certificate)
        do {
            (listenFD, port) = try openLoopbackListener(nonBlocking: false)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
    }

    /// A server `SSL_CTX`: TLS 1.2 or newer, the certificate and key read from memory.
    private static func makeContext(_ certificate: TestCertificate) throws -> OpaquePointer {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw LoopbackTLSError.openSSL("SSL_CTX_new") }
        do {
            guard copenssl_ctx_set_min_tls12(context) == 1 else { throw LoopbackTLSError.openSSL("SSL_CTX_set_min_proto_version") }
            try withMemoryBIO(certificate.certificatePEM) { bio in
                guard let x509 = PEM_read_bio_X509(bio, nil, nil, nil) else { throw LoopbackTLSError.openSSL("PEM_read_bio_X509") }
                defer { X509_free(x509) }
                guard SSL_CTX_use_certificate(context, x509) == 1 else { throw LoopbackTLSError.openSSL("SSL_CTX_use_certificate") }
            }
            try withMemoryBIO(certificate.privateKeyPEM) { bio in
                guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
                    throw LoopbackTLSError.openSSL("PEM_read_bio_PrivateKey")
                }
                defer { EVP_PKEY_free(key) }
                guard SSL_CTX_use_PrivateKey(context, key) == 1 else { throw LoopbackTLSError.openSSL("SSL_CTX_use_PrivateKey") }
            }
            guard SSL_CTX_check_private_key(context) == 1 else { throw LoopbackTLSError.openSSL("SSL_CTX_check_private_key") }
            return context
        } catch {
            SSL_CTX_free(context)
            throw error
        }
    }

    /// Starts the accept thread.
    func start() throws {
        guard let thread = startThread({ [self] in acceptConnections() }) else {
            throw LoopbackServerError(call: "pthread_create", code: errno)
        }
        acceptThread = thread
    }

    /// Stops accepting, shuts down every connection socket (which ends blocked reads, writes
    /// and handshakes), joins all threads and frees the context. Call once.
    func stop() {
        stopping.store(true, ordering: .releasing)
        shutdown(listenFD, Int32(SHUT_RDWR))
        if let acceptThread { pthread_join(acceptThread, nil) }
        close(listenFD)
        let threads = table.withLock { table -> [pthread_t] in
            for fd in table.openSockets { shutdown(fd, Int32(SHUT_RDWR)) }
            defer { table.threads.removeAll() }
            return Array(table.threads.values)
        }
        for thread in threads { pthread_join(thread, nil) }
        SSL_CTX_free(context)
    }

    private func acceptConnections() {
        while !stopping.load(ordering: .acquiring) {
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else {
                if errno != EINTR && errno != ECONNABORTED && !stopping.load(ordering: .acquiring) { usleep(10_000) }
                continue
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            statistics.connectionsAccepted.add(1, ordering: .relaxed)
            let (id, finished) = table.withLock { table -> (Int, [pthread_t]) in
                table.openSockets.insert(fd)
                table.nextID += 1
                let joinable = table.finished.filter { table.threads[$0] != nil }
                table.finished.subtract(joinable)
                return (table.nextID, joinable.compactMap { table.threads.removeValue(forKey: $0) })
            }
            for thread in finished { pthread_join(thread, nil) }
            let thread = startThread { [self] in
                serve(fd)
                table.withLock { _ = $0.finished.insert(id) }
            }
            if let thread {
                table.withLock { $0.threads[id] = thread }
            } else {
                release(fd)
            }
        }
    }

    /// Forgets a connection socket and closes it (after which its number may be reused, so
    /// `stop()` must no longer see it).
    func release(_ fd: Int32) {
        table.withLock { _ = $0.openSockets.remove(fd) }
        close(fd)
    }
}

/// Runs `body` on a new joinable pthread; nil when the thread could not be created.
func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    final class Work {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let work = Unmanaged.passRetained(Work(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
        &thread, nil,
        { work in
            Unmanaged<Work>.fromOpaque(work!).takeRetainedValue().body()
            return nil
        }, work)
    guard rc == 0 else {
        Unmanaged<Work>.fromOpaque(work).release()
        errno = rc
        return nil
    }
    return thread
}

/// Calls `body` with a read-only memory BIO over `text`'s UTF-8 bytes.
func withMemoryBIO<Result>(_ text: String, _ body: (OpaquePointer) throws -> Result) throws -> Result {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { buffer in
        guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { throw LoopbackTLSError.openSSL("BIO_new_mem_buf") }
        defer { BIO_free(bio) }
        return try body(bio)
    }
}
