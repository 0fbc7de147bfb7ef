import CLua
import Foundation

/// `time`: the call's clock and `os.date`-style formatting and parsing in any IANA zone.
/// Civil dates are computed in Swift (no C `strftime`/`localtime`, which depend on the
/// process-wide `TZ`); zone offsets come from the tz database through Foundation.
/// Accepted instants are years 0000 to 9999; fractional epochs are floored.
public enum TimeModule {
    public static let module = HostModule(
        name: "time",
        functions: [
            ("now", now), ("format", format), ("parse", parse), ("iso", iso),
        ])

    /// `time.now()`: the call's clock in integer epoch seconds (fixed in fixtures), or
    /// the wall clock outside a call.
    ///
    ///     local ts = tostring(time.now())
    static let now: HostFunction = { L, context in
        let vm = LuaVM.from(context)
        let seconds = vm.running?.call.now ?? Int64(Date().timeIntervalSince1970.rounded(.down))
        LuaState(L).push(seconds)
        return 1
    }

    /// `time.format(epoch, pattern[, tz])`: `epoch` written by an `os.date` pattern in
    /// the IANA zone `tz` (default UTC). An unknown specifier or zone raises. The
    /// specifiers are listed on `StrftimePattern`.
    ///
    ///     time.format(1795600800, "%Y-%m-%d %H:%M:%S", "Europe/Moscow") --> "2026-11-25 13:00:00"
    ///     time.format(ctx.now, "%d.%m.%Y %H:%M %z", ctx.params.timezone)
    static let format: HostFunction = { L, _ in
        let s = LuaState(L)
        let name = "time.format"
        guard let epoch = epochArgument(s, at: 1) else { return raiseBadEpoch(s, name, at: 1) }
        guard let tokens = s.withStringBytes(at: 2, { StrftimePattern.tokens($0) }) else {
            return s.raise("\(name): expected a pattern string, got \(s.typeName(at: 2))")
        }
        guard let zone = zoneArgument(s, at: 3) else { return raiseBadZone(s, name, at: 3) }
        switch tokens {
        case .failure(let unknown):
            return s.raise("\(name): unknown specifier '\(unknown.specifier)' at position \(unknown.position) of the pattern")
        case .success(let tokens):
            s.push(bytes: StrftimeFormatter.format(tokens, epoch: epoch, zone: zone))
            return 1
        }
    }

    /// `time.parse(s, pattern[, tz]) -> epoch | nil, err`: reads `s` by an `os.date`
    /// pattern; a time without `%z`/`%Z`/`%s` is local time in `tz` (default UTC). Input
    /// that does not match gives `nil` and a message naming the position; an unknown
    /// specifier or zone raises. Around a DST change the earlier offset wins (see
    /// `Zone.utcEpoch(fromLocal:)`); other leniencies are listed on `StrftimeParser`.
    ///
    ///     local epoch, err = time.parse(row.created, "%Y-%m-%d %H:%M:%S", "Europe/Moscow")
    ///     time.parse("2026-11-20T10:00:00.250+03:00", "%Y-%m-%dT%H:%M:%S%z") --> 1795158000
    static let parse: HostFunction = { L, _ in
        let s = LuaState(L)
        let name = "time.parse"
        guard let input = s.withStringBytes(at: 1, { Array($0) }) else { return s.raiseExpectedString(name, at: 1) }
        guard let tokens = s.withStringBytes(at: 2, { StrftimePattern.tokens($0) }) else {
            return s.raise("\(name): expected a pattern string, got \(s.typeName(at: 2))")
        }
        guard let zone = zoneArgument(s, at: 3) else { return raiseBadZone(s, name, at: 3) }
        switch tokens {
        case .failure(let unknown):
            return s.raise("\(name): unknown specifier '\(unknown.specifier)' at position \(unknown.position) of the pattern")
        case .success(let tokens):
            switch StrftimeParser.parse(input, tokens: tokens, zone: zone) {
            case .success(let epoch):
                s.push(epoch)
                return 1
            case .failure(let mismatch):
                s.pushNil()
                s.push(mismatch.message)
                return 2
            }
        }
    }

    private static let isoTokens: [StrftimePattern.Token] = {
        let pattern = "%Y-%m-%dT%H:%M:%SZ"
        return pattern.utf8.withContiguousStorageIfAvailable { buffer in
            (try? StrftimePattern.tokens(UnsafeRawBufferPointer(buffer)).get()) ?? []
        } ?? []
    }()

    /// `time.iso(epoch)`: ISO 8601 in UTC, to the second.
    ///
    ///     time.iso(1795600800) --> "2026-11-25T10:00:00Z"
    static let iso: HostFunction = { L, _ in
        let s = LuaState(L)
        guard let epoch = epochArgument(s, at: 1) else { return raiseBadEpoch(s, "time.iso", at: 1) }
        s.push(bytes: StrftimeFormatter.format(isoTokens, epoch: epoch, zone: .utc))
        return 1
    }

    // MARK: Arguments

    /// Integer epoch seconds (floats floored) within years 0000-9999, or `nil`.
    private static func epochArgument(_ s: LuaState, at index: Int32) -> Int64? {
        guard lua_type(s.L, index) == LUA_TNUMBER else { return nil }
        let seconds: Int64
        if clua_isinteger(s.L, index) != 0, let i = s.integer(at: index) {
            seconds = i
        } else {
            guard let d = s.number(at: index), d.isFinite, abs(d) < 1e15 else { return nil }
            seconds = Int64(d.rounded(.down))
        }
        return CivilTime.epochRange.contains(seconds) ? seconds : nil
    }

    private static func raiseBadEpoch(_ s: LuaState, _ name: String, at index: Int32) -> Int32 {
        if lua_type(s.L, index) == LUA_TNUMBER {
            return s.raise("\(name): epoch \(s.stringOrNumber(at: index) ?? "?") out of range (years 0000 to 9999)")
        }
        return s.raise("\(name): expected epoch seconds (a number), got \(s.typeName(at: index))")
    }

    /// The zone named by the argument (nil or absent: UTC), or `nil` when unknown.
    private static func zoneArgument(_ s: LuaState, at index: Int32) -> Zone? {
        if s.isNil(index) { return .utc }
        guard let name = s.string(at: index) else { return nil }
        return Zone.named(name)
    }

    private static func raiseBadZone(_ s: LuaState, _ name: String, at index: Int32) -> Int32 {
        guard let zone = s.string(at: index) else {
            return s.raise("\(name): expected a time zone name, got \(s.typeName(at: index))")
        }
        return s.raise("\(name): unknown time zone '\(zone)'")
    }
}
