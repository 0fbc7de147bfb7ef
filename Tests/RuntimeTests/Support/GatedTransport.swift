import Dispatch
import IntegrationRuntime
import OutboundHTTP
import Synchronization

/// A transport that holds every request until `opensAt` requests are waiting together (or
/// `open()` is called), then answers all of them, and every later one at once, with status
/// 200 and the request's own body. Tests use it to wait for what they mean (calls in flight
/// at the same time, a call waiting for HTTP) instead of sleeping and hoping.
final class GatedTransport: HTTPTransport {
    private struct State {
        var held: [(OutboundRequest, @Sendable (OutboundResponse) -> Void)] = []
        var open = false
        var seen = 0
        var openedByCount = false
    }

    let opensAt: Int
    private let state = Mutex(State())

    init(opensAt: Int = .max) { self.opensAt = opensAt }

    /// Requests received so far.
    var requests: Int { state.withLock { $0.seen } }

    /// Whether `opensAt` requests were ever waiting at the same time.
    var openedByCount: Bool { state.withLock { $0.openedByCount } }

    func perform(_ request: OutboundRequest) async -> OutboundResponse {
        await withCheckedContinuation { continuation in
            perform(request) { continuation.resume(returning: $0) }
        }
    }

    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        let release = state.withLock { s -> [(OutboundRequest, @Sendable (OutboundResponse) -> Void)] in
            s.seen += 1
            if s.open { return [(request, completion)] }
            s.held.append((request, completion))
            guard s.held.count >= opensAt else { return [] }
            s.open = true
            s.openedByCount = true
            defer { s.held = [] }
            return s.held
        }
        for (request, completion) in release { Self.answer(request, completion) }
    }

    /// Answers the held requests and lets every later one through.
    func open() {
        let release = state.withLock { s -> [(OutboundRequest, @Sendable (OutboundResponse) -> Void)] in
            s.open = true
            defer { s.held = [] }
            return s.held
        }
        for (request, completion) in release { Self.answer(request, completion) }
    }

    /// Waits until `count` requests have arrived; false after `seconds` (a generous bound:
    /// reaching it means the test failed, not that the machine was slow).
    func waitForRequests(_ count: Int, seconds: Double = 60) async -> Bool {
        let deadline = DispatchTime.now() + seconds
        while requests < count {
            if DispatchTime.now() > deadline { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }

    private static func answer(_ request: OutboundRequest, _ completion: @escaping @Sendable (OutboundResponse) -> Void) {
        let response = OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: request.body)
        DispatchQueue.global().async { completion(response) }
    }
}
