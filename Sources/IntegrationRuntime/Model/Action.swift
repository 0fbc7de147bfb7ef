/// What the host asks a script to do (contract, section 2).
public enum Action: String, Sendable, CaseIterable, Codable {
    case push, register, update, approved, status, postback

    /// Actions whose result is an outcome; the others return status updates.
    public var deliversLead: Bool {
        switch self {
        case .push, .register, .update, .approved: return true
        case .status, .postback: return false
        }
    }
}

/// The three status checks of `status` (AlterCPA's "three variations").
public enum StatusCheck: String, Sendable, CaseIterable {
    case processing, approved, range
}
