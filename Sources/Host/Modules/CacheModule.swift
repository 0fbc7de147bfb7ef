import CLua

/// `cache`: small values kept across calls (a login token, a rate window), scoped to the
/// call's integration and offer (`HostCall.cacheNamespace`) and stored as JSON in the
/// VM's `CacheStore`. Entries expire on the call's clock (`HostCall.now`), so fixtures
/// that fix "now" are exact. Keys are non-empty strings up to `maxKeyBytes`; values are
/// anything `json.encode` accepts, up to `maxValueBytes` once encoded. The store bounds
/// each integration (`CacheLimits`: 10,000 entries, 16 MiB, TTLs cut to 24 h by default),
/// evicting the least recently used entries to make room. The functions raise outside a
/// hook call, where there is no scope to store under.
public enum CacheModule {
    public static let module = HostModule(
        name: "cache",
        functions: [
            ("get", get), ("set", set), ("delete", delete),
        ])

    public static let maxKeyBytes = 256
    public static let maxValueBytes = 64 * 1024

    /// `cache.get(key)`: the stored value (decoded from JSON), or `nil` when missing or
    /// expired.
    ///
    ///     local token = cache.get("token")
    ///     if not token then token = login() end
    static let get: HostFunction = { L, context in
        let s = LuaState(L)
        let vm = LuaVM.from(context)
        guard let call = vm.running?.call else { return s.raise("cache.get: " + noCall) }
        if let problem = keyProblem(s) { return s.raise("cache.get: " + problem) }
        let key = s.string(at: 1)!
        guard let stored = vm.cache.get(namespace: call.cacheNamespace, key: key, now: call.now) else {
            s.pushNil()
            return 1
        }
        lua_checkstack(L, 16)
        let top = s.top
        let failure = stored.withUnsafeBytes { LuaJSON.decode(s, $0) }
        guard failure == nil else {
            // Not something this module wrote: treat it as missing.
            s.top = top
            s.pushNil()
            return 1
        }
        return 1
    }

    /// `cache.set(key, value, ttl)`: stores `value` for `ttl` seconds (a number > 0; at
    /// most the store's longest TTL, 24 h by default, longer is cut to it);
    /// `cache.set(key, nil)` deletes it. When the integration's cache is full the least
    /// recently used entries make room.
    ///
    ///     cache.set("token", { value = res.json.token, user = ctx.params.login }, 3600)
    static let set: HostFunction = { L, context in
        let s = LuaState(L)
        let vm = LuaVM.from(context)
        guard let call = vm.running?.call else { return s.raise("cache.set: " + noCall) }
        if let problem = keyProblem(s) { return s.raise("cache.set: " + problem) }
        let key = s.string(at: 1)!
        if s.isNil(2) {
            vm.cache.delete(namespace: call.cacheNamespace, key: key)
            return 0
        }
        guard let ttl = s.number(at: 3), ttl > 0, ttl.isFinite else {
            let got = lua_type(L, 3) == LUA_TNUMBER ? s.stringOrNumber(at: 3) ?? "?" : s.typeName(at: 3)
            return s.raise("cache.set: ttl must be a number of seconds > 0, got \(got)")
        }
        lua_checkstack(L, 16)
        var encoded = [UInt8]()
        let top = s.top
        let failure = LuaJSON.encode(s, at: 2, into: &encoded, maxBytes: maxValueBytes)
        s.top = top
        if failure?.overBytes != nil {
            return s.raise("cache.set: value for '\(key)' is more than the \(maxValueBytes) bytes allowed as JSON")
        }
        if let failure { return s.raise("cache.set: value for '\(key)' cannot be stored as JSON: \(failure)") }
        do {
            try vm.cache.set(namespace: call.cacheNamespace, key: key, value: encoded, ttl: ttl, now: call.now)
        } catch {
            return s.raise("cache.set: value for '\(key)' cannot be stored: \(error)")
        }
        return 0
    }

    /// `cache.delete(key)`: removes the entry, if any.
    ///
    ///     cache.delete("token") -- after a 401, log in again
    static let delete: HostFunction = { L, context in
        let s = LuaState(L)
        let vm = LuaVM.from(context)
        guard let call = vm.running?.call else { return s.raise("cache.delete: " + noCall) }
        if let problem = keyProblem(s) { return s.raise("cache.delete: " + problem) }
        vm.cache.delete(namespace: call.cacheNamespace, key: s.string(at: 1)!)
        return 0
    }

    private static let noCall = "only available while a hook runs (entries are scoped to the call's integration and offer)"

    /// What is wrong with the key argument (index 1), if anything.
    private static func keyProblem(_ s: LuaState) -> String? {
        guard let key = s.bytes(at: 1) else { return "expected a string key, got \(s.typeName(at: 1))" }
        if key.isEmpty { return "key must not be empty" }
        if key.count > maxKeyBytes { return "key is \(key.count) bytes, more than the \(maxKeyBytes) allowed" }
        return nil
    }
}
