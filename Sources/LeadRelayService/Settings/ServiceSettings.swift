import Logging
import OutboundHTTP

/// Everything `leadrelay serve` is configured with, each with its default: with no
/// configuration at all the service listens on 127.0.0.1:8080, keeps its SQLite file and key
/// file in the working directory and loads ./integrations, and its scripts reach public
/// addresses only. `SettingKey.all` lists the keys (docs/configuration.md documents them);
/// `ServiceSettings.read(file:environment:)` reads them from a JSON file and `LEADRELAY_*`
/// environment variables through swift-configuration.
public struct ServiceSettings: Sendable {
    /// The address the API listens on (`http.host`, `http.port`; port 0 takes a free port).
    public var host = "127.0.0.1"
    public var port = 8080
    /// The SQLite file (`store.path`).
    public var storePath = "leadrelay.sqlite"
    /// The secrets key file, created 0600 on first start (`secrets.keyFile`);
    /// `LEADRELAY_SECRET_KEY` (the key itself, base64) takes precedence over it.
    public var keyFile = "leadrelay.key"
    /// The folder of integration scripts (`integrations.directory`).
    public var integrationsDirectory = "integrations"
    /// How often the scripts are looked at for changes, in seconds; 0 turns reloading off
    /// (`integrations.reloadSeconds`).
    public var reloadSeconds = 2.0
    /// Loopback and private blocks scripts may reach besides public addresses
    /// (`egress.scripts.allow`; none by default).
    public var scriptEgress: [AddressBlock] = []
    /// Loopback and private blocks affiliate postback URLs may reach (`egress.postbacks.allow`;
    /// none by default: affiliates type these URLs in).
    public var postbackEgress: [AddressBlock] = []
    /// Ports affiliate postback URLs may use (`egress.postbacks.ports`; 80 and 443).
    public var postbackPorts: [Int] = [80, 443]
    /// Peers whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (`proxies.trusted`;
    /// none by default: the socket's peer is the client).
    public var trustedProxies: [AddressBlock] = []
    /// This process's name on its leases (`dispatch.owner`; default: host name and process id).
    public var owner: String?
    /// Leads claimed at once, and claimed but not yet written back at most
    /// (`dispatch.batch`, `dispatch.maxInFlight`).
    public var batch = 64
    public var maxInFlight = 512
    /// How long one attempt may take before it ends as `timeout` (`dispatch.attemptTimeoutSeconds`).
    public var attemptTimeout = 60.0
    /// How long a claim holds a lead (`dispatch.leaseSeconds`; default: the attempt timeout
    /// plus a minute). After a crash its leads wait this long before another process (or
    /// this one restarted) takes them.
    public var leaseSeconds: Double?
    /// The HTTP engine scripts' requests go through (`http.client.engine`: native or curl).
    public var engine = LiveTransport.Engine.native
    /// How long a stop (SIGTERM, SIGINT) waits for attempts in flight before leaving them
    /// to their leases (`shutdown.graceSeconds`).
    public var shutdownGraceSeconds = 30.0
    /// The log's level and format (`log.level`: trace ... critical; `log.format`: text or json).
    public var logLevel = Logger.Level.info
    public var logFormat = LogFormat.text
    /// How many days a lead keeps its personal fields (`retention.days`); nil (the default):
    /// for good. Older leads are anonymised by the retention service (`Retention`).
    public var retentionDays: Int?

    /// How log lines are written.
    public enum LogFormat: String, Sendable, CaseIterable {
        /// `2026-12-07T10:00:00Z info leadrelay: message key=value`.
        case text
        /// One JSON object per line: `timestamp`, `level`, `label`, `message` and the metadata.
        case json
    }

    public init() {}
}
