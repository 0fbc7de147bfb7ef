import Dispatch
import Foundation
import Host
import OutboundHTTP
import Synchronization

/// An instance driven from outside a pool (`leadrelay run` and `check`) under the pools'
/// watchdog: each step of a call runs on a thread of the instance's own while the caller
/// waits, and a step that stays inside C code past the VM's deadline plus the grace period
/// (`LuaLimits.abandonGraceSeconds`) ends the call at once as `error` naming the
/// `time limit`. The stuck thread is left to finish on its own; the instance is not used
/// again (every later step ends the same way), so the caller goes on with a fresh one.
///
///     let watched = WatchedInstance(try catalog.instance("irev"))
///     var (call, step) = await watched.start(input)
///     while case .needsHTTP(let request) = step {
///         step = await watched.resume(call, with: await transport.perform(request))
///     }
///
/// The thread hop is paid only here: a pool's workers run their instances directly.
public final class WatchedInstance: WatchdogSubject, @unchecked Sendable {
    // @unchecked: `instance` is not Sendable. One thread at a time touches it: the step
    // thread while a step runs; the caller never does (it only hands work over, one step
    // after the other, each waiting for the previous one to end).
    private let instance: IntegrationInstance
    private let manifest: IntegrationManifest
    private let watch: CallWatch
    private let queue = WorkQueue<() -> Void>()
    private let state = Mutex(State())

    private struct State {
        /// Ends the running step as stuck; set while a step runs.
        var ending: (@Sendable (StuckCall) -> Void)?
        /// Set once the watchdog gave up on the instance.
        var abandoned: StuckCall?
    }

    /// What became of a step: its value, or the call stuck in it.
    enum Step<Value: Sendable>: Sendable {
        case finished(Value)
        case stuck(StuckCall)
    }

    public init(_ instance: IntegrationInstance) {
        self.instance = instance
        self.manifest = instance.manifest
        self.watch = instance.callWatch
        let queue = self.queue
        let thread = Thread {
            nameCurrentThread("lr-watched")
            var batch: [() -> Void] = []
            while true {
                queue.takeAll(into: &batch)
                if batch.isEmpty { return }
                for item in batch { item() }
                // A finished work item must not keep its captures (the instance) alive while the
                // thread waits for the next one.
                batch.removeAll(keepingCapacity: true)
            }
        }
        thread.stackSize = 16 << 20  // as a pool worker's: Lua and its C library nest deep
        thread.start()
        PoolWatchdog.shared.watch(self)
    }

    deinit { _ = queue.close() }

    // MARK: Calls

    /// `IntegrationInstance.start` on the instance's thread. When the watchdog gives up,
    /// the call (a stand-in for the one left on the stuck thread, its secrets those of the
    /// parameters) is finished with the time limit.
    public func start(_ input: CallInput) async -> (PendingCall, CallStep) {
        switch await step({ $0.start(input) }) {
        case .finished(let started):
            return started
        case .stuck(let stuck):
            let call = PendingCall(input: input, host: HostCall(now: input.now))
            call.host.masker = SecretParameters(manifest: manifest, params: input.params).masker
            return (call, .finished(CallFailure(script: manifest.name, stuck: stuck).result(masker: call.masker)))
        }
    }

    /// `IntegrationInstance.resume` on the instance's thread, or the time limit when the
    /// watchdog gives up (the result then has no exchanges: the caller has them).
    public func resume(_ call: PendingCall, with response: OutboundResponse) async -> CallStep {
        let masker = call.masker  // read before the step: the stuck thread may still change it
        switch await step({ $0.resume(call, with: response) }) {
        case .finished(let next): return next
        case .stuck(let stuck): return .finished(CallFailure(script: manifest.name, stuck: stuck).result(masker: masker))
        }
    }

    /// `IntegrationInstance.cancel` on the instance's thread.
    public func cancel(_ call: PendingCall) async {
        _ = await step { $0.cancel(call) }
    }

    /// Runs `work` with the instance on its thread and waits for its value, or for the
    /// watchdog to give up.
    func run<Value: Sendable>(_ work: @escaping (IntegrationInstance) -> Value) -> Step<Value> {
        let handoff = Handoff<Step<Value>>()
        step(work) { handoff.put($0) }
        return handoff.take()
    }

    private func step<Value: Sendable>(_ work: @escaping (IntegrationInstance) -> Value) async -> Step<Value> {
        await withCheckedContinuation { continuation in
            step(work) { continuation.resume(returning: $0) }
        }
    }

    /// Queues `work`; `deliver` gets its value, or the stuck call when the watchdog gave
    /// up first (in this step or an earlier one), exactly once.
    private func step<Value: Sendable>(_ work: @escaping (IntegrationInstance) -> Value,
                                       deliver: @escaping @Sendable (Step<Value>) -> Void) {
        let earlier = state.withLock { s -> StuckCall? in
            if let abandoned = s.abandoned { return abandoned }
            s.ending = { deliver(.stuck($0)) }
            return nil
        }
        if let earlier { return deliver(.stuck(earlier)) }
        // Only the watchdog closes the queue, and only while a step runs: this push is taken.
        queue.push { [self] in
            let value = work(instance)
            let first = state.withLock { s -> Bool in
                guard s.abandoned == nil else { return false }
                s.ending = nil
                return true
            }
            if first { deliver(.finished(value)) }
        }
    }

    // MARK: The watchdog's thread

    func abandonStuck(now: UInt64) {
        let found = state.withLock { s -> (StuckCall, @Sendable (StuckCall) -> Void)? in
            guard s.abandoned == nil, let ending = s.ending, let stuck = watch.stuck(now: now) else { return nil }
            s.abandoned = stuck
            s.ending = nil
            return (stuck, ending)
        }
        guard let (stuck, ending) = found else { return }
        // The stuck thread exits when it comes back; the instance goes with it.
        _ = queue.close()
        ending(stuck)
    }
}

/// One value handed from one thread to another that waits for it.
private final class Handoff<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func put(_ v: Value) {
        value.withLock { $0 = v }
        ready.signal()
    }

    func take() -> Value {
        ready.wait()
        return value.withLock { $0! }
    }
}
