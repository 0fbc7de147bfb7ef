import CLua
import Glibc
import Host

/// One integration script loaded into its own VM, ready to run calls.
///
/// Not thread-safe: one thread at a time drives an instance (`IntegrationPool` gives each
/// instance a thread of its own). Many calls may be in flight on one instance: each runs
/// in coroutines and waits for HTTP without holding the VM.
public final class IntegrationInstance {
    public let manifest: IntegrationManifest
    public let vm: LuaVM
    let hooks: (prepare: Int32, send: Int32?, parseStatus: Int32)
    /// Where each hook is defined (`irev.lua:88`), for reports.
    public let hookLocations: [String: String]
    /// The offer parameters the last call used, prepared once per change.
    var paramsCache: PreparedParams?

    /// Loads `source` (`integrations/<name>.lua`) with `libraries` for `require`. `modules`
    /// are the host modules the script sees (the contract's, unless a test adds one).
    public init(
        source: LuaSource, file: String, libraries: [String: LuaSource] = [:],
        limits: LuaLimits = .default, cache: any CacheStore = MemoryCacheStore(),
        modules: [HostModule] = StandardModules.all
    ) throws(ScriptLoadError) {
        let vm: LuaVM
        do {
            vm = try LuaVM(limits: limits, cache: cache, modules: modules, libraries: libraries)
        } catch {
            throw ScriptLoadError(file: file, message: "cannot create the VM: \(error)")
        }
        let L = vm.L
        let expectedName = String(source.name.dropLast(4))  // "clixnow.lua" -> "clixnow"
        let count = source.code.utf8.count
        let status = source.code.withCString { clua_load_text(L, $0, count, "@" + source.name) }
        let s = LuaState(L)
        if status != LUA_OK {
            let message = s.string(at: -1) ?? "syntax error"
            throw ScriptLoadError.fromLua(message, file: file, chunk: source.name)
        }
        vm.call = HostCall(now: Int64(Clock.epochSeconds()))
        if let error = vm.protectedCall(arguments: 0, results: 1) {
            throw ScriptLoadError.fromLua(error.message, file: file, chunk: source.name)
        }
        vm.call = nil
        let reader = ManifestReader(s: s, file: file, expectedName: expectedName, maxTimeout: limits.maxHTTPTimeoutSeconds)
        let manifest = try reader.read(at: -1)
        var locations: [String: String] = [:]
        func ref(_ field: String) -> Int32? {
            s.rawField(-1, field)
            if s.isNil(-1) { s.pop(); return nil }
            lua_pushvalue(L, -1)
            var ar = lua_Debug()
            if lua_getinfo(L, ">S", &ar) != 0, ar.linedefined > 0 {
                locations[field] = "\(source.name):\(ar.linedefined)"
            }
            return vm.ref()
        }
        let prepare = ref("prepare")!, send = ref("send"), parse = ref("parse_status")!
        if let error = vm.seal() {
            throw ScriptLoadError(file: file, message: "cannot seal the script's table: \(error.message)")
        }
        self.vm = vm
        self.manifest = manifest
        self.hooks = (prepare, send, parse)
        self.hookLocations = locations
        vm.collectGarbage()
    }

    /// Bytes the VM holds now.
    public var memoryInUse: Int { vm.memoryInUse }
}

/// Wall-clock helpers, without Foundation on the hot path.
public enum Clock {
    public static func epochSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// CLOCK_MONOTONIC in nanoseconds: the clock the VM's deadlines use.
    public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
