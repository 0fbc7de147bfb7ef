import LoopbackTesting
import Synchronization

/// An affiliate's tracker on loopback (an ephemeral port): records each request's path and
/// query, and answers with the statuses it is given, first first (200 once they run out).
final class PostbackReceiver: Sendable {
    private let server: LoopbackHTTPServer

    init() throws {
        let state = Recorder()
        server = LoopbackHTTPServer { request in state.take(request) }
        recorder = state
        try server.start()
    }

    private let recorder: Recorder

    var port: Int { server.port }

    /// `path?query` of each request, in order.
    var requests: [String] { recorder.requests }

    /// The statuses the next requests get.
    func answer(_ statuses: [Int]) { recorder.answer(statuses) }

    func stop() { server.stop() }

    private final class Recorder: Sendable {
        let state = Mutex<(requests: [String], answers: [Int])>(([], []))

        func take(_ request: LoopbackRequest) -> LoopbackResponse {
            let status = state.withLock { state -> Int in
                state.requests.append(request.path + "?" + request.query)
                return state.answers.isEmpty ? 200 : state.answers.removeFirst()
            }
            return LoopbackResponse(status: status, text: "ok")
        }

        var requests: [String] { state.withLock { $0.requests } }
        func answer(_ statuses: [Int]) { state.withLock { $0.answers = statuses } }
    }
}
