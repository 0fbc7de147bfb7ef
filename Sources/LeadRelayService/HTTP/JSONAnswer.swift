import HTTPTypes
import Hummingbird
import LeadJSON

/// A JSON answer of the service, with the request's id in `X-Request-Id` and in the body.
enum JSONAnswer {
    static func make(_ status: HTTPResponse.Status, _ body: [String: JSONValue], context: ServiceRequestContext) -> Response {
        var object = body
        object["request_id"] = .string(context.requestID)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-Request-Id")!] = context.requestID
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(object).encoded())))
    }

    /// `{"error": {"code": ..., "message": ...}}`.
    static func error(
        _ status: HTTPResponse.Status, code: String, _ message: String, context: ServiceRequestContext,
        extra: [String: JSONValue] = [:]
    ) -> Response {
        var error: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        error.merge(extra) { a, _ in a }
        return make(status, ["error": .object(error)], context: context)
    }
}
