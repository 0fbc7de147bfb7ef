import LeadJSON

extension IntakeLead {
    /// Reads an affiliate's change of a delivered lead (`PATCH /api/v1/leads/{id}`): each
    /// field checked exactly as a posted lead's, unknown ones kept under `extra`. The offer
    /// cannot be changed (`read_only`); the service's own fields (`id`, `created_at`,
    /// `external_id`) are not taken; a change with no field left is a problem (`required`).
    public static func readChange(_ body: JSONValue) -> Result<[String: JSONValue], ChangeProblems> {
        guard case .object(let object) = body else {
            return .failure(ChangeProblems(list: [Problem(field: "", code: "type", message: "the body must be a JSON object")]))
        }
        let (fields, found) = readFields(object)
        var problems = found
        if object["offer_id"] != nil {
            problems.append(Problem(field: "offer_id", code: "read_only", message: "a delivered lead's offer cannot be changed"))
        }
        if problems.isEmpty && fields.isEmpty {
            problems.append(Problem(field: "", code: "required", message: "the change names no lead field to change"))
        }
        guard problems.isEmpty else { return .failure(ChangeProblems(list: problems.sorted { $0.field < $1.field })) }
        return .success(fields)
    }

    /// Every problem of a change.
    public struct ChangeProblems: Error, Sendable, Equatable {
        public var list: [Problem]
    }
}
