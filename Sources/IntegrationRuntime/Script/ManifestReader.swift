import Host

/// Reads and validates the table a script returned (contract, section 1), with raw
/// access only: a hostile table cannot run code while the host reads it.
struct ManifestReader {
    let s: LuaState
    let file: String
    let expectedName: String
    let maxTimeout: Double

    func fail(_ message: String) -> ScriptLoadError { ScriptLoadError(file: file, message: message) }

    /// Reads the table at `index`.
    func read(at index: Int32) throws(ScriptLoadError) -> IntegrationManifest {
        let t = s.absolute(index)
        guard s.isTable(t) else {
            throw fail("the script must return a table (local M = {...} ... return M), it returned \(s.typeName(at: t))")
        }
        let name = try string(t, "name", required: true)!
        guard name == expectedName else {
            throw fail("name \"\(name)\" does not match the file name \"\(expectedName)\"")
        }
        let title = try string(t, "title", required: false) ?? name
        for hook in ["prepare", "parse_status"] {
            s.rawField(t, hook)
            defer { s.pop() }
            guard s.isFunction(-1) else {
                throw fail("missing function M.\(hook) (every script defines prepare and parse_status)")
            }
        }
        s.rawField(t, "send")
        let sendType = s.type(at: -1)
        s.pop()
        guard sendType == .nil || sendType == .function else {
            throw fail("M.send must be a function when present, it is a \(s.typeName(of: sendType))")
        }
        return IntegrationManifest(
            name: name, title: title, actions: try actions(t), params: try params(t),
            limits: try limits(t), hasSend: sendType == .function)
    }

    private func string(_ t: Int32, _ key: String, required: Bool) throws(ScriptLoadError) -> String? {
        s.rawField(t, key)
        defer { s.pop() }
        if s.isNil(-1) {
            if required { throw fail("missing field \"\(key)\"") }
            return nil
        }
        guard let v = s.string(at: -1) else { throw fail("field \"\(key)\" must be a string") }
        return v
    }

    private func actions(_ t: Int32) throws(ScriptLoadError) -> [Action] {
        s.rawField(t, "actions")
        defer { s.pop() }
        guard s.isTable(-1) else { throw fail("missing field \"actions\" (a list such as { \"push\", \"status\" })") }
        var result: [Action] = []
        let n = s.rawLength(-1)
        for i in 1...max(n, 1) where n > 0 {
            s.rawElement(-1, i)
            defer { s.pop() }
            guard let word = s.string(at: -1), let action = Action(rawValue: word) else {
                let shown = s.stringOrNumber(at: -1) ?? s.typeName(at: -1)
                throw fail("unknown action \"\(shown)\" (known: \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            result.append(action)
        }
        if result.isEmpty { throw fail("\"actions\" is empty") }
        return result
    }

    private func params(_ t: Int32) throws(ScriptLoadError) -> [ParamSpec] {
        s.rawField(t, "params")
        defer { s.pop() }
        if s.isNil(-1) { return [] }
        guard s.isTable(-1) else { throw fail("\"params\" must be a table of parameter declarations") }
        let table = s.absolute(-1)
        var specs: [ParamSpec] = []
        s.pushNil()
        while s.next(table) {
            defer { s.pop() }
            guard let name = s.string(at: -2) else { throw fail("params: keys must be parameter names (strings)") }
            guard s.isTable(-1) else {
                throw fail("params.\(name) must be a table such as { required = true, secret = true }")
            }
            specs.append(try param(name, at: s.absolute(-1)))
        }
        return specs.sorted { $0.name < $1.name }
    }

    private func param(_ name: String, at t: Int32) throws(ScriptLoadError) -> ParamSpec {
        var spec = ParamSpec(name: name, required: false, secret: false, defaultValue: nil, description: nil)
        s.pushNil()
        while s.next(t) {
            defer { s.pop() }
            guard let key = s.string(at: -2), ParamSpec.knownKeys.contains(key) else {
                let shown = s.stringOrNumber(at: -2) ?? s.typeName(at: -2)
                throw fail("params.\(name): unknown key \"\(shown)\" (known: default, description, required, secret)")
            }
            switch key {
            case "required", "secret":
                guard s.isBoolean(-1) else { throw fail("params.\(name).\(key) must be true or false") }
                if key == "required" { spec.required = s.bool(at: -1) } else { spec.secret = s.bool(at: -1) }
            case "description":
                guard let d = s.string(at: -1) else { throw fail("params.\(name).description must be a string") }
                spec.description = d
            default:
                do { spec.defaultValue = try s.jsonValue(at: -1) } catch {
                    throw fail("params.\(name).default: \(error)")
                }
            }
        }
        return spec
    }

    private func limits(_ t: Int32) throws(ScriptLoadError) -> ScriptLimits {
        s.rawField(t, "limits")
        defer { s.pop() }
        var limits = ScriptLimits()
        if s.isNil(-1) { return limits }
        guard s.isTable(-1) else { throw fail("\"limits\" must be a table such as { rate = \"10/3s\", timeout = 85 }") }
        let table = s.absolute(-1)
        s.pushNil()
        while s.next(table) {
            defer { s.pop() }
            guard let key = s.string(at: -2), ScriptLimits.knownKeys.contains(key) else {
                let shown = s.stringOrNumber(at: -2) ?? s.typeName(at: -2)
                throw fail("limits: unknown key \"\(shown)\" (known: batch, rate, timeout)")
            }
            switch key {
            case "rate":
                (limits.rate, limits.rateScope) = try rate(at: s.absolute(-1))
            case "timeout":
                guard let v = s.number(at: -1), v > 0, v <= maxTimeout else {
                    throw fail("limits.timeout must be a number of seconds, more than 0 and at most \(maxTimeout.formatted)")
                }
                limits.timeout = v
            default:
                guard let v = s.integer(at: -1), v > 0, v <= 100_000 else {
                    throw fail("limits.batch must be a whole number from 1 to 100000")
                }
                limits.batch = Int(v)
            }
        }
        return limits
    }
}
