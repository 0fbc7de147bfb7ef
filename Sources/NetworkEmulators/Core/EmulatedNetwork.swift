/// The networks emulated. Each lives under `/<rawValue>` followed by the
/// network's own paths, e.g. `POST /irev/api/affiliates/v2/leads`.
public enum EmulatedNetwork: String, Sendable, CaseIterable, Hashable {
    case clixnow
    case irev
    case trackbox
    case altercpa

    /// The path prefix of the emulator, e.g. `/irev`.
    public var prefix: String { "/" + rawValue }
}
