import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `CurlMulti` driven by one dedicated I/O thread: `LiveTransport`'s libcurl engine.
///
/// Other threads only touch `inbox` (under its lock) and call `wake()`. Everything else
/// (the multi handle's transfers, the callbacks) runs on the I/O thread alone, which is
/// why the class can be `@unchecked Sendable`.
final class CurlMultiLoop: @unchecked Sendable {
    static let shutDownDetail = "transport shut down"

    private let inbox = Mutex(IOThreadInbox<PendingTransfer>())
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
        let thread = IOThread.start(name: "leadrelay-curl") { self.run() }
        inbox.withLock { $0.thread = thread }
    }

    /// Queues a request for the I/O thread, or fails it at once after `shutdown()`.
    func submit(_ transfer: PendingTransfer) {
        switch inbox.withLock({ $0.admit(transfer) }) {
        case .refused: transfer.completion(.failed(.other, detail: Self.shutDownDetail))
        case .queuedOnIOThread: submittedFromLoop = true
        case .queued(let wake): if wake { multi.wake() }
        }
    }

    /// Stops the I/O thread after it has failed every queued and in-flight request, and
    /// waits for it unless called on the I/O thread itself (from a completion).
    func shutdown() {
        guard let thread = inbox.withLock({ $0.beginShutdown() }) else { return }
        multi.wake()
        IOThread.finish(thread)
    }

    // MARK: - I/O thread

    private func run() {
        while true {
            let stopping = inbox.withLock { state in
                swap(&state.pending, &drained)
                return state.shuttingDown
            }
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
            guard inbox.withLock({ $0.goingToSleep() }) else { continue }
            multi.wait(milliseconds: 1000)
            inbox.withLock { $0.sleeping = false }
        }
        multi.failAll(detail: Self.shutDownDetail)
    }
}
