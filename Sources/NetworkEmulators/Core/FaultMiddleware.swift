import Hummingbird

/// Adds the configured latency (`Task.sleep`, never blocking a thread) and fails the
/// configured share of requests with 503, before any emulator sees them. `/instant`
/// is exempt: it answers at once for benchmarks.
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let latency: Double
    let failRate: Double

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/instant" { return try await next(request, context) }
        if latency > 0 { try await Task.sleep(nanoseconds: UInt64(latency * 1_000_000_000)) }
        if failRate > 0, Double.random(in: 0..<1) < failRate {
            return Response(
                status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Service Unavailable (sandbox fail-rate)")))
        }
        return try await next(request, context)
    }
}
