/// A Lua value that has no JSON form (a function, a cycle, a sparse table, ...), or whose
/// JSON went over a bound. The message names the place, as a path from the converted
/// value: `cycle at $.a.b`.
public struct LuaValueError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    /// The running call's instruction budget or deadline ran out while converting.
    public var limit: LuaLimit?
    /// The JSON text would have been longer than this many bytes (the caller's bound).
    public var overBytes: Int?

    public init(message: String, limit: LuaLimit? = nil, overBytes: Int? = nil) {
        self.message = message
        self.limit = limit
        self.overBytes = overBytes
    }

    public var description: String { message }
}
