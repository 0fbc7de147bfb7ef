import IntegrationRuntime
import LeadJSON

extension StoredLead {
    /// The lead as a script's `prepare` gets it (docs/script-contract.md, "The lead"): its
    /// stored fields, `id`, and `created_at`, when LeadRelay received it (ISO 8601 UTC).
    public var scriptFields: [String: JSONValue] {
        var fields = self.fields.objectValue ?? [:]
        fields["id"] = .string(id)
        fields["created_at"] = .string(ISO8601.format(Int64(receivedAt)))
        return fields
    }
}
