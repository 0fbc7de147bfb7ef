import CLua
import CLuaHost

/// A coroutine of a `LuaVM`, anchored in the registry so the collector keeps it.
public struct LuaThread: Equatable {
    public let L: OpaquePointer
    let ref: Int32
}

/// Instructions and running time a hook call has used so far, across its resumes.
public struct CallBudget: Sendable, Equatable {
    public var instructions: Int64 = 0
    public var runningNanos: UInt64 = 0
    public init() {}
}

/// How a resume of a coroutine ended.
public enum ResumeResult: Equatable {
    /// The function returned this many values, now on top of the thread's stack.
    case returned(Int32)
    /// The coroutine yielded, for this reason (what it waits for is on its stack).
    case yielded(YieldReason)
    case failed(LuaScriptError)
}

extension LuaVM {
    /// A coroutine ready to run a function: reused from the pool when one is free.
    public func makeThread() -> LuaThread {
        if let t = threadPool.popLast() { return t }
        let co = lua_newthread(L)!
        let r = ref()
        return LuaThread(L: co, ref: r)
    }

    /// Returns a thread to the pool when it finished cleanly, else lets it go.
    public func release(_ thread: LuaThread) {
        if lua_status(thread.L) == LUA_OK && threadPool.count < 64 {
            lua_settop(thread.L, 0)
            threadPool.append(thread)
        } else {
            unref(thread.ref)
        }
    }

    /// Resumes `thread` with the `arguments` values on top of its stack (under them, the
    /// function, on a first resume), with the limits armed and `budget` carried over.
    /// `run` is what host functions see during this resume, and only during it.
    public func resume(_ thread: LuaThread, arguments: Int32, budget: inout CallBudget, for run: HookRun?) -> ResumeResult {
        let outer = running
        running = run
        yieldReason = nil
        defer {
            running = outer
            yieldReason = nil
        }
        let lim = limitsState
        let cpuLimit = UInt64(max(0, limits.cpuSeconds) * 1_000_000_000)
        let start = clua_now_ns()
        lim.pointee.hit = Int32(CLUA_HIT_NONE)
        lim.pointee.instr_used = budget.instructions
        lim.pointee.instr_limit = limits.instructions
        lim.pointee.deadline_ns = start + (cpuLimit > budget.runningNanos ? cpuLimit - budget.runningNanos : 0)
        lim.pointee.refused_once = 0
        clua_set_armed(lim, 1)
        lim.pointee.in_host = 0
        var results: Int32 = 0
        let status = lua_resume(thread.L, L, arguments, &results)
        lim.pointee.in_host = 1
        clua_set_armed(lim, 0)
        budget.runningNanos += clua_now_ns() - start
        budget.instructions = lim.pointee.instr_used
        let hit = lim.pointee.hit
        if hit != Int32(CLUA_HIT_NONE) || status == LUA_ERRMEM {
            let limit: LuaLimit =
                hit == Int32(CLUA_HIT_INSTRUCTIONS)
                ? .instructions
                : hit == Int32(CLUA_HIT_TIME) ? .time : .memory
            var error = scriptError(on: thread.L, status: status, kind: .limit(limit))
            if !error.message.contains(limit.rawValue) {
                error.message = "\(limit.rawValue) exceeded" + (error.message.isEmpty ? "" : " (\(error.message))")
            }
            if status == LUA_OK || status == LUA_YIELD { lua_settop(thread.L, 0); abandonThread(thread) }
            return .failed(error)
        }
        switch status {
        case LUA_OK: return .returned(results)
        case LUA_YIELD: return .yielded(yieldReason ?? .stray)
        default: return .failed(scriptError(on: thread.L, status: status, kind: .runtime))
        }
    }

    /// A thread that must not go back to the pool (its call ended by a limit mid-run).
    private func abandonThread(_ thread: LuaThread) {
        clua_set_count_hook(thread.L, CLUA_HOOK_PERIOD)
    }

    /// Calls the function under `arguments` values on the main stack, with limits armed.
    /// Used for loading chunks; hooks run through `resume`. Host functions see `call`
    /// (the clock and cache scope of the load) while the chunk runs.
    public func protectedCall(arguments: Int32, results: Int32, for call: HostCall? = nil) -> LuaScriptError? {
        var budget = CallBudget()
        let base = lua_gettop(L) - arguments - 1
        let thread = makeThread()
        lua_xmove(L, thread.L, arguments + 1)
        let outcome = resume(thread, arguments: arguments, budget: &budget, for: call.map { HookRun(call: $0) })
        switch outcome {
        case .returned(let n):
            lua_xmove(thread.L, L, n)
            release(thread)
            if results >= 0 { lua_settop(L, base + results) }
            return nil
        case .yielded:
            unref(thread.ref)
            return LuaScriptError(
                kind: .strayYield, message: "attempt to yield from the main chunk (coroutine.yield outside a coroutine the script created)")
        case .failed(let e):
            release(thread)
            return e
        }
    }

    /// The error on top of `thread` as a `LuaScriptError`, with the innermost script
    /// position and a traceback.
    func scriptError(on thread: OpaquePointer, status: Int32, kind: LuaScriptError.Kind) -> LuaScriptError {
        let s = LuaState(thread)
        var message: String
        if status == LUA_OK || status == LUA_YIELD {
            message = ""
        } else if let m = s.stringOrNumber(at: -1) {
            message = m
        } else if s.isNil(-1) {
            message = "error called with nil"
        } else if s.isTable(-1), s.rawField(-1, "message") == .string, let m = s.string(at: -1) {
            s.pop()
            message = m
        } else {
            if s.isTable(-2) { s.pop() }
            message = "error object is a \(s.typeName(at: -1)) value"
        }
        if status == LUA_ERRMEM { message = "memory limit exceeded (\(message))" }
        clua_traceback(L, thread, nil, 0)
        let traceback = LuaState(L).string(at: -1)
        lua_settop(L, -2)
        let frames = fileFrames(of: thread)
        return LuaScriptError(kind: kind, message: message, location: frames.first, frames: frames, traceback: traceback)
    }

    /// `file:line` of the frames of `thread` whose code comes from a file-named chunk (a
    /// script or a lib), innermost first: where a coroutine failed, or where it is
    /// suspended. Like Lua's tracebacks, a deep stack gives only its innermost and its
    /// outermost levels (`edge` of each): `lua_getstack` walks from the top, so visiting
    /// every level of a deep recursion would take quadratic time.
    public func fileFrames(of thread: OpaquePointer, edge: Int32 = 16) -> [String] {
        var ar = lua_Debug()
        guard lua_getstack(thread, 0, &ar) != 0 else { return [] }
        // The outermost level, by doubling and then bisecting.
        var valid: Int32 = 0
        var invalid: Int32 = 1
        while lua_getstack(thread, invalid, &ar) != 0 {
            valid = invalid
            invalid *= 2
        }
        while invalid - valid > 1 {
            let middle = valid + (invalid - valid) / 2
            if lua_getstack(thread, middle, &ar) != 0 { valid = middle } else { invalid = middle }
        }
        var levels = Array(0...min(valid, edge - 1))
        if valid >= edge { levels += max(edge, valid - edge + 1)...valid }
        var frames: [String] = []
        for level in levels where lua_getstack(thread, level, &ar) != 0 {
            if lua_getinfo(thread, "Sl", &ar) != 0, ar.currentline > 0, let src = ar.source, src.pointee == CChar(UInt8(ascii: "@")) {
                frames.append(String(cString: src + 1) + ":\(ar.currentline)")
            }
        }
        return frames
    }
}
