import Foundation
import HTTPTypes
import Hummingbird
import LeadJSON

/// `/health`, `/health/live`, `/health/ready` and `/metrics`: what operators and their
/// monitoring read.
///
/// - `/health/live`: 200 while the process answers.
/// - `/health/ready` and `/health`: 200 when every check is ok, else 503; the body names
///   each check (`store`, `integrations`, `stopping`) with its state.
/// - `/metrics`: Prometheus' text format (`ServiceMetrics` lists the metrics).
struct OperationsRoutes: Sendable {
    let health: ServiceHealth
    let metrics: ServiceMetrics
    let store: any LeadStore
    let dispatcher: Dispatcher?
    let integrations: @Sendable () -> Int

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/health/live") { _, context in JSONAnswer.make(.ok, ["status": .string("ok")], context: context) }
        router.get("/health/ready") { _, context in await ready(context) }
        router.get("/health") { _, context in await ready(context) }
        router.get("/metrics") { _, _ in await render() }
    }

    private func ready(_ context: ServiceRequestContext) async -> Response {
        let (ready, checks) = await health.readiness()
        return JSONAnswer.make(
            ready ? .ok : .serviceUnavailable,
            ["status": .string(ready ? "ok" : "unavailable"), "checks": .object(checks.mapValues { .string($0) })],
            context: context)
    }

    private func render() async -> Response {
        let backlog = try? await store.backlog(now: Date().timeIntervalSince1970)
        let text = metrics.render(backlog: backlog, openCircuits: dispatcher?.openCircuits ?? [], integrations: integrations())
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Counts the intake's answers to `POST /api/v1/leads` by status (`leadrelay_leads_received_total`).
struct IntakeMetricsMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, request.uri.path == "/api/v1/leads" else { return try await next(request, context) }
        do {
            let response = try await next(request, context)
            metrics.leadReceived(status: response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            metrics.leadReceived(status: error.status.code)
            throw error
        } catch {
            metrics.leadReceived(status: 500)
            throw error
        }
    }
}
