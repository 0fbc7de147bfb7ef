/// The delivery engine's bookkeeping with no I/O: deliveries, lines per target, the
/// schedule and the events to report. Each operation takes `now` and returns the work the
/// engine must do outside its lock (start calls, arm the timer).
struct DeliveryCore: Sendable {
    struct Record: Sendable {
        var job: DeliveryJob
        var state: DeliveryState
        var probe = false
        var previousDelay: Double?
    }

    enum Due: Sendable {
        case retry(UInt64)
        case wake(DeliveryTarget)
        case deadline(UInt64, attempt: Int)
    }

    enum Effect: Sendable {
        case start(id: UInt64, attempt: Int, runner: any CallRunner, input: CallInput)
        case wake(at: Double)
    }

    let configuration: DeliveryEngine.Configuration
    let random: @Sendable () -> Double
    var records: [UInt64: Record] = [:]
    var lines: [DeliveryTarget: DeliveryLine] = [:]
    var schedule = DeliverySchedule<Due>()
    /// Deliveries the attempt timeout ended, still expecting their call's late result.
    var timedOut: [UInt64: Record] = [:]
    var outbox: [DeliveryEvent] = []
    var effects: [Effect] = []
    /// Attempts started and not ended.
    private(set) var inFlight = 0
    /// Set by `shutdown`: no attempt starts any more.
    var stopping = false
    private var nextID: UInt64 = 0
    private var armedAt: Double?

    init(configuration: DeliveryEngine.Configuration, random: @escaping @Sendable () -> Double) {
        self.configuration = configuration
        self.random = random
    }

    /// Deliveries not yet in a final state.
    var live: Int { records.count }

    /// Removes and returns the deliveries not in flight (waiting to start or scheduled),
    /// oldest first, as events carrying their current state.
    mutating func handBackWaiting() -> [DeliveryEvent] {
        let waiting = unfinished.filter { if case .sending = $0.state { return false } else { return true } }
        records = records.filter { if case .sending = $0.value.state { return true } else { return false } }
        return waiting
    }

    /// The deliveries not yet final, oldest first, as events carrying their current state.
    var unfinished: [DeliveryEvent] {
        records.sorted { $0.key < $1.key }.map { _, record in
            let attempt: Int
            switch record.state {
            case .sending(let n), .retry(_, let n): attempt = n
            default: attempt = 0
            }
            return DeliveryEvent(leadID: record.job.leadID, target: record.job.target, state: record.state, attempt: attempt)
        }
    }

    // MARK: Operations

    mutating func submit(_ job: DeliveryJob, now: Double) {
        let id = nextID
        nextID += 1
        records[id] = Record(job: job, state: job.attempt > 1 ? .retry(at: now, attempt: job.attempt) : .pending)
        report(id, attempt: job.attempt > 1 ? job.attempt : 0)
        enqueue(id, on: job.target)
        pump(job.target, now: now)
        armTimer()
    }

    mutating func completed(_ id: UInt64, attempt: Int, result: CallResult, now: Double) {
        guard let record = records[id], record.state == .sending(attempt: attempt) else {
            if let late = timedOut.removeValue(forKey: id) {
                outbox.append(
                    DeliveryEvent(
                        leadID: late.job.leadID, target: late.job.target, state: late.state,
                        attempt: attempt, outcome: result.outcome, result: result, late: true))
            }
            return
        }
        endAttempt(id, record, health: CircuitBreaker.Event(result: result), now: now)
        let retry = configuration.retry
        switch result.value {
        case .outcome(let outcome) where outcome.kind == .retry:
            guard retry.allowsAnother(after: attempt) else {
                let reason = outcome.reason.map { " (\($0.rawValue))" } ?? ""
                let said = outcome.message.map { ": \($0)" } ?? ""
                let gaveUp = Outcome.error(
                    "gave up after \(attempt) attempt\(attempt == 1 ? "" : "s"): the last one ended retry\(reason)\(said); the lead is kept for redelivery"
                )
                return finish(id, .fail, attempt: attempt, outcome: gaveUp, result: result, now: now)
            }
            let delay = retry.delay(
                after: attempt, retryAfter: outcome.retryAfter,
                previous: record.previousDelay, unit: random())
            records[id]?.previousDelay = delay
            transition(id, .retry(at: now + delay), attempt: attempt, outcome: outcome, result: result)
            if configuration.waits == .handedBack {
                records[id] = nil
            } else {
                schedule.insert(.retry(id), due: now + delay)
            }
        case .outcome(let outcome):
            let event: DeliveryState.Event = outcome.kind == .accepted ? .accept : outcome.kind == .rejected ? .reject : .fail
            finish(id, event, attempt: attempt, outcome: outcome, result: result, now: now)
        case .updates:
            let wrong = Outcome.error(
                "\(record.job.target.integration): the \(record.job.input.action.rawValue) call returned status updates; a delivery needs an outcome (accepted, rejected or retry)"
            )
            finish(id, .fail, attempt: attempt, outcome: wrong, result: result, now: now)
        }
        pump(record.job.target, now: now)
        armTimer()
    }

