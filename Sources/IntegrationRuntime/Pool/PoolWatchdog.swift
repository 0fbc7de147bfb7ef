import CEpoll
import Foundation
import Host
import Synchronization

/// One thread per process that looks for VMs stuck inside C.
///
/// The count hook ends Lua code at its deadline, but C code (a pathological pattern in
/// `string.find`) never returns to it. Every 50 ms the watchdog asks each worker how far
/// past its deadline its running call is; past the grace period (`LuaLimits.abandonGraceSeconds`,
/// 1 s by default) the worker is abandoned: its calls end as `error` naming the
/// `time limit`, the starts it had queued go to other workers, and a fresh VM replaces it.
/// The stuck thread is left to finish on its own and never touches its VM again.
final class PoolWatchdog: Sendable {
    static let shared = PoolWatchdog()

    private struct Entry {
        weak var pool: IntegrationPool?
    }

    private let pools = Mutex<[Entry]>([])
    private let started = Atomic<Bool>(false)
    static let period: Double = 0.05

    func watch(_ pool: IntegrationPool) {
        pools.withLock { list in
            list.removeAll { $0.pool == nil }
            list.append(Entry(pool: pool))
        }
        if !started.exchange(true, ordering: .acquiringAndReleasing) {
            let thread = Thread { [self] in
                cepoll_name_this_thread("lr-watchdog")
                loop()
            }
            thread.name = "leadrelay-watchdog"
            thread.start()
        }
    }

    private func loop() {
        while true {
            Thread.sleep(forTimeInterval: Self.period)
            let live = pools.withLock { list in list.compactMap(\.pool) }
            let now = Clock.monotonicNanos()
            for pool in live { pool.abandonStuckWorkers(now: now) }
        }
    }
}

extension IntegrationPool {
    func abandonStuckWorkers(now: UInt64) {
        for worker in state.withLock({ $0.workers }) {
            guard let stuck = worker.stuck(now: now) else { continue }
            // Out of the rotation first, so no new call is handed to it while it closes.
            state.withLock { s in s.workers.removeAll { $0 === worker } }
            let (ended, requeue) = worker.abandon(stuck)
            _ = replace(worker)
            events?(.vmAbandoned(integration: name, worker: worker.index, overrunSeconds: stuck.overrunSeconds, callsEnded: ended))
            for ticket in requeue { dispatch(ticket) }
        }
    }
}
