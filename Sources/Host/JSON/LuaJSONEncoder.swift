import CLua
import CLuaHost
import Glibc
@_spi(LuaCodecs) import LeadJSON

/// Writes Lua values as JSON bytes (see `LuaJSON.encode` for the rules).
///
/// An object's entries stay on the Lua stack while it is written (key, value, key,
/// value, ...), so the sort compares the keys' bytes in place and no Swift string is made
/// per key. The tables being written are kept as `ancestors` to find cycles.
struct LuaJSONEncoder: ~Copyable {
    /// A key of the object being written: its first eight bytes (big-endian, for a quick
    /// comparison), its bytes (owned by the table) and the stack slot of its value.
    struct ObjectKey {
        var prefix: UInt64
        var bytes: UnsafePointer<CChar>
        var count: Int
        var slot: Int32
    }

    let L: OpaquePointer
    let arrayMetatable: UnsafeRawPointer?
    var out: JSONBuffer
    var failure: JSONEncodeFailure?
    /// The longest text the caller accepts; the encoder stops as soon as it is passed.
    let maxBytes: Int
    /// Values written and not yet charged to the running call's budget.
    private var steps = 0
    /// Whether a charge was made: a small value (fewer than `stepsPerCharge` values) costs
    /// its call no more than the Lua instructions that called the encoder, and no clock read.
    private var charged = false
    /// Values written between two charges (each also checks the deadline).
    static let stepsPerCharge = 4096
    /// The tables being written, outermost first (at most `maximumDepth`).
    private let ancestors: UnsafeMutablePointer<UnsafeRawPointer>
    private var ancestorCount = 0
    /// Keys of the objects being written; each object uses the entries above its parent's.
    private var keys: UnsafeMutablePointer<ObjectKey>
    private var keyCount = 0
    private var keyCapacity: Int
    private var ownsKeys = false

    /// `ancestors` must hold `JSONValue.maximumDepth` entries; `keys` is where keys go
    /// until more room is needed (both are the caller's, typically on the stack).
    init(
        L: OpaquePointer, arrayMetatable: UnsafeRawPointer?, out: consuming JSONBuffer, maxBytes: Int,
        ancestors: UnsafeMutableBufferPointer<UnsafeRawPointer>, keys: UnsafeMutableBufferPointer<ObjectKey>
    ) {
        precondition(ancestors.count >= JSONValue.maximumDepth)
        self.L = L
        self.maxBytes = maxBytes
        self.arrayMetatable = arrayMetatable
        self.out = out
        self.ancestors = ancestors.baseAddress!
        self.keys = keys.baseAddress!
        self.keyCapacity = keys.count
    }

    deinit { if ownsKeys { keys.deallocate() } }

    /// Appends the value at `index`; `depth` is the number of enclosing tables.
    mutating func value(at index: Int32, depth: Int) -> Bool {
        steps &+= 1
        if steps == Self.stepsPerCharge, !charge() { return false }
        guard out.count <= maxBytes else { return failSize() }
        switch lua_type(L, index) {
        case LUA_TSTRING:
            var count = 0
            let p = clua_tolstring(L, index, &count)
            guard out.count + count <= maxBytes else { return failSize() }
            guard JSONWriter.appendString(UnsafeRawBufferPointer(start: p, count: count), to: &out) else {
                return fail("invalid UTF-8 in string")
            }
            return out.count <= maxBytes || failSize()
        case LUA_TNUMBER:
            if clua_isinteger(L, index) != 0 {
                JSONWriter.appendInteger(Int64(clua_tointegerx(L, index, nil)), to: &out)
                return true
            }
            let d = clua_tonumberx(L, index, nil)
            if JSONWriter.appendDouble(d, to: &out) { return true }
            return fail("cannot encode \(JSONWriter.nonFiniteName(d)) (JSON has no NaN or infinity)")
        case LUA_TBOOLEAN:
            out.append(lua_toboolean(L, index) != 0 ? "true" : "false" as StaticString)
            return true
        case LUA_TTABLE:
            return table(at: lua_absindex(L, index), depth: depth + 1)
        case LUA_TNIL:
            out.append("null" as StaticString)
            return true
        case LUA_TLIGHTUSERDATA where clua_is_null(L, index) != 0:
            out.append("null" as StaticString)
            return true
        case let type:
            return fail("cannot encode a \(String(cString: lua_typename(L, type)))")
        }
    }

