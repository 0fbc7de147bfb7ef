#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A multi-producer, single-consumer queue whose consumer blocks while it is empty.
/// Producers are any threads (callers, the transport's I/O thread); the consumer is one
/// worker thread, which takes everything queued at once so a busy worker pays for one
/// lock per batch, not per item.
final class WorkQueue<Item>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var items: [Item] = []
    private var closed = false
    private var waiting = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Adds an item; false when the queue was closed (the item was not taken).
    @discardableResult
    func push(_ item: Item) -> Bool {
        pthread_mutex_lock(mutex)
        guard !closed else {
            pthread_mutex_unlock(mutex)
            return false
        }
        items.append(item)
        // One signal per wait: later pushes before the consumer runs find it already woken.
        let wake = waiting
        waiting = false
        pthread_mutex_unlock(mutex)
        if wake { pthread_cond_signal(condition) }
        return true
    }

    /// Waits until there is work, then takes all of it. Empty once the queue is closed
    /// and drained.
    func takeAll(into batch: inout [Item]) {
        batch.removeAll(keepingCapacity: true)
        pthread_mutex_lock(mutex)
        while items.isEmpty && !closed {
            waiting = true
            pthread_cond_wait(condition, mutex)
            waiting = false
        }
        swap(&batch, &items)
        pthread_mutex_unlock(mutex)
    }

    /// Refuses further items, wakes the consumer and returns what was still queued.
    func close() -> [Item] {
        pthread_mutex_lock(mutex)
        closed = true
        let rest = items
        items = []
        pthread_mutex_unlock(mutex)
        pthread_cond_broadcast(condition)
        return rest
    }
}
