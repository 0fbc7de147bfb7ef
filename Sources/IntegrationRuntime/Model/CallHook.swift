/// The hook a call's result came from or its failure happened in: one of the script's three
/// hooks, or one of the host's two preconditions that stop a call before any hook runs
/// (`params`: a required parameter is missing; `actions`: the script does not support the
/// action). The raw value is the name an `error` outcome's message gives in the hook's place
/// (`demo: params: missing required parameter ...`). Not an update's `stage`.
public enum CallHook: String, Sendable, Equatable, CaseIterable {
    case params
    case actions
    case prepare
    case send
    case parseStatus = "parse_status"
}
