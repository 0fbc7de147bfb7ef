import Glibc
import Host
import OutboundHTTP

/// One integration script loaded into its own VM, ready to run calls.
///
/// Not thread-safe: one thread at a time drives an instance (an `IntegrationPool` gives
/// each of its instances a thread of its own, under the watchdog). Many
/// calls may be in flight on one instance: each runs in coroutines and waits for HTTP
/// without holding the VM.
public final class IntegrationInstance {
    public let manifest: IntegrationManifest
    public let vm: LuaVM
    let hooks: (prepare: Int32, send: Int32?, parseStatus: Int32)
    /// The script's file name, as Lua positions give it (`irev.lua`).
    public let sourceName: String
    /// The line each hook is defined on, for reports.
    public let hookLines: [CallHook: Int]
    /// The hook running now, for a watchdog on another thread.
    let runningHook: RunningHook
    /// What a watchdog polls to find this instance stuck inside C code.
    let callWatch: CallWatch
    /// The offer parameters the last call used, prepared once per change.
    var paramsCache: PreparedParams?

    /// Loads `source` (`integrations/<name>.lua`) with `libraries` for `require`. `modules`
    /// are the host modules the script sees (the contract's, unless a test adds one).
    /// `compiled` holds the script and libraries compiled once (`CompiledCatalog`): a chunk
    /// compiled from the very source given is loaded without parsing it again.
    public convenience init(
        source: LuaSource, file: String, libraries: [String: LuaSource] = [:],
        limits: LuaLimits = .default, cache: any CacheStore = MemoryCacheStore(),
        modules: [HostModule] = StandardModules.all, compiled: CompiledCatalog? = nil
    ) throws(ScriptLoadError) {
        let vm: LuaVM
        do {
            vm = try LuaVM(limits: limits, cache: cache, modules: modules, libraries: libraries)
        } catch {
            throw ScriptLoadError(file: file, message: "cannot create the VM: \(error)")
        }
        if let compiled { vm.compiledLibraries = compiled.libraries }
        try self.init(vm: vm, source: source, file: file, compiled: compiled)
    }

    /// Loads `source` into `vm`, whose global table no script has run in yet.
    init(vm: LuaVM, source: LuaSource, file: String, compiled: CompiledCatalog?) throws(ScriptLoadError) {
        let expectedName = String(source.name.dropLast(4))  // "clixnow.lua" -> "clixnow"
        let s = LuaState(vm.L)
        let chunk = compiled?.scripts[expectedName].flatMap { $0.source == source ? $0 : nil }
        if !(chunk.map { vm.pushLoaded($0) } ?? s.load(source)) {
            let message = s.string(at: -1) ?? "syntax error"
            throw ScriptLoadError.fromLua(message, file: file, chunk: source.name)
        }
        if let error = vm.protectedCall(arguments: 0, results: 1, for: HostCall(now: Int64(SystemClock.epochSeconds()))) {
            throw ScriptLoadError.fromLua(error.message, file: file, chunk: source.name)
        }
        let reader = ManifestReader(s: s, file: file, expectedName: expectedName, maxTimeout: vm.limits.maxHTTPTimeoutSeconds)
        let manifest = try reader.read(at: -1)
        var lines: [CallHook: Int] = [:]
        func ref(_ hook: CallHook) -> Int32? {
            s.rawField(-1, hook.rawValue)
            if s.isNil(-1) { s.pop(); return nil }
            s.pushValue(-1)
            if let line = s.definitionLine() { lines[hook] = line }
            return vm.ref()
        }
        let prepare = ref(.prepare)!
        let send = ref(.send)
        let parse = ref(.parseStatus)!
        if let error = vm.seal() {
            throw ScriptLoadError(file: file, message: "cannot seal the script's table: \(error.message)")
        }
        self.vm = vm
        self.manifest = manifest
        self.hooks = (prepare, send, parse)
        self.sourceName = source.name
        self.hookLines = lines
        let running = RunningHook()
        self.runningHook = running
        self.callWatch = CallWatch(vm: vm.watch, hook: running, limits: vm.limits)
        vm.collectGarbage()
    }

    /// Bytes the VM holds now.
    public var memoryInUse: Int { vm.memoryInUse }
}
