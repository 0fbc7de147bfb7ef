import CLua
import Foundation
import Host

extension LuaVM {
    /// Loads and runs `code` as a chunk named `name`, under the limits, and returns its
    /// first result as a string (Lua's tostring of scalars) or the error. Host functions
    /// see `call` (its clock, cache scope, logs) while the chunk runs.
    func evaluate(in call: HostCall? = nil, _ code: String, name: String = "=test") -> Result<String?, LuaScriptError> {
        let count = code.utf8.count
        let status = code.withCString { clua_load_text(L, $0, count, name) }
        let s = LuaState(L)
        if status != LUA_OK {
            let message = s.string(at: -1) ?? "load failed"
            s.pop()
            return .failure(LuaScriptError(kind: .syntax, message: message))
        }
        if let error = protectedCall(arguments: 0, results: 1, for: call) { return .failure(error) }
        defer { s.pop() }
        if s.isNil(-1) { return .success(nil) }
        if let b = lua_type(L, -1) == LUA_TBOOLEAN ? s.bool(at: -1) : nil { return .success(b ? "true" : "false") }
        return .success(s.stringOrNumber(at: -1) ?? s.typeName(at: -1))
    }

    /// The result of `evaluate`, failing the caller with the error message.
    func value(in call: HostCall? = nil, _ code: String) throws -> String? {
        try evaluate(in: call, code).get()
    }
}

extension LuaLimits {
    /// The contract's defaults with the given instruction budget and CPU time.
    static func budget(instructions: Int64, cpuSeconds: Double) -> LuaLimits {
        var limits = LuaLimits()
        limits.instructions = instructions
        limits.cpuSeconds = cpuSeconds
        return limits
    }

    /// Limits that stay out of the way of a test about something else: no instruction
    /// budget and an hour of CPU, so a slow or loaded machine (or AddressSanitizer) cannot
    /// turn the test into a limit test. The memory cap stays.
    static var outOfTheWay: LuaLimits {
        var limits = LuaLimits()
        limits.instructions = 0
        limits.cpuSeconds = 3600
        return limits
    }
}

extension LuaVM {
    /// `evaluate(code)` on a thread of its own (16 MiB of stack), waited for at most
    /// `seconds`: nil when it has not come back, so a test of a bound fails instead of
    /// hanging the suite when the bound does not hold.
    func evaluate(in call: HostCall? = nil, _ code: String, within seconds: Double) -> Result<String?, LuaScriptError>? {
        final class Box: @unchecked Sendable {  // the thread writes before signalling; the test reads after
            var result: Result<String?, LuaScriptError>?
            let vm: LuaVM
            let call: HostCall?
            init(vm: LuaVM, call: HostCall?) { self.vm = vm; self.call = call }
        }
        let box = Box(vm: self, call: call)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = box.vm.evaluate(in: box.call, code)
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        return done.wait(timeout: .now() + seconds) == .success ? box.result : nil
    }
}
