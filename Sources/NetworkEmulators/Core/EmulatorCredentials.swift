/// The credentials each emulator accepts. Defaults are printed by `leadrelay sandbox`
/// and listed in docs/emulators.md.
public struct EmulatorCredentials: Sendable, Hashable {
    /// Clixnow: `Authorization: ApiToken <clixnowToken>`.
    public var clixnowToken = "sandbox-clixnow-token"
    /// IREV: `Authorization: <irevToken>` (the raw token).
    public var irevToken = "sandbox-irev-token"
    /// Trackbox: `x-trackbox-username`.
    public var trackboxUsername = "sandbox"
    /// Trackbox: `x-trackbox-password`.
    public var trackboxPassword = "sandbox-trackbox-password"
    /// Trackbox: `x-api-key` of the signup API.
    public var trackboxAPIKey = "sandbox-trackbox-push-key"
    /// Trackbox: `x-api-key` of the pull API.
    public var trackboxPullAPIKey = "sandbox-trackbox-pull-key"
    /// AlterCPA: the `{user}-{key}` in `?id=`.
    public var altercpaKey = "1-sandboxkey"
    /// AlterCPA: the merchant's `{user}-{key}` in `?id=` of comp/add.json (another account
    /// than the agency: the agency key is refused there, and this one on the agency calls).
    public var altercpaMerchantKey = "2-sandboxmerchant"

    public init() {}

    /// The names `set(_:to:)` accepts, as given to `--token NAME=VALUE`.
    public static let names = [
        "clixnow", "irev", "trackbox", "trackbox-pull", "trackbox-user", "trackbox-password", "altercpa",
        "altercpa-merchant",
    ]

    /// An unknown credential name.
    public struct UnknownName: Error, Sendable, CustomStringConvertible {
        public var name: String
        public var description: String {
            "unknown credential \"\(name)\": use one of \(EmulatorCredentials.names.joined(separator: ", "))"
        }
    }

    /// Sets the credential `name` (one of `names`) to `value`.
    public mutating func set(_ name: String, to value: String) throws(UnknownName) {
        switch name.lowercased() {
        case "clixnow": clixnowToken = value
        case "irev": irevToken = value
        case "trackbox": trackboxAPIKey = value
        case "trackbox-pull": trackboxPullAPIKey = value
        case "trackbox-user": trackboxUsername = value
        case "trackbox-password": trackboxPassword = value
        case "altercpa": altercpaKey = value
        case "altercpa-merchant": altercpaMerchantKey = value
        default: throw UnknownName(name: name)
        }
    }
}
