import HTTPTypes
import Hummingbird

/// `GET /openapi.json`: the OpenAPI 3.1 description of every route the service registers
/// (docs/openapi.json, embedded at build time by `make openapi`), served without a key.
///
///     curl http://127.0.0.1:8080/openapi.json
enum OpenAPIDocument {
    static let path = "/openapi.json"

    static func register(on router: Router<ServiceRequestContext>) {
        router.get(RouterPath(path)) { _, context in response(context) }
    }

    static func response(_ context: ServiceRequestContext) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-Request-Id")!] = context.requestID
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension LeadRelayServer {
    /// Every route the server registers as `METHOD /path/{parameter}` (what the OpenAPI
    /// document must describe, one entry per method and path).
    static func registeredOperations(_ configuration: Configuration, parts: Parts) -> [String] {
        router(configuration, parts: parts).routes.map { "\($0.method.rawValue) \($0.path.description)" }.sorted()
    }
}
