import Dispatch
import Foundation
import IntegrationRuntime
import OutboundHTTP
import Synchronization
import XCTest

/// A clock tests move by hand: `advance` runs the wake-ups that fall due, in time order.
final class ManualDeliveryClock: DeliveryClock {
    private struct Timer {
        var at: Double
        var body: @Sendable () -> Void
    }

    private let state: Mutex<(now: Double, timers: [Timer])>

    init(now: Double = 1_800_000_000) { state = Mutex((now, [])) }

    func now() -> Double { state.withLock { $0.now } }

    func wake(at deadline: Double, _ body: @escaping @Sendable () -> Void) {
        state.withLock { $0.timers.append(Timer(at: deadline, body: body)) }
    }

    /// Wake-ups waiting.
    var pending: [Double] { state.withLock { $0.timers.map(\.at).sorted() } }

    /// Moves time forward by `seconds`, running every wake-up due by then (also those the
    /// wake-ups themselves arm).
    func advance(by seconds: Double) {
        let target = state.withLock { $0.now + seconds }
        while true {
            let next = state.withLock { s -> Timer? in
                guard
                    let i = s.timers.indices.filter({ s.timers[$0].at <= target })
                        .min(by: { s.timers[$0].at < s.timers[$1].at })
                else {
                    s.now = target
                    return nil
                }
                s.now = max(s.now, s.timers[i].at)
                return s.timers.remove(at: i)
            }
            guard let next else { return }
            next.body()
        }
    }
}

/// Collects an engine's events.
final class DeliveryRecorder: Sendable {
    let events = Mutex<[DeliveryEvent]>([])

    func record(_ event: DeliveryEvent) { events.withLock { $0.append(event) } }

    var all: [DeliveryEvent] { events.withLock { $0 } }

    func of(_ lead: String) -> [DeliveryEvent] { all.filter { $0.leadID == lead } }

    func states(_ lead: String) -> [DeliveryState] { of(lead).map(\.state) }

    /// The last state reported per lead.
    var last: [String: DeliveryState] {
        var out: [String: DeliveryState] = [:]
        for event in all where !event.late { out[event.leadID] = event.state }
        return out
    }
}

/// Answers calls without a VM: `answer(input)` decides the result, after `delay` seconds,
/// and records how many calls ran at once.
final class ScriptedRunner: CallRunner {
    let delay: Double
    let answer: @Sendable (CallInput) -> CallResult
    let calls = Mutex<[CallInput]>([])
    private let concurrency = Mutex<(now: Int, max: Int)>((0, 0))

    init(delay: Double = 0, answer: @escaping @Sendable (CallInput) -> CallResult) {
        self.delay = delay
        self.answer = answer
    }

    var maxConcurrent: Int { concurrency.withLock { $0.max } }
    var callCount: Int { calls.withLock { $0.count } }

    func submit(_ input: CallInput, completion: @escaping @Sendable (CallResult) -> Void) {
        calls.withLock { $0.append(input) }
        concurrency.withLock { c in
            c.now += 1
            c.max = max(c.max, c.now)
        }
        let result = answer(input)
        let finish: @Sendable () -> Void = { [self] in
            concurrency.withLock { $0.now -= 1 }
            completion(result)
        }
        if delay > 0 { DispatchQueue.global().asyncAfter(deadline: .now() + delay, execute: finish) } else { finish() }
    }

    /// An answer that made one HTTP exchange with `status` (or failed with `failure`).
    static func result(_ outcome: Outcome, status: Int = 200, failure: TransportFailure? = nil) -> CallResult {
        let response = failure.map { OutboundResponse.failed($0) } ?? OutboundResponse(status: status)
        return CallResult(
            value: .outcome(outcome),
            exchanges: [Exchange(request: OutboundRequest(url: "https://crm.example/leads"), response: response)])
    }
}

extension DeliveryEngine.Configuration {
    /// Retries without waiting long, no attempt timeout unless asked.
    static func quick(
        attempts: Int = 3, inFlight: Int = 64, failures: Int = 5, cooldown: Double = 30,
        attemptTimeout: Double? = nil
    ) -> Self {
        .init(
            maxInFlightPerTarget: inFlight,
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.001, multiplier: 2, maxDelay: 0.01, jitter: .full),
            circuit: .init(failureThreshold: failures, cooldown: cooldown), attemptTimeout: attemptTimeout)
    }
}

extension CallInput {
    static func push(_ lead: String, offer: String = "1") -> CallInput {
        CallInput(action: .push, lead: .object(["id": .string(lead)]), offer: Offer(id: offer, name: "Offer \(offer)"), now: 0)
    }
}

let demoTarget = DeliveryTarget(integration: "demo", offer: "1")
