import Host

extension IntegrationInstance {
    /// `source` loaded again into the VM of `previous`, exactly as into a new VM: a new
    /// global table, an empty `require` cache (its libraries run their module code again),
    /// new module-level locals, an unsealed script table, and `cache` for the `cache` module.
    /// What makes it cheaper than a new VM is only what no script reaches: the state, the
    /// host modules and the pruned standard library are kept (`LuaVM.renewGlobals`).
    ///
    /// `previous` must not run again, and must have no call in flight (nothing waiting for
    /// HTTP): its hooks are released here, and its prepared offer parameters pass to the
    /// new instance. Reuse only a VM whose last call ended cleanly;
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
        previous.releaseHooks()
        let params = previous.paramsCache
        previous.paramsCache = nil
        do { try self.init(vm: vm, source: source, file: file, compiled: compiled) } catch {
            if let template = params?.template { vm.unref(template) }
            throw error
        }
        // The offer parameters prepared for the last load (defaults, secrets' masker, the
        // host-side table each call's `ctx.params` is copied from) hold nothing a script
        // wrote: they serve this load too while it declares the same parameters.
        if manifest.params == previous.manifest.params {
            paramsCache = params
        } else if let template = params?.template {
            vm.unref(template)
        }
    }

    /// Frees the registry slots of this instance's hooks, before the VM serves another
    /// instance.
    func releaseHooks() {
        vm.unref(hooks.prepare)
        if let send = hooks.send { vm.unref(send) }
        vm.unref(hooks.parseStatus)
    }
}
