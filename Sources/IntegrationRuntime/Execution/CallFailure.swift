import Host

/// A call that ended as outcome `error`, and the one place the message of such an outcome
/// is written (contract, section 3). It names the script, the line when it is known, and
/// the hook that ran:
///
///     demo.lua:12: prepare: attempt to index a nil value (local 'x')
///     demo: parse_status: returned a result of the wrong shape: outcome must be ...
///     demo: params: missing required parameter "api_token" (set it on the offer)
///     demo: the pool was shut down before the call finished    (the host's own failure)
///
/// The line is always one of the script's own file: when the failure happened in `lib/`
/// code, the message gives the script's innermost line and keeps the library's position in
/// its text (`demo.lua:12: prepare: lib/util.lua:2: boom`).
struct CallFailure: Error, Sendable, Equatable {
    /// The integration's name.
    var script: String
    /// The hook that ran, or the check that failed before any did; nil for a failure of
    /// the host itself that no hook caused.
    var hook: CallHook?
    /// `demo.lua:12`, when the line is known.
    var location: String?
    var what: String

    init(script: String, hook: CallHook?, location: String? = nil, what: String) {
        self.script = script
        self.hook = hook
        self.location = location
        self.what = what
    }

    /// A failure of `hook` in the script whose file is `file` (`demo.lua`), with the file
    /// positions (`lib/util.lua:3`, innermost first) of the coroutine that failed or is
    /// suspended. A position Lua put in front of `what` is taken as the line when it is in
    /// the script's file; otherwise the script's innermost line is, and a library position
    /// stays in the text.
    init(script: String, file: String, hook: CallHook, frames: [String], what: String) {
        let own = frames.first { Self.isPosition($0, in: file) }
        var text = what
        var location = own
        if let (position, rest) = Self.leadingPosition(of: what) {
            if Self.isPosition(position, in: file) {
                location = position
                text = rest
            }
        } else if let innermost = frames.first, innermost != own {
            text = innermost + ": " + what
        }
        self.init(script: script, hook: hook, location: location, what: text)
    }

    /// A Lua failure (a runtime error, a limit) of `hook`.
    init(_ error: LuaScriptError, script: String, file: String, hook: CallHook) {
        self.init(script: script, file: file, hook: hook, frames: error.frames, what: error.message)
    }

    /// A VM that stayed inside C code past its deadline plus the grace period and was abandoned.
    init(script: String, stuck: StuckCall) {
        let seconds = (stuck.overrunSeconds * 10).rounded() / 10
        self.init(
            script: script, hook: stuck.hook,
            what:
                "\(LuaLimit.time.rawValue) exceeded: the script stayed inside C code (a library or host function that did not return) \(seconds) s past its deadline; its VM was abandoned"
        )
    }

    /// A call that waited for HTTP on a VM that was abandoned meanwhile.
    static func abandonedWhileWaiting(script: String, hook: CallHook?) -> CallFailure {
        CallFailure(
            script: script, hook: hook,
            what:
                "the VM running this call was abandoned while the call waited for HTTP (another call got stuck inside C code); the request was sent but its answer was not read"
        )
    }

    var message: String {
        var text = location ?? script
        if let hook { text += ": " + hook.rawValue }
        return text + ": " + what
    }

    /// The call's result: this failure, with `exchanges` so far, its message masked by `masker`.
    func result(exchanges: [Exchange] = [], logs: [LogRecord] = [], masker: SecretMasker = SecretMasker()) -> CallResult {
        CallResult(
            value: .outcome(.error(masker.mask(message))), exchanges: exchanges, logs: logs, location: location,
            hook: hook, masker: masker)
    }

    static func isPosition(_ position: String, in file: String) -> Bool {
        position.utf8.count > file.utf8.count && position.hasPrefix(file)
            && position.utf8.dropFirst(file.utf8.count).first == UInt8(ascii: ":")
    }

    /// `("lib/util.lua:2", "boom")` for `"lib/util.lua:2: boom"`, the form Lua gives a
    /// position; nil when the text does not start with one.
    static func leadingPosition(of text: String) -> (String, String)? {
        guard let separator = text.range(of: ": ") else { return nil }
        let head = text[..<separator.lowerBound]
        guard let colon = head.lastIndex(of: ":") else { return nil }
        let line = head[head.index(after: colon)...]
        guard head[..<colon].hasSuffix(".lua"), !line.isEmpty, line.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return (String(head), String(text[separator.upperBound...]))
    }
}
