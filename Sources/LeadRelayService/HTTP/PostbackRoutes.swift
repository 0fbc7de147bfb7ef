import Foundation
import HTTPTypes
import Hummingbird
import IntegrationRuntime
import LeadJSON
import Logging

/// `GET` and `POST /postback/{integration}/{route token}`: a network reports a status
/// change. The route is found by its token and must be of that integration; the request
/// goes to the script's `postback` action as the inbound request (contract, section 3),
/// and its updates are stored as a status check's are (`StatusStore.record`).
///
/// | case | answer |
/// |------|--------|
/// | stored (updates for unknown leads are counted, not refused) | 200 `{"stored", "duplicates", "unknown"}` |
/// | unknown token, another integration's token, a script without `postback` | 404 `not_found`, nothing stored |
/// | body over 64 KiB | 413 |
/// | the script refused the request (an outcome instead of updates) | 400 `postback_refused` |
/// | the script failed (outcome `error`) | 500 `postback_failed` |
/// | the integration is not loaded, the store failed | 503 `unavailable` |
///
/// Refusals never carry the script's or the store's message: those go to the log.
struct PostbackRoutes: Sendable {
    let store: any StatusStore
    let pools: @Sendable (String) -> IntegrationPool?
    let logger: Logger
    var metrics: ServiceMetrics? = nil
    static let maxBodyBytes = 64 * 1024

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/postback/{integration}/{token}") { request, context in try await receive(request, context) }
        router.post("/postback/{integration}/{token}") { request, context in try await receive(request, context) }
    }

    func receive(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let now = Date().timeIntervalSince1970
        let integration = context.parameters.get("integration") ?? ""
        let token = context.parameters.get("token") ?? ""
        let route: OfferRoute?
        do { route = try await store.route(postbackToken: token) } catch {
            logger.error("postback: the store failed", metadata: ["error": "\(error)"])
            return JSONAnswer.error(.serviceUnavailable, code: "unavailable", "try again later", context: context)
        }
        guard let route, route.integration == integration else { return Self.notFound(context) }
        guard let pool = pools(integration) else {
            logger.error("postback: the integration is not loaded", metadata: ["integration": "\(integration)", "route": "\(route.id)"])
            return JSONAnswer.error(.serviceUnavailable, code: "unavailable", "try again later", context: context)
        }
        guard pool.manifest.supports(.postback) else { return Self.notFound(context) }
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: Self.maxBodyBytes) } catch {
            return JSONAnswer.error(.contentTooLarge, code: "too_large", "the body is larger than 64 KiB", context: context)
        }
        let inbound = InboundRequest.json(
            method: request.method.rawValue, url: Self.url(request, context), path: request.uri.path, query: request.uri.query,
            headers: request.headers.map { ($0.name.canonicalName, $0.value) }, body: Array(body.readableBytesView),
            contentType: request.headers[.contentType], ip: context.clientAddress)
        let input = CallInput(
            action: .postback, subject: .postback(inbound: inbound), params: route.params,
            offer: Offer(id: route.offerID, name: ""), now: Int64(now))
        let result = await pool.run(input)
        guard let updates = result.updates else {
            let outcome = result.outcome ?? .error("no result")
            logger.warning(
                "postback: the script returned no updates",
                metadata: [
                    "route": "\(route.id)", "integration": "\(integration)", "outcome": "\(outcome.kind.rawValue)",
                    "message": "\(outcome.message ?? "")",
                ])
            var failed = Self.report(StatusRecording())
            failed.failure = outcome
            metrics?.statusRun(StatusRun(routeID: route.id, integration: integration, checks: [failed]), source: .postback)
            if outcome.kind == .error {
                return JSONAnswer.error(
                    .internalServerError, code: "postback_failed", "the postback could not be processed", context: context)
            }
            return JSONAnswer.error(.badRequest, code: "postback_refused", "the postback was not understood", context: context)
        }
        let recording: StatusRecording
        do { recording = try await store.record(updates, routeID: route.id, source: .postback, now: now) } catch {
            logger.error("postback: the store failed", metadata: ["route": "\(route.id)", "error": "\(error)"])
            return JSONAnswer.error(.serviceUnavailable, code: "unavailable", "try again later", context: context)
        }
        let run = StatusRun(routeID: route.id, integration: integration, checks: [Self.report(recording)])
        StatusLog.log(run, source: .postback, to: logger)
        metrics?.statusRun(run, source: .postback)
        return JSONAnswer.make(
            .ok,
            [
                "stored": .integer(Int64(recording.stored)), "duplicates": .integer(Int64(recording.duplicates)),
                "unknown": .integer(Int64(recording.unknown.count)),
            ], context: context)
    }

    private static func report(_ recording: StatusRecording) -> StatusRun.Check {
        var check = StatusRun.Check(check: .processing)
        check.calls = 1
        check.recording = recording
        return check
    }

    static func notFound(_ context: ServiceRequestContext) -> Response {
        JSONAnswer.error(.notFound, code: "not_found", "no such postback address", context: context)
    }

    /// The address the request came to, as the client used it.
    static func url(_ request: Request, _ context: ServiceRequestContext) -> String {
        let host = request.head.authority ?? "localhost"
        return (context.isSecure ? "https://" : "http://") + host + request.uri.description
    }
}
