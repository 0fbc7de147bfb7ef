import IntegrationRuntime
import LeadJSON

extension IntakeRoutes {
    /// The lead's stage for `GET /api/v1/leads/{id}`, neutrally: `stage` (null until the
    /// network reported one) and `stages`, each change with its time (ISO 8601 UTC); never
    /// the network's own status words, comments, amounts, the route or the integration.
    static func stage(of leadID: String, in statuses: any StatusStore) async throws -> [String: JSONValue] {
        let history = try await statuses.statusHistory(leadID: leadID)
        let stages = history.stages.map { entry -> JSONValue in
            .object(["stage": .string(entry.stage.rawValue), "at": .string(ISO8601.format(Int64(entry.at)))])
        }
        return ["stage": history.stage.map { .string($0.rawValue) } ?? .null, "stages": .array(stages)]
    }
}
