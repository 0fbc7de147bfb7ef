import CLua
import Host
import LeadJSON

extension LuaState {
    /// Whether the table at `index`, or a table in it, has two string keys that are
    /// different bytes but equal as Swift strings (canonically equivalent Unicode, such as
    /// `é` written precomposed and as `e` plus a combining accent).
    func hasUnicodeEquivalentKeys(at index: Int32, depth: Int = 0) -> Bool {
        guard isTable(index), depth <= JSONValue.maximumDepth, lua_checkstack(L, 4) != 0 else { return false }
        let table = absolute(index)
        var keys = Set<String>()
        var stringKeys = 0
        var inside = false
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            if isString(-2), let key = string(at: -2) {
                keys.insert(key)
                stringKeys += 1
            }
            if !inside { inside = hasUnicodeEquivalentKeys(at: -1, depth: depth + 1) }
            pop()
        }
        return inside || keys.count < stringKeys
    }
}