    private mutating func table(at index: Int32, depth: Int) -> Bool {
        guard depth <= JSONValue.maximumDepth else { return fail("nesting deeper than \(JSONValue.maximumDepth)") }
        guard lua_checkstack(L, 8) != 0 else { return fail("out of Lua stack space") }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        var t = index
        var marked = false
        if lua_getmetatable(L, t) != 0 {
            if lua_topointer(L, -1) == arrayMetatable {
                marked = true
            } else if let hidden = readOnlyContents() {
                t = hidden
            }
        }
        let identity = lua_topointer(L, t)!
        for i in 0..<ancestorCount where ancestors[i] == identity { return fail("cycle") }
        ancestors[ancestorCount] = identity
        ancestorCount += 1
        defer { ancestorCount -= 1 }
        lua_pushnil(L)
        if lua_next(L, t) == 0 {
            out.append(marked ? "[]" : "{}" as StaticString)
            return true
        }
        if !marked && lua_type(L, -2) == LUA_TSTRING { return object(at: t, depth: depth) }
        return array(at: t, depth: depth, marked: marked)
    }

    /// With a metatable on top: when it is the sandbox's read-only proxy (library tables
    /// and the script's own table, see `SandboxPrelude`), pushes the table holding the
    /// contents and returns its slot, so that sealed constants encode as what they hold.
    private func readOnlyContents() -> Int32? {
        let mt = lua_gettop(L)
        clua_rawgetfield(L, mt, "__metatable")
        var count = 0
        guard lua_type(L, -1) == LUA_TSTRING, let p = clua_tolstring(L, -1, &count),
            String(decoding: UnsafeRawBufferPointer(start: p, count: count), as: UTF8.self) == "read-only table"
        else {
            return nil
        }
        clua_rawgetfield(L, mt, "__index")
        return lua_type(L, -1) == LUA_TTABLE ? lua_gettop(L) : nil
    }

    /// With the first entry's key and value on top of the stack.
    private mutating func object(at t: Int32, depth: Int) -> Bool {
        let first = keyCount
        defer { keyCount = first }
        // Entry i's key is at slot `valueSlot - 1`, its value at `valueSlot`.
        var valueSlot = lua_gettop(L)
        var room: Int32 = 0
        repeat {
            guard lua_type(L, -2) == LUA_TSTRING else { return failKey() }
            var count = 0
            let p = clua_tolstring(L, -2, &count)!
            if keyCount == keyCapacity { growKeys() }
            keys[keyCount] = ObjectKey(prefix: Self.prefix(p, count), bytes: p, count: count, slot: valueSlot)
            keyCount += 1
            if room < 3 {
                guard lua_checkstack(L, 64) != 0 else { return fail("object too large for the Lua stack") }
                room = 64
            }
            room -= 2
            valueSlot += 2
            lua_pushvalue(L, -2)
        } while lua_next(L, t) != 0
        sortKeys(from: first)
        out.append(UInt8(ascii: "{"))
        for i in first..<keyCount {
            let key = keys[i]
            if i > first { out.append(UInt8(ascii: ",")) }
            let bytes = UnsafeRawBufferPointer(start: key.bytes, count: key.count)
            guard JSONWriter.appendString(bytes, to: &out) else {
                return fail("invalid UTF-8 in key \(JSONValue.string(String(decoding: bytes, as: UTF8.self)).encoded())")
            }
            out.append(UInt8(ascii: ":"))
            guard value(at: key.slot, depth: depth) else {
                failure?.reversedPath.append(.key(String(decoding: bytes, as: UTF8.self)))
                return false
            }
        }
        out.append(UInt8(ascii: "}"))
        return out.count <= maxBytes || failSize()
    }

