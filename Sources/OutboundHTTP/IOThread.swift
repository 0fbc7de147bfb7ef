import CEpoll

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What callers hand to a transport's I/O thread, under the thread's lock: the queued
/// items, whether the thread sleeps (so that exactly one submitter wakes it), shutdown.
/// Both engines' loops keep one in a `Mutex`.
struct IOThreadInbox<Item> {
    enum Admission {
        /// Shut down: the item was not queued.
        case refused
        /// Queued from the I/O thread itself (a completion): it runs again before it sleeps.
        case queuedOnIOThread
        /// Queued; `wake` when this submitter must wake the sleeping thread.
        case queued(wake: Bool)
    }

    var pending: [Item] = []
    /// The thread waits in (or is about to enter) its poll and nobody has woken it yet.
    var sleeping = false
    var shuttingDown = false
    var thread: pthread_t?

    mutating func admit(_ item: Item) -> Admission {
        if shuttingDown { return .refused }
        pending.append(item)
        if let thread, pthread_equal(thread, pthread_self()) != 0 { return .queuedOnIOThread }
        guard sleeping else { return .queued(wake: false) }
        sleeping = false
        return .queued(wake: true)
    }

    /// Marks the thread as about to wait; false when there is queued work or a shutdown.
    mutating func goingToSleep() -> Bool {
        guard pending.isEmpty, !shuttingDown else { return false }
        sleeping = true
        return true
    }

    /// Starts the shutdown once: the thread to stop (and wake), nil if already stopping.
    mutating func beginShutdown() -> pthread_t? {
        if shuttingDown { return nil }
        shuttingDown = true
        defer { thread = nil }
        return thread
    }
}

enum IOThread {
    /// Starts a thread named `name` (as `top -H` and `perf` show it) running `body`, which
    /// keeps what it captures alive until it returns.
    static func start(name: String, _ body: @escaping () -> Void) -> pthread_t {
        final class Box {
            let body: () -> Void
            init(_ body: @escaping () -> Void) { self.body = body }
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(
            Box {
                cepoll_name_this_thread(String(name.prefix(15)))
                body()
            }
        ).toOpaque()
        let rc = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Box>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            fatalError("LiveTransport: cannot start its I/O thread (pthread_create \(rc))")
        }
        return thread
    }

    /// Blocks SIGPIPE on the calling thread: OpenSSL writes to sockets with plain `write`,
    /// which raises it (and would end the process) when the peer has closed; blocked, the
    /// write just fails with EPIPE. Plain sockets use `MSG_NOSIGNAL` instead.
    static func blockSIGPIPE() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for `thread` to end, or detaches it when called on that thread (a completion
    /// that shut the transport down).
    static func finish(_ thread: pthread_t) {
        if pthread_equal(thread, pthread_self()) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }
}
