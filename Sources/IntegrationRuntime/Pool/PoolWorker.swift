import Foundation
import Host
import OutboundHTTP
import Synchronization

/// One VM of a pool and the thread that owns it.
///
/// The thread takes work items from its queue: start a call, resume a call with the response it
/// waited for, or swap in a reloaded script. A call waiting for HTTP holds no thread: the
/// transport's completion queues a `resume` work item. So one worker interleaves thousands of
/// calls, the way OpenResty's cosockets do.
final class PoolWorker: @unchecked Sendable {
    enum WorkItem {
        case start(CallTicket)
        case resume(CallTicket, OutboundResponse)
        case swap(IntegrationInstance)
    }

    /// What the watchdog may look at from its own thread.
    struct Watched {
        var busy: CallTicket?
        var watch: CallWatch?
        /// The instance the busy call runs on (its manifest names the call's secret parameters).
        var instance: BusyInstance?
        /// Calls started on this worker and not completed yet.
        var live: [ObjectIdentifier: CallTicket] = [:]
        var abandoned = false
    }

    /// The instance a step runs on, for the watchdog's thread. @unchecked: that thread only
    /// reads `manifest`, a `let` of the instance, never the VM.
    struct BusyInstance: @unchecked Sendable {
        let instance: IntegrationInstance
    }

    let index: Int
    /// The integration's name, for messages.
    let script: String
    private let queue = WorkQueue<WorkItem>()
    private let transport: any HTTPTransport
    private let watched = Mutex(Watched())
    /// Owned by the worker's thread once it runs.
    private var instance: IntegrationInstance?

    init(index: Int, instance: IntegrationInstance, transport: any HTTPTransport) {
        self.index = index
        self.script = instance.manifest.name
        self.instance = instance
        self.transport = transport
    }