    mutating func timerFired(at: Double, now: Double) {
        if armedAt == at { armedAt = nil }
        for due in schedule.popDue(now: now) {
            switch due {
            case .retry(let id):
                guard let record = records[id], case .retry = record.state else { continue }
                enqueue(id, on: record.job.target)
                pump(record.job.target, now: now)
            case .wake(let target):
                lines[target]?.wakeAt = nil
                pump(target, now: now)
            case .deadline(let id, let attempt):
                guard let record = records[id], record.state == .sending(attempt: attempt) else { continue }
                endAttempt(id, record, health: .failure, now: now)
                let seconds = configuration.attemptTimeout ?? 0
                let timeout = Outcome(
                    .error, reason: .timeout,
                    message:
                        "no result within \(seconds.formatted) s; the network may have received the lead, so it is not sent again automatically"
                )
                timedOut[id] = Record(job: record.job, state: .error)
                finish(id, .fail, attempt: attempt, outcome: timeout, result: nil, now: now)
                pump(record.job.target, now: now)
            }
        }
        armTimer()
    }

    // MARK: Steps

    private mutating func enqueue(_ id: UInt64, on target: DeliveryTarget) {
        lines[target, default: DeliveryLine(circuit: configuration.circuit)].append(id)
    }

    /// Starts the waiting deliveries of `target` that its bound and circuit allow.
    private mutating func pump(_ target: DeliveryTarget, now: Double) {
        guard !stopping else { return }
        var line = lines.removeValue(forKey: target) ?? DeliveryLine(circuit: configuration.circuit)
        defer { lines[target] = line }
        while line.inFlight < configuration.maxInFlightPerTarget, !line.isEmpty {
            switch line.circuit.admit(now: now) {
            case .allowed:
                start(line.popFirst()!, probe: false, line: &line, now: now)
            case .probe:
                start(line.popFirst()!, probe: true, line: &line, now: now)
            case .wait(let until):
                guard let until else { return }
                if configuration.waits == .handedBack {
                    while let id = line.popFirst() {
                        transition(id, .hold(until: until), attempt: nil, outcome: nil, result: nil)
                        records[id] = nil
                    }
                    return
                }
                for id in line.takeUnheld(until: until) {
                    transition(id, .hold(until: until), attempt: nil, outcome: nil, result: nil)
                }
                if line.wakeAt != until {
                    line.wakeAt = until
                    schedule.insert(.wake(target), due: until)
                }
                return
            }
        }
    }

    private mutating func start(_ id: UInt64, probe: Bool, line: inout DeliveryLine, now: Double) {
        guard var record = records[id] else { return }
        record.probe = probe
        records[id] = record
        transition(id, .send, attempt: nil, outcome: nil, result: nil)
        guard case .sending(let attempt) = records[id]?.state else { return }
        line.inFlight += 1
        inFlight += 1
        var input = record.job.input
        input.attempt = attempt
        input.now = Int64(now.rounded(.down))
        effects.append(.start(id: id, attempt: attempt, runner: record.job.runner, input: input))
        if let timeout = configuration.attemptTimeout {
            schedule.insert(.deadline(id, attempt: attempt), due: now + timeout)
        }
    }

    /// Frees the attempt's slot and tells the target's circuit how it went.
    private mutating func endAttempt(_ id: UInt64, _ record: Record, health: CircuitBreaker.Event, now: Double) {
        lines[record.job.target]?.inFlight -= 1
        inFlight -= 1
        lines[record.job.target]?.circuit.record(health, probe: record.probe, now: now)
    }

    private mutating func finish(
        _ id: UInt64, _ event: DeliveryState.Event, attempt: Int, outcome: Outcome?,
        result: CallResult?, now: Double
    ) {
        transition(id, event, attempt: attempt, outcome: outcome, result: result)
    }

    /// Applies `event` and reports the new state; an illegal one ends the delivery as
    /// `error` naming the bug rather than losing the lead.
    private mutating func transition(
        _ id: UInt64, _ event: DeliveryState.Event, attempt: Int?, outcome: Outcome?,
        result: CallResult?
    ) {
        guard var record = records[id] else { return }
        var outcome = outcome
        do {
            try record.state.apply(event)
        } catch {
            record.state = .error
            outcome = .error("delivery engine bug: \(error)")
        }
        records[id] = record.state.isFinal ? nil : record
        let shown: Int
        switch record.state {
        case .sending(let n): shown = n
        case .retry(_, let n): shown = attempt ?? n
        default: shown = attempt ?? 0
        }
        outbox.append(
            DeliveryEvent(
                leadID: record.job.leadID, target: record.job.target, state: record.state,
                attempt: shown, outcome: outcome, result: result))
    }

    private mutating func report(_ id: UInt64, attempt: Int) {
        guard let record = records[id] else { return }
        outbox.append(DeliveryEvent(leadID: record.job.leadID, target: record.job.target, state: record.state, attempt: attempt))
    }

    private mutating func armTimer() {
        guard let next = schedule.nextDue, armedAt.map({ next < $0 }) ?? true else { return }
        armedAt = next
        effects.append(.wake(at: next))
    }
}
