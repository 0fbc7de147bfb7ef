import CLua

/// `credentials` (**Extension**): small secret strings kept durably across calls, processes
/// and restarts (an OAuth refresh token that rotates on every use, which `cache` may evict
/// or lose), scoped like `cache` to the call's integration and offer and held in the call's
/// `CredentialStore` (`HostCall.credentials`). Keys are non-empty strings up to
/// `CredentialLimits.maxKeyBytes`; values are UTF-8 strings up to `maxValueBytes`; a scope
/// holds at most `entriesPerScope` keys. Every value read or written becomes a secret of
/// the call (as with `log.secret`): it shows as `***` in its logs, outcome and reports.
/// The functions raise outside a hook call and when the call was given no store.
///
/// Two calls may refresh with the same rotating token at once; `set` with `{expect = old}`
/// writes only if the value is still `old`, so the call that loses re-reads the new one:
///
///     local stored = credentials.get("refresh_token")
///     local pair = refresh(stored)
///     if not credentials.set("refresh_token", pair.refresh_token, { expect = stored }) then
///       -- another call rotated it first: use its token (re-read and retry)
///     end
public enum CredentialsModule {
    public static let module = HostModule(
        name: "credentials",
        functions: [
            ("get", get), ("set", set), ("delete", delete),
        ])

    /// `credentials.get(key)`: the stored string, or nil.
    ///
    ///     local refresh = credentials.get("refresh_token") or ctx.params.refresh_token
    static let get: HostFunction = { L, context in
        let s = LuaState(L)
        let (call, store, key, problem) = scope(s, context, "credentials.get")
        guard let call, let store, let key else { return s.raise(problem!) }
        let value: String?
        do { value = try store.credential(key, in: call.cacheNamespace) } catch {
            return s.raise("credentials.get: '\(key)': \(error)")
        }
        guard let value else {
            s.pushNil()
            return 1
        }
        if let problem = call.registerSecret(Array(value.utf8)) { return s.raise("credentials.get: '\(key)': \(problem)") }
        s.push(value)
        return 1
    }

    /// `credentials.set(key, value [, {expect = old}])`: stores the string `value` and
    /// returns true. With `expect`, stores it only if the stored value is still `old`
    /// (`expect = false`: only if none is stored), else returns false and changes nothing.
    ///
    ///     credentials.set("refresh_token", answer.refresh_token, { expect = used })
    static let set: HostFunction = { L, context in
        let s = LuaState(L)
        let (call, store, key, problem) = scope(s, context, "credentials.set")
        guard let call, let store, let key else { return s.raise(problem!) }
        guard let raw = s.bytes(at: 2) else {
            return s.raise(
                "credentials.set: '\(key)': the value must be a string, got \(s.typeName(at: 2)) (credentials.delete removes one)")
        }
        let bytes = Array(raw)
        guard let value = text(bytes) else { return s.raise("credentials.set: '\(key)': the value is not valid UTF-8") }
        if bytes.count > CredentialLimits.maxValueBytes {
            return s.raise(
                "credentials.set: '\(key)': the value is \(bytes.count) bytes, more than the \(CredentialLimits.maxValueBytes) allowed")
        }
        let expected: CredentialExpectation
        switch expectation(s, at: 3) {
        case .success(let e): expected = e
        case .failure(let message): return s.raise("credentials.set: '\(key)': " + message.text)
        }
        if let problem = call.registerSecret(bytes) { return s.raise("credentials.set: '\(key)': \(problem)") }
        do {
            s.push(try store.setCredential(key, to: value, in: call.cacheNamespace, ifCurrent: expected))
        } catch {
            return s.raise("credentials.set: '\(key)': \(error)")
        }
        return 1
    }

    /// `credentials.delete(key [, {expect = old}])`: removes the entry and returns true;
    /// with `expect`, only if the stored value is still `old` (else returns false).
    ///
    ///     credentials.delete("refresh_token") -- the network revoked it
    static let delete: HostFunction = { L, context in
        let s = LuaState(L)
        let (call, store, key, problem) = scope(s, context, "credentials.delete")
        guard let call, let store, let key else { return s.raise(problem!) }
        let expected: CredentialExpectation
        switch expectation(s, at: 2) {
        case .success(let e): expected = e
        case .failure(let message): return s.raise("credentials.delete: '\(key)': " + message.text)
        }
        do {
            s.push(try store.setCredential(key, to: nil, in: call.cacheNamespace, ifCurrent: expected))
        } catch {
            return s.raise("credentials.delete: '\(key)': \(error)")
        }
        return 1
    }

    /// The call, its store and the key argument (index 1), or what is wrong.
    private static func scope(_ s: LuaState, _ context: UnsafeMutableRawPointer?, _ function: String) -> (
        HostCall?, (any CredentialStore)?, String?, String?
    ) {
        guard let call = LuaVM.from(context).running?.call else {
            return (nil, nil, nil, "\(function): only available while a hook runs (entries are scoped to the call's integration and offer)")
        }
        guard let store = call.credentials else {
            return (nil, nil, nil, "\(function): this call was given no credential store")
        }
        guard let raw = s.bytes(at: 1) else { return (nil, nil, nil, "\(function): expected a string key, got \(s.typeName(at: 1))") }
        if raw.isEmpty { return (nil, nil, nil, "\(function): key must not be empty") }
        if raw.count > CredentialLimits.maxKeyBytes {
            return (nil, nil, nil, "\(function): key is \(raw.count) bytes, more than the \(CredentialLimits.maxKeyBytes) allowed")
        }
        guard let key = text(Array(raw)) else { return (nil, nil, nil, "\(function): key is not valid UTF-8") }
        return (call, store, key, nil)
    }

    /// A message for `Result`'s failure.
    struct Problem: Error {
        let text: String
    }

    /// The options table at `index`: nothing, or `{expect = <string or false>}`.
    private static func expectation(_ s: LuaState, at index: Int32) -> Result<CredentialExpectation, Problem> {
        if s.isNil(index) { return .success(.anything) }
        guard s.isTable(index) else {
            return .failure(Problem(text: "the options must be a table {expect = ...}, got \(s.typeName(at: index))"))
        }
        s.pushNil()
        while s.next(index) {
            let name = s.string(at: -2)
            s.pop()
            if name != "expect" {
                s.pop()
                return .failure(Problem(text: "unknown option '\(name ?? "?")' (known: expect)"))
            }
        }
        let type = s.rawField(index, "expect")
        defer { s.pop() }
        switch type {
        case .nil: return .success(.anything)
        case .boolean where !s.bool(at: -1): return .success(.absent)
        case .string:
            guard let bytes = s.bytes(at: -1), let old = text(Array(bytes)) else {
                return .failure(Problem(text: "expect is not valid UTF-8"))
            }
            return .success(.value(old))
        default:
            return .failure(
                Problem(text: "expect must be the value last read (a string) or false (none stored), got \(s.typeName(at: -1))"))
        }
    }

    /// `bytes` as a string, when they are valid UTF-8.
    private static func text(_ bytes: [UInt8]) -> String? {
        let value = String(decoding: bytes, as: UTF8.self)
        return value.utf8.elementsEqual(bytes) ? value : nil
    }
}
