import Synchronization

/// Requests waiting for their lead to reach a final state (synchronous registration): the
/// dispatcher calls `finished` after it wrote a lead's final state; a waiter gives up at its
/// deadline. One lead may have several waiters (a repeated post with its Idempotency-Key).
/// Each waiter is resumed exactly once, by whichever comes first.
final class LeadWaiters: Sendable {
    private let waiting = Mutex<[String: [Int: CheckedContinuation<Bool, Never>]]>([:])
    private let nextTicket = Atomic<Int>(0)

    /// True when `leadID` was reported finished within `seconds` (or `alreadyFinal` said so
    /// once the waiter was registered: a lead that ended before); false at the deadline.
    func wait(for leadID: String, seconds: Double, alreadyFinal: @escaping @Sendable () async -> Bool) async -> Bool {
        let ticket = nextTicket.wrappingAdd(1, ordering: .relaxed).oldValue
        return await withCheckedContinuation { continuation in
            waiting.withLock { $0[leadID, default: [:]][ticket] = continuation }
            Task {
                if await alreadyFinal() {
                    self.resume(leadID, ticket, with: true)
                    return
                }
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                self.resume(leadID, ticket, with: false)
            }
        }
    }

    /// Wakes every waiter of `leadID`.
    func finished(_ leadID: String) {
        let woken = waiting.withLock { $0.removeValue(forKey: leadID) } ?? [:]
        for continuation in woken.values { continuation.resume(returning: true) }
    }

    private func resume(_ leadID: String, _ ticket: Int, with value: Bool) {
        let continuation = waiting.withLock { waiting -> CheckedContinuation<Bool, Never>? in
            let found = waiting[leadID]?.removeValue(forKey: ticket)
            if waiting[leadID]?.isEmpty == true { waiting[leadID] = nil }
            return found
        }
        continuation?.resume(returning: value)
    }
}
