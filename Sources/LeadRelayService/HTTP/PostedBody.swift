import Hummingbird
import LeadJSON

/// The body of a posted lead or of a change to one (`POST` and `PATCH /api/v1/leads`): JSON
/// or form-encoded, at most 64 KiB, read into a JSON value; or the refusal to answer with
/// (415 for another type, 413 when larger, 400 when it does not parse).
enum PostedBody {
    case read(JSONValue, bytes: ByteBuffer)
    case refused(Response)

    static let maxBytes = 64 * 1024

    /// - Parameter what: what the body is, for the 415's message ("the lead", "the change").
    static func read(_ request: Request, what: String, context: ServiceRequestContext) async -> PostedBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let isForm = contentType.hasPrefix("application/x-www-form-urlencoded")
        guard contentType.hasPrefix("application/json") || isForm else {
            return .refused(
                JSONAnswer.error(
                    .unsupportedMediaType, code: "unsupported_media_type",
                    "send \(what) as application/json or application/x-www-form-urlencoded", context: context))
        }
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: maxBytes) } catch {
            return .refused(JSONAnswer.error(.contentTooLarge, code: "too_large", "the body is larger than 64 KiB", context: context))
        }
        let parsed = isForm ? FormBody.read(body.readableBytesView) : try? JSONValue.parse(Array(body.readableBytesView))
        guard let json = parsed else {
            return .refused(
                isForm
                    ? JSONAnswer.error(.badRequest, code: "invalid_form", "the body is not valid form encoding", context: context)
                    : JSONAnswer.error(.badRequest, code: "invalid_json", "the body is not valid JSON", context: context))
        }
        return .read(json, bytes: body)
    }
}
