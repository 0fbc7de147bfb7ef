/// A Lua value that has no JSON form (a function, a cycle, a sparse table, ...). The
/// message names the place, as a path from the converted value: `cycle at $.a.b`.
public struct LuaValueError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
