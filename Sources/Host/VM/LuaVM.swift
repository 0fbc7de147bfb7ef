import CLua
import CLuaHost

/// One sandboxed Lua 5.4 state with its limits and host modules.
///
/// A VM is used by one task at a time (it is not `Sendable`): the runtime drives it from
/// one thread and interleaves many hook calls on it as coroutines. While Swift works on
/// the VM it is in *host mode*, in which the allocator never refuses, so that no API call
/// made from Swift can raise; Lua code runs only inside `resume` and `protectedCall`,
/// with the limits armed.
public final class LuaVM {
    /// The main thread.
    public let L: OpaquePointer
    let limitsState: UnsafeMutablePointer<clua_limits>
    public let limits: LuaLimits
    /// Shared storage behind the `cache` module (a new one with `renewGlobals(cache:)`).
    public internal(set) var cache: any CacheStore
    /// Sources `require("lib.x")` can load, by module name (`lib.x`).
    public var libraries: [String: LuaSource]
    /// Those libraries compiled once (`LuaChunk`), by module name: `require` loads one of
    /// these, when it was compiled from the very source in `libraries`, without parsing.
    public var compiledLibraries: [String: LuaChunk] = [:]
    /// The hook run in progress: set by `resume` for its duration only, read by host
    /// functions through their context.
    public internal(set) var running: HookRun?
    /// Set by `http.request` as it yields; `resume` turns it into the `YieldReason`.
    var yieldReason: YieldReason?
    /// Set when the VM was abandoned (stuck inside C past its deadline): never use it again.
    public internal(set) var isAbandoned = false

    var sandbox = SandboxRefs()
    /// The compiled chunks undumped into this VM, kept (with their functions' registry
    /// references) so that loading one again costs no undump (`pushLoaded`).
    var loadedChunks: [ObjectIdentifier: (chunk: LuaChunk, ref: Int32)] = [:]
    var threadPool: [LuaThread] = []

    /// Creates a VM, installs the host modules and seals the standard library.
    public init(
        limits: LuaLimits = .default,
        cache: any CacheStore = MemoryCacheStore(),
        modules: [HostModule] = StandardModules.all,
        libraries: [String: LuaSource] = [:]
    ) throws {
        let state = UnsafeMutablePointer<clua_limits>.allocate(capacity: 1)
        state.initialize(to: clua_limits())
        state.pointee.in_host = 1
        state.pointee.mem_cap = limits.memoryBytes
        guard let L = clua_newstate(state) else {
            state.deallocate()
            throw LuaHostError.cannotCreateState
        }
        self.L = L
        self.limitsState = state
        self.limits = limits
        self.cache = cache
        self.libraries = libraries
        clua_open_base_libs(L)
        clua_open_guards(L)
        clua_open_bounded_libs(L)
        clua_gc_generational(L)
        for module in modules { install(module) }
        try installSandbox()
    }

    deinit {
        lua_close(L)
        clua_free_small_blocks(limitsState)
        limitsState.deallocate()
    }

    /// The context pointer host functions receive; `LuaVM.from(_:)` turns it back.
    var contextPointer: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// The VM a host function was registered on.
    @inlinable public static func from(_ context: UnsafeMutableRawPointer?) -> LuaVM {
        Unmanaged<LuaVM>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Bytes the VM has allocated now, and the most since the last `resetPeakMemory()`.
    public var memoryInUse: Int { limitsState.pointee.mem_used }
    public var peakMemory: Int { limitsState.pointee.mem_peak }
    public func resetPeakMemory() { limitsState.pointee.mem_peak = limitsState.pointee.mem_used }

    /// Runs a full garbage collection (host side only; scripts cannot).
    public func collectGarbage() { clua_gc_collect(L) }

    /// Marks the VM as never to be used again.
    public func abandon() { isAbandoned = true }

    // MARK: Modules

    /// Installs `module` as a global table of host functions.
    public func install(_ module: HostModule) {
        let s = LuaState(L)
        s.newTable(recordCount: Int32(module.functions.count))
        for (name, fn) in module.functions {
            pushHostFunction(fn)
            s.setRawField(-2, name)
        }
        module.fields?(self, s)
        module.name.withCString { lua_setglobal(L, $0) }
    }

    /// Pushes a host function bound to this VM onto the main thread's stack.
    public func pushHostFunction(_ fn: HostFunction) {
        let raw: clua_host_fn = fn
        clua_push_host_function(L, raw, contextPointer)
    }

    // MARK: Registry references

    /// Pops the top of the main stack into the registry and returns its reference.
    public func ref() -> Int32 { luaL_ref(L, clua_registryindex()) }

    public func unref(_ ref: Int32) { luaL_unref(L, clua_registryindex(), ref) }

    /// Pushes the referenced value onto `thread` (default: the main thread).
    @inlinable public func push(ref: Int32, onto thread: OpaquePointer? = nil) {
        lua_rawgeti(thread ?? L, clua_registryindex(), lua_Integer(ref))
    }
}

/// A chunk of Lua source and the name errors should show for it (`clixnow.lua`).
public struct LuaSource: Sendable, Equatable {
    public var name: String
    public var code: String
    public init(name: String, code: String) {
        self.name = name
        self.code = code
    }
}
