import CLua

extension LogModule {
    /// Secrets one call may hold, its secret parameters included.
    public static let maxSecretsPerCall = 64
    /// Longest value `log.secret` takes.
    public static let maxSecretBytes = 4096

    /// `log.secret(value)`: registers a value the script derived (a token got from a
    /// login, a signing key) as a secret of this call, and returns it. From then on the
    /// value, in any of the forms a secret parameter is masked in, is shown as `***` in
    /// the call's log lines, its outcome's message and everything `leadrelay run` and
    /// `leadrelay check` print. A number counts as its `tostring` text. Outside a hook
    /// call it only returns the value.
    ///
    ///     local token = log.secret(login.json.token)
    static let secret: HostFunction = { L, context in
        let s = LuaState(L)
        lua_settop(L, 1)
        guard let text = s.stringOrNumber(at: 1) else {
            return s.raise("log.secret: expected a string or a number, got \(s.typeName(at: 1))")
        }
        guard let call = LuaVM.from(context).running?.call else { return 1 }
        if let problem = call.registerSecret(Array(text.utf8)) { return s.raise("log.secret: " + problem) }
        return 1
    }
}
