import Host
import LeadJSON

/// What a script declares about itself: the table it returns, minus the hooks.
public struct IntegrationManifest: Sendable {
    public var name: String
    public var title: String
    public var actions: [Action]
    public var params: [ParamSpec]
    public var limits: ScriptLimits
    public var hasSend: Bool

    public func param(_ name: String) -> ParamSpec? { params.first { $0.name == name } }
    public func supports(_ action: Action) -> Bool { actions.contains(action) }
}

/// One per-offer parameter a script declares (`params = { api_token = { required = true, secret = true } }`).
public struct ParamSpec: Sendable, Equatable {
    public var name: String
    public var required: Bool
    public var secret: Bool
    public var defaultValue: JSONValue?
    public var description: String?

    /// The keys a parameter declaration may use.
    static let knownKeys: Set<String> = ["required", "secret", "default", "description"]
}

/// The optional `limits` of a script.
public struct ScriptLimits: Sendable, Equatable {
    /// Requests allowed per period, shared by all VMs of the integration.
    public var rate: RateLimit?
    /// Which requests `rate` counts and how they share buckets: every request in one
    /// bucket (`rate = "10/3s"`), or the table form's `methods` and `per`.
    public var rateScope: RateScope = .all
    /// HTTP timeout in seconds (at most `LuaLimits.maxHTTPTimeoutSeconds`).
    public var timeout: Double?
    /// Most leads per status check call.
    public var batch: Int?

    static let knownKeys: Set<String> = ["rate", "timeout", "batch"]

    public init(rate: RateLimit? = nil, rateScope: RateScope = .all, timeout: Double? = nil, batch: Int? = nil) {
        self.rate = rate
        self.rateScope = rateScope
        self.timeout = timeout
        self.batch = batch
    }
}

/// `"10/3s"`: at most `count` requests per `seconds`.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var count: Int
    public var seconds: Double

    /// Parses `N/<duration>`, the duration a number followed by `s`, `m` or `h`
    /// (`10/3s`, `100/1m`, `5/s`).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), n > 0 else { return nil }
        var unit = parts[1]
        guard let u = unit.popLast() else { return nil }
        let scale: Double
        switch u {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        default: return nil
        }
        let amount = unit.isEmpty ? 1 : Double(unit)
        guard let amount, amount > 0 else { return nil }
        count = n
        seconds = amount * scale
    }

    public var description: String { "\(count) per \(seconds.formatted) s" }

    /// The limit in the form `init` reads, in seconds: `100/60s`.
    public var text: String { "\(count)/\(seconds.formatted)s" }
}

extension Double {
    var formatted: String { rounded() == self ? String(Int64(self)) : String(self) }
}
