import Host

extension IntegrationInstance {
    /// `source` loaded again into the VM of `previous`, exactly as into a new VM: a new
    /// global table, an empty `require` cache (its libraries run their module code again),
    /// new module-level locals, an unsealed script table, and `cache` for the `cache` module.
    /// What makes it cheaper than a new VM is only what no script reaches: the state, the
    /// host modules and the pruned standard library are kept (`LuaVM.renewGlobals`).
    ///
    /// `previous` must not run again, and must have no call in flight (nothing waiting for
    /// HTTP): its hooks are released here. Reuse only a VM whose last call ended cleanly;
    /// a VM that was abandoned or is running refuses, as an error to load the script.
    ///
    ///     let next = try IntegrationInstance(reloading: last, source: source, file: path)
    public convenience init(
        reloading previous: IntegrationInstance, source: LuaSource, file: String,
        cache: any CacheStore = MemoryCacheStore(), compiled: CompiledCatalog? = nil
    ) throws(ScriptLoadError) {
        let vm = previous.vm
        do { try vm.renewGlobals(cache: cache) } catch {
            throw ScriptLoadError(file: file, message: "cannot reuse the VM: \(error)")
        }
        previous.releaseReferences()
        try self.init(vm: vm, source: source, file: file, compiled: compiled)
    }

    /// Frees the registry slots this instance holds in its VM (its hooks, the last offer
    /// parameters), before the VM serves another instance.
    func releaseReferences() {
        vm.unref(hooks.prepare)
        if let send = hooks.send { vm.unref(send) }
        vm.unref(hooks.parseStatus)
        if let template = paramsCache?.template { vm.unref(template) }
        paramsCache = nil
    }
}
