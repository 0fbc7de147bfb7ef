import CLua

/// `fields`: the native half of `lib/lead.lua`. Reading and checking lead fields is most of
/// a script's own work per lead; these functions do in one host call what Lua patterns
/// did in several (about 5 times faster). None raises: a value that cannot be used gives
/// `nil` (`false` for `fields.flag`). Scripts normally call them through `lib.lead`.
///
/// "Text" below is what `fields.text` gives: strings trimmed of spaces, numbers and
/// booleans as text.
public enum FieldsModule {
    public static let module = HostModule(
        name: "fields",
        functions: [
            ("text", text), ("flag", flag), ("email", email), ("phone_digits", phoneDigits),
            ("phone_plus", phonePlus), ("country", country), ("language", language), ("ip", ip),
        ])

    /// `fields.text(v)`: a trimmed, non-empty string, or nil. Strings lose leading and
    /// trailing spaces (tab, line feeds, form feed, carriage return, space); integral
    /// floats print without a fraction (`49.0` -> `"49"`), other numbers as `tostring`
    /// does; booleans give `"true"`/`"false"`; nil, `json.null`, `""`, `"  "`, tables and
    /// functions give nil.
    static let text: HostFunction = { L, _ in
        guard let (p, range) = textBytes(L, 1) else { lua_pushnil(L); return 1 }
        pushSlice(L, p, range, whole: 1)
        return 1
    }

    /// `fields.flag(v)`: true for the spellings of yes in offer params: `true`, `1`, and
    /// the texts `1`, `true`, `yes`, `on` in any case; false for everything else.
    static let flag: HostFunction = { L, _ in
        switch lua_type(L, 1) {
        case LUA_TBOOLEAN: lua_pushboolean(L, lua_toboolean(L, 1))
        case LUA_TNUMBER: lua_pushboolean(L, clua_tonumberx(L, 1, nil) == 1 ? 1 : 0)
        case LUA_TSTRING:
            let yes = textBytes(L, 1).map { p, r in LeadFieldRules.isYes(UnsafeRawBufferPointer(rebasing: p[r])) } ?? false
            lua_pushboolean(L, yes ? 1 : 0)
        default: lua_pushboolean(L, 0)
        }
        return 1
    }

    /// `fields.email(v)`: the text when it looks like an address (`something@domain.tld`:
    /// one `@`, no spaces, a dot inside the domain), else nil.
    static let email: HostFunction = { L, _ in
        checked(L) { LeadFieldRules.isEmail($0) }
    }

    /// `fields.phone_digits(v)`: the digits of the text (`"+49 151 123-456"` ->
    /// `"49151123456"`), or nil when there are fewer than 5.
    static let phoneDigits: HostFunction = { L, _ in pushDigits(L, plus: false) }

    /// `fields.phone_plus(v)`: `"+"` and the digits, as `phone_digits` (nil likewise).
    static let phonePlus: HostFunction = { L, _ in pushDigits(L, plus: true) }

    /// `fields.country(v)`: an ISO 3166 alpha-2 code in upper case (`"de"` -> `"DE"`), or
    /// nil unless the text is exactly two letters.
    static let country: HostFunction = { L, _ in
        firstTwoLetters(L, upper: true) { LeadFieldRules.isCountry($0) }
    }

    /// `fields.language(v)`: the ISO 639-1 part of a language tag in lower case
    /// (`"de-AT"` -> `"de"`, `"EN"` -> `"en"`), or nil.
    static let language: HostFunction = { L, _ in
        firstTwoLetters(L, upper: false) { LeadFieldRules.isLanguageTag($0) }
    }

    /// `fields.ip(v)`: the text when it is an IPv4 address (four groups of 1-3 digits, each
    /// at most 255) or looks like IPv6 (hex digits, colons and dots, at least one colon),
    /// else nil. The check is syntactic only.
    static let ip: HostFunction = { L, _ in
        checked(L) { LeadFieldRules.isIP($0) }
    }

    // MARK: Helpers

    /// The text of the value at `index` as bytes and the trimmed range, or nil. A number
    /// is converted on a new stack slot (which keeps the bytes alive until the return).
    private static func textBytes(_ L: OpaquePointer?, _ index: Int32) -> (UnsafeRawBufferPointer, Range<Int>)? {
        var slot = index
        switch lua_type(L, index) {
        case LUA_TSTRING: break
        case LUA_TNUMBER:
            let d = clua_tonumberx(L, index, nil)
            if clua_isinteger(L, index) == 0, d == d.rounded(.down), d > -0x1p53, d < 0x1p53 {
                lua_pushinteger(L, lua_Integer(d))
            } else {
                lua_pushvalue(L, index)
            }
            slot = lua_gettop(L)
        case LUA_TBOOLEAN:
            lua_pushstring(L, lua_toboolean(L, index) != 0 ? "true" : "false")
            slot = lua_gettop(L)
        default:
            return nil
        }
        var count = 0
        guard let p = clua_tolstring(L, slot, &count) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: p, count: count)
        let range = LeadFieldRules.trimmed(bytes)
        return range.isEmpty ? nil : (bytes, range)
    }

    /// Pushes `bytes[range]`, reusing the string at `whole` when the range is all of it.
    private static func pushSlice(_ L: OpaquePointer?, _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, whole: Int32) {
        if range.count == bytes.count, lua_type(L, whole) == LUA_TSTRING {
            lua_pushvalue(L, whole)
        } else {
            lua_pushlstring(L, bytes.baseAddress!.assumingMemoryBound(to: CChar.self) + range.lowerBound, range.count)
        }
    }

    /// Pushes the text of argument 1 when `rule` holds for it, else nil.
    private static func checked(_ L: OpaquePointer?, _ rule: (UnsafeRawBufferPointer) -> Bool) -> Int32 {
        if let (p, r) = textBytes(L, 1), rule(UnsafeRawBufferPointer(rebasing: p[r])) {
            pushSlice(L, p, r, whole: 1)
        } else {
            lua_pushnil(L)
        }
        return 1
    }

    private static func pushDigits(_ L: OpaquePointer?, plus: Bool) -> Int32 {
        guard let (p, r) = textBytes(L, 1) else { lua_pushnil(L); return 1 }
        var out = plus ? [UInt8(ascii: "+")] : []
        out.reserveCapacity(r.count + 1)
        for b in p[r] where LeadFieldRules.isDigit(b) { out.append(b) }
        guard out.count - (plus ? 1 : 0) >= 5 else { lua_pushnil(L); return 1 }
        out.withUnsafeBufferPointer {
            _ = lua_pushlstring(L, UnsafeRawPointer($0.baseAddress)?.assumingMemoryBound(to: CChar.self), $0.count)
        }
        return 1
    }

    /// Pushes the first two bytes of argument 1's text (letters, as `rule` ensures) in
    /// upper or lower case when `rule` holds for the text, else nil.
    private static func firstTwoLetters(_ L: OpaquePointer?, upper: Bool, _ rule: (UnsafeRawBufferPointer) -> Bool) -> Int32 {
        guard let (p, r) = textBytes(L, 1), rule(UnsafeRawBufferPointer(rebasing: p[r])) else {
            lua_pushnil(L)
            return 1
        }
        let fold: (UInt8) -> UInt8 = { upper ? $0 & ~0x20 : $0 | 0x20 }
        var pair = (fold(p[r.lowerBound]), fold(p[r.lowerBound + 1]))
        withUnsafeBytes(of: &pair) { _ = lua_pushlstring(L, $0.baseAddress?.assumingMemoryBound(to: CChar.self), 2) }
        return 1
    }
}
