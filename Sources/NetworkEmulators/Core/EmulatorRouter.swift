import Hummingbird

/// Builds the Hummingbird router: `/instant`, then one catch-all per emulator prefix that
/// turns the request into a `EmulatorRequest` and the emulator's answer into a `Response`.
enum EmulatorRouter {
    static let maxBody = 4 * 1024 * 1024

    static func build(emulators: [any NetworkEmulator], configuration: EmulatorServer.Configuration) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: FaultMiddleware(latency: configuration.latency, failRate: configuration.failRate))
        router.get("/instant") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }
        for emulator in emulators {
            for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
                router.on("\(emulator.network.prefix)/**", method: method) { request, _ -> Response in
                    let emulatorRequest = try await convert(request, prefix: emulator.network.prefix)
                    return convert(emulator.handle(emulatorRequest))
                }
            }
        }
        return router
    }

    static func convert(_ request: Request, prefix: String) async throws -> EmulatorRequest {
        let buffer = try await request.body.collect(upTo: maxBody)
        let path = String(request.uri.path.dropFirst(prefix.count))
        let query = FormCodec.decode(request.uri.query ?? "")
        var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        if let authority = request.head.authority, !headers.contains(where: { $0.name.lowercased() == "host" }) {
            headers.append((name: "Host", value: authority))
        }
        return EmulatorRequest(
            method: request.method.rawValue, path: path, query: query, headers: headers,
            body: Array(buffer.readableBytesView))
    }

    static func convert(_ response: EmulatorResponse) -> Response {
        var fields = HTTPFields()
        for header in response.headers {
            if let name = HTTPFields.Element.Name(header.name) { fields.append(HTTPFields.Element(name: name, value: header.value)) }
        }
        return Response(
            status: .init(code: response.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}