    func start(name: String) {
        let osName = String("vm\(index)-\(name)".prefix(15))
        let thread = Thread { [self] in
            // Foundation does not name the OS thread on Linux: `top -H` and `perf` show
            // `vm<index>-<integration>` (15 bytes at most).
            nameCurrentThread(osName)
            run()
        }
        thread.name = "leadrelay-\(name)-\(index)"
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Queues a work item; false when the worker no longer takes any (abandoned or stopped).
    @discardableResult
    func enqueue(_ item: WorkItem) -> Bool { queue.push(item) }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The worker whose thread is the caller's, if any.
    static var current: PoolWorker? {
        pthread_getspecific(currentKey).map { Unmanaged<PoolWorker>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Calls started here and not finished.
    var liveCount: Int { watched.withLock { $0.live.count } }

    // MARK: The worker's thread

    private func run() {
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Self.currentKey, nil) }
        var batch: [WorkItem] = []
        work: while true {
            queue.takeAll(into: &batch)
            if batch.isEmpty { break }
            for item in batch {
                handle(item)
                if watched.withLock({ $0.abandoned }) { break work }
            }
        }
        batch.removeAll()
        instance = nil
    }

    private func handle(_ item: WorkItem) {
        switch item {
        case .swap(let newer):
            instance = newer
        case .start(let ticket):
            guard let instance, begin(ticket, on: instance, starting: true) else {
                return reject(ticket)
            }
            ticket.instance = instance
            let (call, step) = instance.start(ticket.input)
            ticket.call = call
            guard end() else { return }
            proceed(ticket, step)
        case .resume(let ticket, let response):
            guard let instance = ticket.instance, let call = ticket.call,
                begin(ticket, on: instance, starting: false)
            else { return }
            let step = instance.resume(call, with: response)
            guard end() else { return }
            proceed(ticket, step)
        }
    }

    private func proceed(_ ticket: CallTicket, _ step: CallStep) {
        switch step {
        case .finished(let result):
            complete(ticket, result)
        case .needsHTTP(let request):
            transport.perform(request) { [self] response in
                if !enqueue(.resume(ticket, response)) {
                    // The worker stopped: nothing touches the ticket's call any more.
                    let masker = ticket.call?.masker ?? SecretMasker()
                    let failure = CallFailure(
                        script: script, hook: ticket.call?.waitingHook,
                        what: "the worker stopped while the call waited for \(request.method) \(request.url)")
                    complete(ticket, failure.result(masker: masker))
                }
            }
        }
    }

    /// Marks `ticket` as running on `instance`; false when the worker was abandoned or the
    /// call was already ended.
    private func begin(_ ticket: CallTicket, on instance: IntegrationInstance, starting: Bool) -> Bool {
        let watch = instance.callWatch
        let busy = BusyInstance(instance: instance)
        return watched.withLock { w in
            if w.abandoned { return false }
            if starting { w.live[ticket.id] = ticket } else if w.live[ticket.id] == nil { return false }
            w.busy = ticket
            w.watch = watch
            w.instance = busy
            return true
        }
    }

    /// Marks the step as over; false when the watchdog abandoned the worker while the step
    /// was stuck: its call already ended as `error`, so what the step produced (a request to
    /// send, a result) is dropped. The watchdog abandons only a busy worker, so once this
    /// returns true the step's call is this thread's to carry on.
    private func end() -> Bool {
        watched.withLock { w in
            w.busy = nil
            w.watch = nil
            w.instance = nil
            return !w.abandoned
        }
    }

    /// Delivers the result once: whoever removes the ticket from `live` completes it.
    func complete(_ ticket: CallTicket, _ result: CallResult) {
        guard watched.withLock({ $0.live.removeValue(forKey: ticket.id) != nil }) else { return }
        ticket.call = nil
        ticket.instance = nil
        ticket.completion(result)
    }

    /// A start that reached a worker which can no longer run it.
    var onRejectedStart: (@Sendable (CallTicket) -> Void)?

    private func reject(_ ticket: CallTicket) {
        if let onRejectedStart {
            onRejectedStart(ticket)
        } else {
            ticket.completion(CallFailure(script: script, hook: nil, what: "no VM is available to run the call").result())
        }
    }

    // MARK: Watchdog and shutdown (other threads)

    /// The running hook call, when it is stuck past its deadline plus the grace period.
    func stuck(now: UInt64) -> StuckCall? {
        watched.withLock { w in w.abandoned ? nil : w.watch?.stuck(now: now) }
    }

    /// Gives up on this worker: its thread is stuck inside C (`stuck`). Every call it
    /// started ends as `error`: the one running with the time limit, the others as
    /// abandoned while they waited for HTTP. The starts still queued are returned, to run
    /// elsewhere. The stuck thread exits whenever it comes back, and frees its VM then.
    /// The stuck call's result masks the secrets of its parameters under the manifest of the
    /// version it ran on.
    func abandon(_ stuck: StuckCall) -> (ended: Int, requeue: [CallTicket]) {
        let (busy, manifest, live) = watched.withLock { w -> (CallTicket?, IntegrationManifest?, [CallTicket]) in
            w.abandoned = true
            let live = Array(w.live.values)
            w.live = [:]
            return (w.busy, w.instance?.instance.manifest, live)
        }
        let queued = queue.close()
        for ticket in live {
            if ticket === busy {
                // The stuck call's masker cannot be read while its thread may still change
                // it; this message holds nothing of the script's but its name and hook, and
                // the result masks the parameters' secrets for whoever prints around it.
                let masker = manifest.map { SecretParameters(manifest: $0, params: ticket.input.params).masker } ?? SecretMasker()
                ticket.completion(CallFailure(script: script, stuck: stuck).result(masker: masker))
            } else {
                // A waiting call is not touched by the worker once it is marked abandoned.
                let failure = CallFailure.abandonedWhileWaiting(script: script, hook: ticket.call?.waitingHook)
                ticket.completion(failure.result(masker: ticket.call?.masker ?? SecretMasker()))
            }
        }
        let requeue = queued.compactMap { item -> CallTicket? in
            if case .start(let t) = item { return t }
            return nil
        }
        return (live.count, requeue)
    }

    /// Stops taking work items; calls still running end as `error` with `failure`.
    func stop(_ failure: CallFailure) {
        let live = watched.withLock { w -> [CallTicket] in
            w.abandoned = true
            defer { w.live = [:] }
            return Array(w.live.values)
        }
        let queued = queue.close()
        for ticket in live { ticket.completion(failure.result()) }
        for case .start(let ticket) in queued { ticket.completion(failure.result()) }
    }
}
