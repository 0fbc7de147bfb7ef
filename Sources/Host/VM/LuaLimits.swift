import CLuaHost

/// The limits every hook call runs under (contract, section 4). Defaults are the contract's.
public struct LuaLimits: Sendable, Equatable {
    /// Lua instructions per hook call (counted in steps of 1,000).
    public var instructions: Int64 = 10_000_000
    /// Running time per hook call, in seconds. Time spent waiting for HTTP is not counted.
    public var cpuSeconds: Double = 1
    /// Bytes the whole VM may allocate.
    public var memoryBytes: Int = 64 * 1024 * 1024
    /// Largest response body a script may receive.
    public var responseBytes: Int = 5 * 1024 * 1024
    /// Largest request body a script may send (`json`, `form` or `body`, once encoded).
    public var requestBytes: Int = 5 * 1024 * 1024
    /// HTTP timeout when the script declares none, and the most it may declare.
    public var httpTimeoutSeconds: Double = 30
    public var maxHTTPTimeoutSeconds: Double = 120
    /// How long past its deadline a VM stuck inside C (a pathological pattern) may take to
    /// come back before it is abandoned and replaced.
    public var abandonGraceSeconds: Double = 1

    public init() {}

    /// The contract's defaults.
    public static let `default` = LuaLimits()
}

/// A limit that ended a hook call. The raw value is the name scripts and users see.
public enum LuaLimit: String, Sendable, Equatable {
    case instructions = "instruction limit"
    case time = "time limit"
    case memory = "memory limit"
    case responseSize = "response size limit"
    case requestSize = "request size limit"

    /// The limit a `CLUA_HIT_*` code names (nil for none).
    init?(hit: Int32) {
        switch hit {
        case Int32(CLUA_HIT_INSTRUCTIONS): self = .instructions
        case Int32(CLUA_HIT_TIME): self = .time
        case Int32(CLUA_HIT_MEMORY): self = .memory
        default: return nil
        }
    }

    /// The `CLUA_HIT_*` code of a limit the count hook enforces (0 for the others).
    var hitCode: Int32 {
        switch self {
        case .instructions: Int32(CLUA_HIT_INSTRUCTIONS)
        case .time: Int32(CLUA_HIT_TIME)
        case .memory: Int32(CLUA_HIT_MEMORY)
        case .responseSize, .requestSize: Int32(CLUA_HIT_NONE)
        }
    }
}
