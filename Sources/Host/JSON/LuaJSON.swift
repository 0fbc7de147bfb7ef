import CLua
import CLuaHost
@_spi(LuaCodecs) import LeadJSON

/// JSON straight between Lua values and bytes, without `JSONValue` in between: the
/// codec behind `json.encode`/`json.decode`, request bodies and response decoding, on
/// every lead's hot path. Rules: contract, section 4 (see `JSONWriter` for the bytes).
///
/// Both functions return `nil` on success and an error message otherwise (without a
/// function name, so callers can prefix their own: `json.encode: cycle at $.a`). They
/// use only raw, non-raising Lua API calls, and leave the stack as they found it except
/// for `decode`'s one pushed result.
public enum LuaJSON {
    /// The longest JSON text the host reads out of a script's value for itself (an
    /// outcome's `extra`, status updates): 5 MiB, as for request and response bodies.
    public static let maxHostValueBytes = 5 * 1024 * 1024

    /// Appends the JSON text of the value at `index` to `out` (nothing is appended on
    /// failure). Lua tables become arrays or objects: a table marked by `json.array`, or
    /// whose keys are exactly 1..n, is an array; an empty unmarked table is `{}`; a table
    /// with string keys is an object (keys sorted by byte order). `json.null` and `nil`
    /// are `null`. Fails on cycles, nesting deeper than 200, mixed or sparse keys, NaN and
    /// infinities, strings that are not UTF-8, and functions, userdata and threads.
    /// Other metatables are ignored (raw contents are written), except the sandbox's
    /// read-only proxy: a sealed table (the script's own table and the tables in it)
    /// encodes as what it holds.
    ///
    /// The work is bounded: encoding stops once the text passes `maxBytes` (the error's
    /// `overBytes`), and while a hook call runs, every value written is charged to its
    /// instruction budget and its deadline is checked (the error's `limit`, which is then
    /// marked hit for the call). A table that holds the same subtable many times can
    /// otherwise take exponential time.
    public static func encode(
        _ s: LuaState, at index: Int32, into out: inout [UInt8],
        maxBytes: Int = .max
    ) -> LuaValueError? {
        let result = withEncoded(s.L, at: index, maxBytes: maxBytes) { out.append(contentsOf: $0) }
        if case .failure(let error) = result { return error }
        return nil
    }

    /// Encodes the value at `index` and hands the bytes (valid only inside `body`) to
    /// `body`. Short texts are built on the stack, without a heap allocation.
    static func withEncoded<R>(
        _ L: OpaquePointer, at index: Int32, maxBytes: Int = .max,
        _ body: (UnsafeRawBufferPointer) -> R
    ) -> Result<R, LuaValueError> {
        let index = lua_absindex(L, index)
        let top = lua_gettop(L)
        guard lua_checkstack(L, 8) != 0 else { return .failure(LuaValueError(message: "out of Lua stack space")) }
        let arrayMetatable = arrayMetatable(L)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2048) { bytes in
            withUnsafeTemporaryAllocation(of: UnsafeRawPointer.self, capacity: JSONValue.maximumDepth) { ancestors in
                withUnsafeTemporaryAllocation(of: LuaJSONEncoder.ObjectKey.self, capacity: 64) { keys in
                    var encoder = LuaJSONEncoder(
                        L: L, arrayMetatable: arrayMetatable, out: JSONBuffer(storage: bytes),
                        maxBytes: maxBytes, ancestors: ancestors, keys: keys)
                    let ok = encoder.value(at: index, depth: 0) && encoder.settle()
                    lua_settop(L, top)
                    guard ok else {
                        let failure = encoder.failure
                        return .failure(
                            LuaValueError(
                                message: failure?.message ?? "cannot encode",
                                limit: failure?.limit, overBytes: failure?.overBytes))
                    }
                    return .success(body(encoder.out.bytes))
                }
            }
        }
    }

    /// Parses `bytes` and pushes the value: integers for numbers without fraction or
    /// exponent that fit in 64 bits, floats otherwise; `json.null` for `null` (object
    /// members included, so the key is present); arrays marked with the `json.array`
    /// metatable. On failure pushes nothing and returns `line L, column C: message`, or
    /// the `memory limit` (the error's `limit`) when the value does not fit under the VM's
    /// cap.
    public static func decode(_ s: LuaState, _ bytes: UnsafeRawBufferPointer) -> LuaValueError? {
        LuaJSONDecoder.decode(s.L, bytes)
    }

    /// Identity of the VM's `json.array` metatable, or `nil` when the json module is not
    /// installed.
    static func arrayMetatable(_ L: OpaquePointer) -> UnsafeRawPointer? {
        let ref = clua_json_array_ref(L)
        guard ref > 0 else { return nil }
        lua_rawgeti(L, clua_registryindex(), lua_Integer(ref))
        defer { lua_settop(L, -2) }
        return lua_type(L, -1) == LUA_TTABLE ? lua_topointer(L, -1) : nil
    }

    /// Pushes the VM's `json.array` metatable; returns `false` (pushing nothing) when the
    /// json module is not installed.
    static func pushArrayMetatable(_ L: OpaquePointer) -> Bool {
        let ref = clua_json_array_ref(L)
        guard ref > 0 else { return false }
        if lua_rawgeti(L, clua_registryindex(), lua_Integer(ref)) == LUA_TTABLE { return true }
        lua_settop(L, -2)
        return false
    }
}
