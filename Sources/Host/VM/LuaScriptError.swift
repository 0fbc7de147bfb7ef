/// A failure of script code: a Lua error, a limit, a syntax error. `message` carries the
/// position Lua gave it (`clixnow.lua:12: ...`); `location` is the innermost script frame.
public struct LuaScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case syntax
        case runtime
        case limit(LuaLimit)
        /// A hook yielded without calling a host function that waits (a stray `coroutine.yield`).
        case strayYield
    }

    public var kind: Kind
    public var message: String
    /// `file:line` of the innermost frame of a script or lib, when known.
    public var location: String?
    /// `file:line` of every frame of a script or lib, innermost first (`lib/util.lua:3`,
    /// `demo.lua:12`), so a caller can name the line of its own file.
    public var frames: [String]
    public var traceback: String?

    public init(kind: Kind, message: String, location: String? = nil, frames: [String]? = nil, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.frames = frames ?? location.map { [$0] } ?? []
        self.traceback = traceback
    }

    public var limit: LuaLimit? {
        if case .limit(let l) = kind { return l }
        return nil
    }

    public var description: String { message }
}

/// Failures of the host itself, before any script runs.
public enum LuaHostError: Error, Sendable, CustomStringConvertible {
    case cannotCreateState
    case preludeFailed(String)

    public var description: String {
        switch self {
        case .cannotCreateState: return "cannot create a Lua state (out of memory)"
        case .preludeFailed(let m): return "the sandbox prelude failed: \(m)"
        }
    }
}
