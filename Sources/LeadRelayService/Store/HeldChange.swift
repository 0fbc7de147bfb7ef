import IntegrationRuntime
import LeadJSON

/// A change of a delivered lead held in `error` (its route was removed, its script not
/// loaded or failing, its retries ran out), as `leadrelay redeliver` names it.
public struct HeldChange: Sendable, Equatable {
    /// The change's id (`change_id` in the PATCH answer).
    public var id: String
    public var leadID: String
    /// `update` or `approved`.
    public var action: Action

    public init(id: String, leadID: String, action: Action) {
        self.id = id
        self.leadID = leadID
        self.action = action
    }

    /// `{"id", "lead_id", "action"}`.
    public var json: JSONValue {
        .object(["id": .string(id), "lead_id": .string(leadID), "action": .string(action.rawValue)])
    }
}
