import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `CurlMulti` driven by one dedicated I/O thread: the transport's path for requests
/// from any thread that does not run its own `CurlWorkerLoop`.
///
/// Other threads only touch `inbox` (under its lock) and call `wake()`. Everything else
/// (the multi handle's transfers, the callbacks) runs on the I/O thread alone, which is
/// why the class can be `@unchecked Sendable`.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Inbox {
        var pending: [PendingTransfer] = []
        /// The I/O thread is waiting in (or about to enter) `curl_multi_poll` and nobody
        /// has woken it yet: the next submitter sends the one wakeup. While the thread
        /// works, submitters only queue (it looks at the queue before it waits again).
        var sleeping = false
        var shuttingDown = false
        var thread: pthread_t?
    }

    static let shutDownDetail = "transport shut down"

    private let inbox = Mutex(Inbox())
    private let multi: CurlMulti
    // I/O thread only:
    private var drained: [PendingTransfer] = []
    /// A completion queued a request: run the loop again instead of waiting in poll.
    private var submittedFromLoop = false

    init(configuration: LiveTransport.Configuration) {
        multi = CurlMulti(configuration: configuration)
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
            guard state.sleeping else { return (true, false, false) }
            state.sleeping = false
            return (true, false, true)
        }
        if !accepted {
            transfer.completion(.failed(.other, detail: Self.shutDownDetail))
        } else if onLoopThread {
            submittedFromLoop = true
        } else if wake {
            multi.wake()
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
        multi.wake()
        if pthread_equal(thread, pthread_self()) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }

    // MARK: - I/O thread

    private func run() {
        while true {
            let stopping = takePending()
            for transfer in drained {
                if stopping {
                    transfer.completion(.failed(.other, detail: Self.shutDownDetail))
                } else {
                    multi.begin(transfer)
                }
            }
            drained.removeAll(keepingCapacity: true)
            if stopping { break }
            multi.drive()
            if submittedFromLoop {
                submittedFromLoop = false
                continue
            }
            guard goingToSleep() else { continue }
            multi.wait(milliseconds: 1000)
            inbox.withLock { $0.sleeping = false }
        }
        multi.failAll(detail: Self.shutDownDetail)
    }

    /// Moves queued transfers into `drained`; true once shutdown has begun.
    private func takePending() -> Bool {
        inbox.withLock { state in
            swap(&state.pending, &drained)
            return state.shuttingDown
        }
    }

    /// Marks the thread as about to wait; false when there is queued work or a shutdown
    /// to see first.
    private func goingToSleep() -> Bool {
        inbox.withLock { state in
            guard state.pending.isEmpty, !state.shuttingDown else { return false }
            state.sleeping = true
            return true
        }
    }
}
