import Foundation
import Host
import OutboundHTTP
import Synchronization

/// What the watchdog polls: something running VMs that gives up on those stuck inside C.
protocol WatchdogSubject: AnyObject, Sendable {
    /// Abandons whatever runs a hook call past its deadline plus the grace period
    /// (`CallWatch.stuck(now:)`).
    func abandonStuck(now: UInt64)
}

/// One thread per process that looks for VMs stuck inside C.
///
/// The count hook ends Lua code at its deadline, but C code that does not return (a host
/// function that blocks) never reaches it. Every 50 ms the watchdog asks each subject (the
/// pools, which `leadrelay run` and `check` use too) how far past its deadline each running
/// call is; past the grace period (`LuaLimits.abandonGraceSeconds`,
/// 1 s by default) the VM is abandoned: its calls end as `error` naming the `time limit`,
/// and a pool moves the starts the worker had queued to other workers and puts a fresh
/// VM in its place. The stuck thread is left to finish on its own and never touches its VM again.
final class PoolWatchdog: Sendable {
    static let shared = PoolWatchdog()

    private struct Entry {
        weak var subject: (any WatchdogSubject)?
    }

    private let subjects = Mutex<[Entry]>([])
    private let started = Atomic<Bool>(false)
    static let period: Double = 0.05

    func watch(_ subject: any WatchdogSubject) {
        subjects.withLock { list in
            list.removeAll { $0.subject == nil }
            list.append(Entry(subject: subject))
        }
        if !started.exchange(true, ordering: .acquiringAndReleasing) {
            let thread = Thread { [self] in
                nameCurrentThread("lr-watchdog")
                loop()
            }
            thread.name = "leadrelay-watchdog"
            thread.start()
        }
    }

    private func loop() {
        while true {
            Thread.sleep(forTimeInterval: Self.period)
            let live = subjects.withLock { list in list.compactMap(\.subject) }
            let now = SystemClock.monotonicNanos()
            for subject in live { subject.abandonStuck(now: now) }
        }
    }
}

extension IntegrationPool: WatchdogSubject {
    func abandonStuck(now: UInt64) {
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
