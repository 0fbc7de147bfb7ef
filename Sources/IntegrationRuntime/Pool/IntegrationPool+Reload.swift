import Host

extension IntegrationPool {
    /// Swaps in a new version of the script (and of the libraries it requires) for new
    /// calls. Every worker's new VM is loaded first: if the new version does not load, the
    /// error is thrown (and reported as `PoolEvent.reloadFailed`) and the old version keeps
    /// serving. Calls already running finish on the version they started on.
    public func reload(source: LuaSource, libraries: [String: LuaSource]) throws(ScriptLoadError) {
        var blueprint = state.withLock { $0.blueprint }
        blueprint.source = source
        blueprint.libraries = libraries
        let count = max(1, workerCount)
        var fresh: [IntegrationInstance] = []
        do {
            for _ in 0..<count { fresh.append(try blueprint.instance()) }
        } catch {
            events?(.reloadFailed(integration: name, error: error))
            throw error
        }
        guard fresh[0].manifest.name == name else {
            let error = ScriptLoadError(
                file: blueprint.file, message: "the new version is named \"\(fresh[0].manifest.name)\", not \"\(name)\"")
            events?(.reloadFailed(integration: name, error: error))
            throw error
        }
        let workers = state.withLock { s -> [PoolWorker] in
            s.blueprint = blueprint
            s.manifest = fresh[0].manifest
            s.hookLines = fresh[0].hookLines
            return s.workers
        }
        for (worker, instance) in zip(workers, fresh) { worker.enqueue(.swap(instance)) }
        (transport as? RateLimitedTransport)?.setLimit(fresh[0].manifest.limits.rate, scope: fresh[0].manifest.limits.rateScope)
        events?(.reloaded(integration: name))
    }

    /// Reloads from a freshly scanned catalog when this integration's source or any
    /// library changed. Returns whether a new version now serves.
    @discardableResult
    public func reload(from catalog: IntegrationCatalog) throws(ScriptLoadError) -> Bool {
        guard let source = catalog.scripts[name] else {
            throw ScriptLoadError(file: catalog.path(of: name), message: "the script was removed; the loaded version keeps serving")
        }
        let current = state.withLock { ($0.blueprint.source, $0.blueprint.libraries) }
        guard source != current.0 || catalog.libraries != current.1 else { return false }
        try reload(source: source, libraries: catalog.libraries)
        return true
    }

    /// Adds a fresh VM of the current version in place of an abandoned worker (already
    /// out of `workers`), and starts the calls that waited meanwhile. When no VM can be
    /// made and no worker is left, those calls end as `error`.
    func replace(_ stuck: PoolWorker) -> PoolWorker? {
        let blueprint = state.withLock { $0.blueprint }
        let instance: IntegrationInstance
        do { instance = try blueprint.instance() } catch {
            events?(.replacementFailed(integration: name, error: error))
            let stranded = state.withLock { s -> [CallTicket] in
                guard s.workers.isEmpty else { return [] }
                defer { s.waiting = [] }
                return s.waiting
            }
            for ticket in stranded {
                ticket.completion(CallFailure(script: name, hook: nil, what: "no VM is available: \(error)").result())
            }
            return nil
        }
        let worker = PoolWorker(index: stuck.index, instance: instance, transport: transport)
        let added = state.withLock { s -> Bool in
            guard !s.stopped else { return false }
            s.workers.append(worker)
            return true
        }
        guard added else { return nil }
        activate(worker)
        releaseWaiting()
        return worker
    }
}
