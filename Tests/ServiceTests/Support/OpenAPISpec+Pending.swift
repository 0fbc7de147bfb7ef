import LeadJSON

/// The additions of issue 12 point 7 (PATCH and approved onward) that docs/openapi.json
/// describes before they are merged: `PATCH /api/v1/leads/{id}`, a lead's `changes`, an
/// offer's `registration_wait_seconds`, a route's `on_approve`, an attempt's `action`.
extension OpenAPISpec {
    /// The schemas and the keys each gains.
    static let pendingKeys: [(schema: String, key: String)] = [
        ("Lead", "changes"), ("Offer", "registration_wait_seconds"), ("Route", "on_approve"), ("Attempt", "action"),
    ]

    /// The document with the pending keys no longer required (still checked when present),
    /// for a server that does not have them yet.
    func withoutPendingAdditions() -> OpenAPISpec {
        guard case .object(var root) = document, case .object(var components) = root["components"],
            case .object(var schemas) = components["schemas"]
        else { return self }
        for (name, key) in Self.pendingKeys {
            guard case .object(var schema) = schemas[name], let required = schema["required"]?.arrayValue else { continue }
            schema["required"] = .array(required.filter { $0 != .string(key) })
            schemas[name] = .object(schema)
        }
        components["schemas"] = .object(schemas)
        root["components"] = .object(components)
        return OpenAPISpec(document: .object(root))
    }
}
