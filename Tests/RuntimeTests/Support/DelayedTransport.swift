import Dispatch
import IntegrationRuntime
import OutboundHTTP
import Synchronization

/// A transport that answers every request after `delay` seconds with status 200 and the
/// request's own body, counting what it saw. No sockets: for tests of the runtime itself.
final class DelayedTransport: HTTPTransport {
    let delay: Double
    let requests = Atomic<Int>(0)

    init(delay: Double) { self.delay = delay }

    func perform(_ request: OutboundRequest) async -> OutboundResponse {
        await withCheckedContinuation { continuation in
            perform(request) { continuation.resume(returning: $0) }
        }
    }

    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        requests.add(1, ordering: .relaxed)
        let response = OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: request.body)
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { completion(response) }
    }
}
