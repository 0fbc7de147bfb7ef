/// A configuration key of `leadrelay serve`: its dotted name (as in the JSON file: nested
/// objects), the environment variable that overrides it, and what it takes.
public struct SettingKey: Sendable, Equatable {
    /// The dotted name: `http.port`.
    public let name: String
    /// What the value is, for messages and docs: "a port number (0-65535)".
    public let expects: String

    /// `LEADRELAY_HTTP_PORT`: the prefix, then each component in upper case, a camelCase
    /// word boundary becoming an underscore (`keyFile` -> `KEY_FILE`), as swift-configuration
    /// encodes environment keys.
    public var environmentVariable: String {
        let components = ["leadrelay"] + name.split(separator: ".").map(String.init)
        return components.map { component in
            var word = ""
            var previous: Character?
            for character in component {
                if let previous, previous.isLowercase, character.isUppercase { word.append("_") }
                word.append(character)
                previous = character
            }
            return word.uppercased()
        }.joined(separator: "_")
    }

    public static let host = SettingKey(name: "http.host", expects: "an address or host name to listen on")
    public static let port = SettingKey(name: "http.port", expects: "a port number (0-65535)")
    public static let engine = SettingKey(name: "http.client.engine", expects: "native or curl")
    public static let storePath = SettingKey(name: "store.path", expects: "the path of the SQLite file")
    public static let keyFile = SettingKey(name: "secrets.keyFile", expects: "the path of the secrets key file")
    public static let integrations = SettingKey(name: "integrations.directory", expects: "the folder of integration scripts")
    public static let reload = SettingKey(name: "integrations.reloadSeconds", expects: "seconds (0 turns reloading off)")
    public static let scriptEgress = SettingKey(name: "egress.scripts.allow", expects: "a list of address blocks (127.0.0.0/8, ::1)")
    public static let postbackEgress = SettingKey(name: "egress.postbacks.allow", expects: "a list of address blocks")
    public static let postbackPorts = SettingKey(name: "egress.postbacks.ports", expects: "a list of port numbers")
    public static let trustedProxies = SettingKey(name: "proxies.trusted", expects: "a list of address blocks")
    public static let owner = SettingKey(name: "dispatch.owner", expects: "a name unique among processes sharing the store")
    public static let batch = SettingKey(name: "dispatch.batch", expects: "a number of leads (1 or more)")
    public static let maxInFlight = SettingKey(name: "dispatch.maxInFlight", expects: "a number of leads (1 or more)")
    public static let attemptTimeout = SettingKey(name: "dispatch.attemptTimeoutSeconds", expects: "seconds (more than 0)")
    public static let lease = SettingKey(name: "dispatch.leaseSeconds", expects: "seconds, more than the attempt timeout")
    public static let shutdownGrace = SettingKey(name: "shutdown.graceSeconds", expects: "seconds (0 or more)")
    public static let logLevel = SettingKey(name: "log.level", expects: "trace, debug, info, notice, warning, error or critical")
    public static let logFormat = SettingKey(name: "log.format", expects: "text or json")
    public static let retentionDays = SettingKey(name: "retention.days", expects: "a number of days (1 or more)")

    /// Every key, in the order docs/configuration.md lists them.
    public static let all: [SettingKey] = [
        host, port, engine, storePath, keyFile, integrations, reload, scriptEgress, postbackEgress, postbackPorts,
        trustedProxies, owner, batch, maxInFlight, attemptTimeout, lease, shutdownGrace, logLevel, logFormat, retentionDays,
    ]
}