    /// With the first entry's key and value on top of the stack.
    private mutating func array(at t: Int32, depth: Int, marked: Bool) -> Bool {
        var count: Int64 = 0
        var largest: Int64 = 0
        repeat {
            guard lua_type(L, -2) == LUA_TNUMBER, clua_isinteger(L, -2) != 0 else {
                return failKey(marked: marked)
            }
            let key = Int64(clua_tointegerx(L, -2, nil))
            guard key >= 1 else { return fail("sparse array: integer key \(key) outside 1..n") }
            count += 1
            largest = max(largest, key)
            lua_settop(L, -2)
        } while lua_next(L, t) != 0
        guard largest == count else {
            return fail("sparse array: \(count) entries but largest key \(largest) (keys must be exactly 1..n)")
        }
        out.append(UInt8(ascii: "["))
        for i in 1...count {
            if i > 1 { out.append(UInt8(ascii: ",")) }
            lua_rawgeti(L, t, lua_Integer(i))
            guard value(at: lua_gettop(L), depth: depth) else {
                failure?.reversedPath.append(.index(i))
                return false
            }
            lua_settop(L, -2)
        }
        out.append(UInt8(ascii: "]"))
        return out.count <= maxBytes || failSize()
    }

    /// Fails for the key at -2, which cannot be part of an object (or array).
    private mutating func failKey(marked: Bool = false) -> Bool {
        switch lua_type(L, -2) {
        case LUA_TSTRING where marked:
            let key = JSONValue.string(LuaState(L).string(at: -2) ?? "").encoded()
            return fail("string key \(key) in a table marked by json.array")
        case LUA_TSTRING:
            return failMixed()
        case LUA_TNUMBER where clua_isinteger(L, -2) != 0:
            return failMixed()
        case LUA_TNUMBER:
            return fail("non-integer number key \(clua_tonumberx(L, -2, nil)) (object keys must be strings)")
        default:
            return fail("key of type \(LuaState(L).typeName(at: -2)) (object keys must be strings)")
        }
    }

    private mutating func failMixed() -> Bool {
        fail("mixed string and integer keys (an array needs keys 1..n, an object string keys)")
    }

    private mutating func fail(_ reason: String) -> Bool {
        failure = JSONEncodeFailure(reason: reason)
        return false
    }

    /// Charges the values written since the last charge to the running call (when one
    /// runs); false, with the failure set, when its budget or deadline is gone.
    mutating func charge() -> Bool {
        let hit = clua_spend(L, Int64(steps))
        steps = 0
        charged = true
        guard let limit = LuaLimit(hit: hit) else { return true }
        failure = JSONEncodeFailure(reason: "\(limit.rawValue) exceeded", limit: limit)
        return false
    }

    /// At the end of a value: charges what is left when the value was large.
    mutating func settle() -> Bool {
        charged ? charge() : true
    }

    /// The text is past `maxBytes`.
    private mutating func failSize() -> Bool {
        failure = JSONEncodeFailure(reason: "the JSON text is longer than \(maxBytes) bytes", overBytes: maxBytes)
        return false
    }

    private mutating func growKeys() {
        let capacity = keyCapacity * 2
        let grown = UnsafeMutablePointer<ObjectKey>.allocate(capacity: capacity)
        grown.initialize(from: keys, count: keyCount)
        if ownsKeys { keys.deallocate() }
        keys = grown
        keyCapacity = capacity
        ownsKeys = true
    }

    /// Sorts `keys[first..<keyCount]` by byte order.
    private func sortKeys(from first: Int) {
        let n = keyCount - first
        guard n > 1 else { return }
        var range = UnsafeMutableBufferPointer(start: keys + first, count: n)
        if n > 24 {
            range.sort(by: Self.precedes)
            return
        }
        for i in 1..<n {
            let key = range[i]
            var j = i - 1
            while j >= 0 && Self.precedes(key, range[j]) {
                range[j + 1] = range[j]
                j -= 1
            }
            range[j + 1] = key
        }
    }

    @inline(__always)
    private static func prefix(_ p: UnsafePointer<CChar>, _ count: Int) -> UInt64 {
        if count >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).bigEndian }
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(UInt8(bitPattern: p[i])) << (56 - 8 * UInt64(i)) }
        return value
    }

    @inline(__always)
    private static func precedes(_ a: ObjectKey, _ b: ObjectKey) -> Bool {
        if a.prefix != b.prefix { return a.prefix < b.prefix }
        let c = memcmp(a.bytes, b.bytes, min(a.count, b.count))
        return c != 0 ? c < 0 : a.count < b.count
    }
}
