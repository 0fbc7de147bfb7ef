import Host
import LeadJSON
import OutboundHTTP
import Synchronization

/// Answers requests from a fixture's recorded exchanges, in order, checking each request
/// against the one the fixture expects. The first request that differs is kept for the
/// report, with every difference it has. Its
/// state is behind a lock: a pool's worker answers through it while the case's runner reads it.
public final class ReplayTransport: HTTPTransport, Sendable {
    private let exchanges: [FixtureExchange]
    private struct State {
        var next = 0
        var differences: [FixtureDifference] = []
    }
    private let state = Mutex(State())

    public init(exchanges: [FixtureExchange]) {
        self.exchanges = exchanges
    }

    /// The first difference of the first request that differed from the recorded one, if any.
    public var difference: FixtureDifference? { differences.first }
    /// Every difference of the first request that differed from the recorded one.
    public var differences: [FixtureDifference] { state.withLock { $0.differences } }
    /// Exchanges the script did not use.
    public var unused: Int { exchanges.count - state.withLock { $0.next } }

    public func perform(_ request: OutboundRequest) async -> OutboundResponse { respond(request) }

    /// Answers at once, on the caller's thread (a pool's worker needs no task for it).
    public func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        completion(respond(request))
    }

    /// The recorded response, or a transport failure when the request is not the expected one.
    /// A request the live transport would refuse before sending (`OutboundRequest.wireProblem()`)
    /// is refused the same way, and uses no recorded exchange.
    public func respond(_ request: OutboundRequest) -> OutboundResponse {
        if let problem = request.wireProblem() { return .failed(.invalidRequest, detail: problem) }
        return state.withLock { s in
            let index = s.next
            let label = "exchanges[\(index)].request"
            guard index < exchanges.count else {
                if s.differences.isEmpty {
                    s.differences = [
                        FixtureDifference(path: label, expected: "no more requests", actual: "\(request.method) \(request.url)")
                    ]
                }
                return .failed(.other, detail: "no recorded exchange left")
            }
            s.next += 1
            let exchange = exchanges[index]
            let found = FixtureMatcher.differences(request: exchange.request, actual: request, label: label)
            if !found.isEmpty {
                if s.differences.isEmpty { s.differences = found }
                return .failed(.other, detail: "request does not match the fixture")
            }
            return Self.response(exchange.response, maxBytes: request.maxResponseBytes)
        }
    }

    /// A fixture's response object as an `OutboundResponse`.
    static func response(_ r: [String: JSONValue], maxBytes: Int) -> OutboundResponse {
        if let e = r["error"]?.stringValue {
            return .failed(TransportFailure(rawValue: e) ?? .other, detail: "replayed \(e)")
        }
        var headers: [(name: String, value: String)] = []
        for (k, v) in (r["headers"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            headers.append((k.lowercased(), FixtureMatcher.scalarText(v)))
        }
        var body: [UInt8] = []
        if let json = r["json"] {
            body = Array(json.encoded().utf8)
            if !headers.contains(where: { $0.name == "content-type" }) { headers.append(("content-type", "application/json")) }
        } else if let text = r["body"]?.stringValue {
            body = Array(text.utf8)
        }
        if body.count > maxBytes { return .failed(.responseTooLarge) }
        let status = Int(r["status"]?.int64Value ?? 200)
        return OutboundResponse(status: status, headers: headers, body: body, elapsed: 0.001)
    }
}
