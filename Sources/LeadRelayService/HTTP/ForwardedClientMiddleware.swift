import HTTPTypes
import Hummingbird

/// Sets each request's client address and scheme from `X-Forwarded-For` and
/// `X-Forwarded-Proto` when the peer is a trusted proxy (`ForwardedClient`).
struct ForwardedClientMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let client: ForwardedClient

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !client.trusted.isEmpty else { return try await next(request, context) }
        var context = context
        let resolved = client.resolve(
            peer: context.clientAddress, forwardedFor: request.headers[values: Self.forwardedFor],
            forwardedProto: request.headers[values: Self.forwardedProto])
        context.clientAddress = resolved.address
        context.isSecure = resolved.secure
        return try await next(request, context)
    }
}
