import Foundation
import Host

/// One fixture directory of `leadrelay check` (`<fixtures>/<integration>/`): its cases
/// parsed, their parameters checked against the manifest, and run one after the other on
/// one session (or a pool per case in the `fresh` and `compiled` modes). Directories share
/// nothing but read-only values (the catalog, the compiled chunks), so several run at once,
/// each on its own pool thread and VM.
struct DirectoryCheck: Sendable {
    /// What one directory adds to the report, in the order a one-at-a-time check adds it.
    struct Result: Sendable {
        var loadErrors: [ScriptLoadError] = []
        var warnings: [String] = []
        var cases: [CaseReport] = []
    }

    let dir: String
    let path: String
    let catalog: IntegrationCatalog
    /// The integration's manifest, nil when its script did not load.
    let manifest: IntegrationManifest?
    /// The instance the manifest was read from, to run the first case (`reused` mode).
    let first: HandedInstance?
    let limits: LuaLimits
    let modules: [HostModule]
    let mode: CheckMode
    let compiled: CompiledCatalog?
    let caseFiles: Set<String>?

    /// Runs `checks`, up to `workers` at a time, the directories with the most fixture files
    /// first (so that a long one does not start last); the results in the order of `checks`.
    static func runAll(_ checks: [DirectoryCheck], workers: Int) async -> [Result] {
        var results = [Result?](repeating: nil, count: checks.count)
        if workers <= 1 {
            for (index, check) in checks.enumerated() { results[index] = await check.run() }
            return results.map { $0 ?? Result() }
        }
        let fm = FileManager.default
        let sizes = checks.map { ((try? fm.contentsOfDirectory(atPath: $0.path)) ?? []).count }
        let order = checks.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        await withTaskGroup(of: (Int, Result).self) { group in
            var next = order.makeIterator()
            for _ in 0..<workers {
                guard let index = next.next() else { break }
                group.addTask { (index, await checks[index].run()) }
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if let index = next.next() { group.addTask { (index, await checks[index].run()) } }
            }
        }
        return results.map { $0 ?? Result() }
    }

    /// Parses and runs this directory's cases.
    func run() async -> Result {
        var result = Result()
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return result }
        guard catalog.scripts[dir] != nil else {
            result.loadErrors.append(
                ScriptLoadError(file: path, message: "fixtures for an integration that does not exist (\(catalog.path(of: dir)))"))
            return result
        }
        var session: FixtureSession?
        defer { session?.shutdown() }
        var first = self.first?.instance
        let files = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        for file in files where caseFiles == nil || caseFiles!.contains(path + "/" + file) {
            let filePath = path + "/" + file
            let fixture: Fixture
            do {
                let bytes = Array(fm.contents(atPath: filePath) ?? Data())
                fixture = try FixtureLoader.load(bytes: bytes, file: filePath, integration: dir)
            } catch {
                result.loadErrors.append(error)
                continue
            }
            guard let manifest else { continue }
            do { try FixtureLoader.checkParams(fixture, declaredBy: manifest, script: catalog.path(of: dir)) } catch {
                result.loadErrors.append(error)
                continue
            }
            for warning in SecretParameters(manifest: manifest, params: fixture.params).warnings {
                let line = "\(dir): \(warning)"
                if !result.warnings.contains(line) { result.warnings.append(line) }
            }
            if mode == .reused || mode == .swapped, let compiled {
                if session == nil {
                    let handed = first
                    first = nil
                    do {
                        session = try FixtureSession(
                            catalog: catalog, name: dir, first: handed, limits: limits, modules: modules, compiled: compiled,
                            reuseVMs: mode == .reused)
                    } catch {
                        result.cases.append(FixtureRunner.failedToLoad(fixture, error))
                        continue
                    }
                }
                result.cases.append(await session!.run(fixture))
            } else {
                result.cases.append(
                    await FixtureRunner.run(fixture, catalog: catalog, limits: limits, modules: modules, compiled: compiled))
            }
        }
        return result
    }
}

/// An instance handed from the thread that loaded it to the one directory check that runs
/// its first case. `@unchecked Sendable`: the check that loaded it keeps no reference after
/// building the `DirectoryCheck`, and only that one directory's task (one thread at a
/// time) ever drives it, as `IntegrationInstance` requires.
struct HandedInstance: @unchecked Sendable {
    let instance: IntegrationInstance
}
