/// Where a call was when it produced its result or failed: one of its hooks, or the checks
/// made before any hook runs (`params`: a required parameter is missing; `actions`: the
/// script does not support the action). The raw value is the name messages show.
public enum CallStage: String, Sendable, Equatable, CaseIterable {
    case params
    case actions
    case prepare
    case send
    case parseStatus = "parse_status"
}
