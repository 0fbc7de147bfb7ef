import CLua

/// `log`: lines a script writes for the call's record (and the service's log). Any
/// values, joined by single spaces: strings as they are, numbers as `tostring`, `nil`,
/// booleans, `json.null` as `null`, tables as JSON, other values by their type name.
/// Secrets (parameters declared secret, values registered with `log.secret`, in their
/// derived forms) and the credentials of headers are replaced by `***` before the line is
/// stored or sent.
/// Bounded: at most `maxLines` lines per call (then one warning that the limit was
/// reached), each at most `maxLineBytes` bytes. Outside a hook call lines are dropped.
/// The sandbox makes `print` the same as `log.info`.
public enum LogModule {
    public static let module = HostModule(
        name: "log",
        functions: [
            ("debug", debug), ("info", info), ("warn", warn), ("error", error), ("secret", secret),
        ])

    /// Lines one call may write.
    public static let maxLines = 200
    /// Bytes kept of one line; a longer one ends with `trimmedMark`.
    public static let maxLineBytes = 8 * 1024
    static let trimmedMark = "…(trimmed)"
    static let limitMessage = "log limit reached (\(maxLines) lines per call); further lines dropped"

    /// `log.debug(...)`: a debug line.
    ///
    ///     log.debug("request body", body)
    static let debug: HostFunction = { L, context in write(.debug, LuaState(L), LuaVM.from(context)) }

    /// `log.info(...)`: an informational line.
    ///
    ///     log.info("lead", ctx.lead.id, "accepted as", id)
    static let info: HostFunction = { L, context in write(.info, LuaState(L), LuaVM.from(context)) }

    /// `log.warn(...)`: a warning line.
    ///
    ///     log.warn("clixnow: success answer without leadId", res.body)
    static let warn: HostFunction = { L, context in write(.warn, LuaState(L), LuaVM.from(context)) }

    /// `log.error(...)`: an error line (it does not stop the script; use `error` for that).
    ///
    ///     log.error("unexpected status", res.status, { body = res.body })
    static let error: HostFunction = { L, context in write(.error, LuaState(L), LuaVM.from(context)) }

    private static func write(_ level: LogRecord.Level, _ s: LuaState, _ vm: LuaVM) -> Int32 {
        guard let call = vm.running?.call else { return 0 }
        let written = call.logs.count
        guard written <= maxLines else { return 0 }
        let record: LogRecord
        if written == maxLines {
            record = LogRecord(level: .warn, message: limitMessage)
        } else {
            record = LogRecord(level: level, message: trimmed(call.mask(message(s))))
        }
        call.logs.append(record)
        call.logSink?(record)
        return 0
    }

    /// Bytes of a line rendered before masking and trimming: past `maxLineBytes`, so that a
    /// secret running across the cut is still found whole and masked.
    static let maxRenderedBytes = 4 * maxLineBytes

    /// The arguments rendered and joined by spaces, at most `maxRenderedBytes` of them: a
    /// huge string or table costs no more than that (a table's JSON is cut short, see
    /// `LuaJSON.encode`).
    static func message(_ s: LuaState) -> String {
        let count = s.top
        var out = [UInt8]()
        for index in stride(from: Int32(1), through: count, by: 1) where out.count < maxRenderedBytes {
            if index > 1 { out.append(UInt8(ascii: " ")) }
            append(s, at: index, to: &out, room: maxRenderedBytes - out.count)
        }
        return String(decoding: out.prefix(maxRenderedBytes), as: UTF8.self)
    }

    private static func append(_ s: LuaState, at index: Int32, to out: inout [UInt8], room: Int) {
        switch lua_type(s.L, index) {
        case LUA_TNIL, LUA_TNONE: out += Array("nil".utf8)
        case LUA_TBOOLEAN: out += Array((s.bool(at: index) ? "true" : "false").utf8)
        case LUA_TSTRING, LUA_TNUMBER: _ = s.withStringBytes(at: index) { out += $0.prefix(room) }
        case LUA_TTABLE:
            lua_checkstack(s.L, 16)
            var json = [UInt8]()
            let top = s.top
            let failure = LuaJSON.encode(s, at: index, into: &json, maxBytes: room)
            s.top = top
            switch failure {
            case nil: out += json
            case let failure? where failure.overBytes != nil: out += Array("{…(a table whose JSON is longer than this line)}".utf8)
            case _?: out += Array("table".utf8)
            }
        default:
            out += Array((s.isNull(index) ? "null" : s.typeName(at: index)).utf8)
        }
    }

    /// `text` cut to `maxLineBytes` (on a character boundary) plus `trimmedMark`.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count > maxLineBytes else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: maxLineBytes - trimmedMark.utf8.count)
        while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        return String(text[..<end]) + trimmedMark
    }
}
