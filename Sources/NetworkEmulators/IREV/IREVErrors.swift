import LeadJSON

/// IREV's documented error bodies (seed 004), each with its HTTP status.
enum IREVErrors {
    static func authorization(_ message: String) -> EmulatorResponse {
        .json(
            401,
            .object([
                "name": "MoleculerError", "message": .string(message), "code": 401, "type": "ERROR_AUTHORIZATION",
            ]))
    }

    static let notFound = EmulatorResponse.json(
        404,
        .object([
            "name": "NotFoundError", "message": "Not found", "code": 404, "type": "NOT_FOUND",
        ]))

    static func notSupported(_ version: String) -> EmulatorResponse {
        .json(
            410,
            .object([
                "name": "MoleculerError", "message": .string("API version \(version) is not supported"),
                "code": 410, "type": "NOT_SUPPORTED",
            ]))
    }

    /// Push's 415 as seed 004 shows it.
    static let unsupportedContentType = EmulatorResponse.json(
        415,
        .object([
            "name": "UnsupportedContentType", "message": "Unsupported content type", "code": 415,
        ]))

    /// Get leads' 415 as seed 004 shows it (named MoleculerError there).
    static let unsupportedContentTypeOnGet = EmulatorResponse.json(
        415,
        .object([
            "name": "MoleculerError", "message": "Unsupported content type", "code": 415,
        ]))

    /// ASSUMPTION: the Retry-After header (seed 004's 429 shows only the body).
    static func rateLimited(retryAfter: Double, message: String = "Rate limit exceeded") -> EmulatorResponse {
        .json(
            429, .object(["name": "RateLimitExceeded", "message": .string(message), "code": 429]),
            headers: [("Retry-After", String(Int(retryAfter.rounded(.up))))])
    }

    /// 422 FIXABLE_INPUT, the shape of the seed's "Validation error (fixable input)".
    static func fixableInput(_ message: String) -> EmulatorResponse {
        .json(
            422,
            .object([
                "name": "MoleculerError", "message": "Validation Error", "code": 422, "type": "FIXABLE_INPUT",
                "data": .object([
                    "lead_uuid": .null, "errorMessage": .string(message), "errorType": "FIXABLE_INPUT",
                    "autoLoginUrl": "", "externalLeadId": "", "requiredResponseFields": .array([]),
                ]),
            ]))
    }

    /// 400 push failure with one of the seed's error types.
    static func pushFailed(_ type: String, _ message: String, leadUUID: String) -> EmulatorResponse {
        .json(
            400,
            .object([
                "message": "Lead push failed", "code": 400, "type": "FAILED",
                "data": .object([
                    "leadUuid": .string(leadUUID), "errorMessage": .string(message), "errorType": .string(type),
                    "requiredResponseFields": .array([]),
                ]),
            ]))
    }

    /// 422 VALIDATION_ERROR of GET parameters (e.g. per_page over 100), as in the seed.
    static func parameterValidation(field: String, type: String, message: String, expected: JSONValue, actual: String) -> EmulatorResponse {
        .json(
            422,
            .object([
                "name": "ValidationError", "message": "Parameters validation error!", "code": 422,
                "type": "VALIDATION_ERROR",
                "data": .array([
                    .object([
                        "type": .string(type), "message": .string(message), "field": .string(field),
                        "expected": expected, "actual": .string(actual),
                    ])
                ]),
            ]))
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
}
