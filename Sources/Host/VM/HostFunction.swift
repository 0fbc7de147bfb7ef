import CLua
import CLuaHost

/// A Swift function scripts can call. It receives the calling thread and the context
/// pointer it was registered with (the owning `LuaVM`), and returns the number of results
/// it pushed, `HostReturn.raise` with an error message on top of the stack, or
/// `HostReturn.yield`. It must never call `lua_error` or `lua_yield` itself: the C
/// trampoline does, so no `longjmp` crosses a Swift frame.
public typealias HostFunction = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32

/// Codes a `HostFunction` returns instead of a result count.
public enum HostReturn {
    public static let raise: Int32 = Int32(CLUA_RAISE)
    public static let yield: Int32 = Int32(CLUA_YIELD)
}

/// A table of host functions installed as a global (`json`, `crypto`, ...).
public struct HostModule: Sendable {
    public var name: String
    public var functions: [(name: String, function: HostFunction)]
    /// Extra fields set on the module table after the functions (e.g. `json.null`); runs
    /// with the module table on top of the main stack.
    public var fields: (@Sendable (LuaVM, LuaState) -> Void)?

    public init(
        name: String,
        functions: [(name: String, function: HostFunction)],
        fields: (@Sendable (LuaVM, LuaState) -> Void)? = nil
    ) {
        self.name = name
        self.functions = functions
        self.fields = fields
    }
}
