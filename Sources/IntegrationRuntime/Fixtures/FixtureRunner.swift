import Foundation
import Host
import OutboundHTTP

/// The result of one fixture case.
public struct CaseReport: Sendable {
    public var integration: String
    public var file: String
    public var description: String
    /// The first difference (the outcome's, when it differs), as `differences` shows it.
    public var difference: String?
    /// Every difference, the outcome's first (or the requests' when a request differed).
    public var differences: [String] = []
    /// Where the case failed: `integrations/irev.lua:88 (parse_status)`, or without a known
    /// line the hook that ran, `integrations/irev.lua (parse_status, defined at line 80)`.
    public var location: String?
    public var seconds: Double
    /// The script's log lines (`[info] ...`), secrets masked.
    public var logs: [String] = []
    /// The call's result as JSON (`{"outcome":"accepted",...}`), secrets masked.
    public var actual: String?
    public var passed: Bool { difference == nil }
}

/// Everything `leadrelay check` found.
public struct CheckReport: Sendable {
    public var loadErrors: [ScriptLoadError] = []
    public var cases: [CaseReport] = []
    public var warnings: [String] = []
    public var scripts: [String] = []

    public init() {}

    public var failed: [CaseReport] { cases.filter { !$0.passed } }
    /// 0 all passed, 1 a case failed, 2 a script or fixture could not be loaded.
    public var exitCode: Int32 { !loadErrors.isEmpty ? 2 : (failed.isEmpty ? 0 : 1) }
}

/// Loads every script and replays every fixture (contract, section 6).
public enum FixtureRunner {
    /// Checks the scripts of `integrations` against the cases of `fixtures`; every VM runs
    /// under `limits` with the host `modules` (the contract's, unless a test adds one). Every
    /// case sees its script freshly loaded; `mode` says how (`CheckMode`). `caseFiles`, when
    /// given, limits the cases run to those fixture files (`check --watch` re-running one).
    /// Up to `workers` integrations are checked at once, each on its own pool and VM (the
    /// cases of one integration one after the other); the report is the same, in the same
    /// order, whatever `workers` is.
    public static func check(
        integrations: String, fixtures: String, only: String? = nil, limits: LuaLimits = .default,
        modules: [HostModule] = StandardModules.all, mode: CheckMode = .reused, caseFiles: Set<String>? = nil,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) async -> CheckReport {
        var report = CheckReport()
        let catalog: IntegrationCatalog
        do { catalog = try IntegrationCatalog.scan(integrations) } catch {
            report.loadErrors.append(error)
            return report
        }
        // An `only` that names no script would check nothing and read as a pass.
        if let only, catalog.scripts[only] == nil {
            let known = catalog.scripts.keys.sorted().joined(separator: ", ")
            report.loadErrors.append(
                ScriptLoadError(
                    file: catalog.path(of: only), message: "no such integration to check (scripts: \(known.isEmpty ? "none" : known))"))
            return report
        }
        let compiled = mode == .fresh ? nil : CompiledCatalog(catalog)
        var manifests: [String: IntegrationManifest] = [:]
        // In `reused` mode, the instance the manifest was read from runs the first case.
        var firstInstances: [String: HandedInstance] = [:]
        for name in catalog.scripts.keys.sorted() where only == nil || only == name {
            do {
                let instance = try catalog.instance(name, limits: limits, modules: modules, compiled: compiled)
                manifests[name] = instance.manifest
                if mode == .reused { firstInstances[name] = HandedInstance(instance: instance) }
                report.scripts.append(name)
            } catch { report.loadErrors.append(error) }
        }
        let fm = FileManager.default
        let dirs = ((try? fm.contentsOfDirectory(atPath: fixtures)) ?? []).sorted()
        for name in catalog.scripts.keys.sorted() where !dirs.contains(name) && (only == nil || only == name) {
            report.warnings.append("\(catalog.path(of: name)) has no fixtures (add \(fixtures)/\(name)/<case>.json)")
        }
        let checks = dirs.filter { only == nil || only == $0 }.map { dir in
            DirectoryCheck(
                dir: dir, path: fixtures + "/" + dir, catalog: catalog, manifest: manifests[dir], first: firstInstances[dir],
                limits: limits, modules: modules, mode: mode, compiled: compiled, caseFiles: caseFiles)
        }
        for result in await DirectoryCheck.runAll(checks, workers: workers) {
            report.loadErrors += result.loadErrors
            for line in result.warnings where !report.warnings.contains(line) { report.warnings.append(line) }
            report.cases += result.cases
        }
        return report
    }

    /// Runs one case the way production runs a call, on a pool of one fresh VM (so each
    /// case starts with an empty cache) under the pools' watchdog, its requests answered by
    /// the case's exchanges: a VM stuck inside C past its deadline plus the grace period
    /// ends the case with the `time limit`, judged as any call that failed (recorded requests
    /// it did not make are its difference). `compiled` loads the script from bytecode
    /// compiled once instead of parsing it (`CheckMode`).
    public static func run(
        _ fixture: Fixture, catalog: IntegrationCatalog, limits: LuaLimits = .default,
        modules: [HostModule] = StandardModules.all, compiled: CompiledCatalog? = nil
    ) async -> CaseReport {
        let start = SystemClock.monotonicNanos()
        let replay = ReplayTransport(exchanges: fixture.exchanges)
        let pool: IntegrationPool
        do {
            pool = try IntegrationPool(
                catalog: catalog, name: fixture.integration, limits: limits, modules: modules,
                transport: replay, workers: 1, compiled: compiled)
        } catch {
            return failedToLoad(fixture, error)
        }
        defer { pool.shutdown() }
        let credentials = fixture.credentialStore()
        let result = await pool.run(fixture.input(credentials: credentials))
        return judge(fixture, result, replay: replay, pool: pool, catalog: catalog, start: start, credentials: credentials)
    }

    static func failedToLoad(_ fixture: Fixture, _ error: ScriptLoadError) -> CaseReport {
        var report = CaseReport(integration: fixture.integration, file: fixture.file, description: fixture.description, seconds: 0)
        report.difference = "the script did not load: \(error)"
        return report
    }

    /// The report of a case that ran: its requests against the recorded ones, then its
    /// result against `expect` (and what it left in `credentials` against `expect.credentials`).
    static func judge(
        _ fixture: Fixture, _ result: CallResult, replay: ReplayTransport, pool: IntegrationPool,
        catalog: IntegrationCatalog, start: UInt64, credentials: MemoryCredentialStore
    ) -> CaseReport {
        var report = CaseReport(integration: fixture.integration, file: fixture.file, description: fixture.description, seconds: 0)
        let manifest = pool.manifest
        let hookLines = pool.hookLines
        var differences: [FixtureDifference] = []
        // A difference in the requests is the doing of the hook that made them.
        var inRequests = false
        if !replay.differences.isEmpty {
            differences = replay.differences
            inRequests = true
        } else if replay.unused > 0 {
            let index = fixture.exchanges.count - replay.unused
            let expected = fixture.exchanges[index].request
            differences = [
                FixtureDifference(
                    path: "exchanges[\(index)].request",
                    expected: "\(expected["method"]?.stringValue ?? "POST") \(expected["url"]?.stringValue ?? "")",
                    actual: "no request (\(FixtureMatcher.show(result.json)))")
            ]
            // Unless the call failed before it could make the request.
            inRequests = result.outcome?.kind != .error
        }
        if differences.isEmpty {
            differences =
                ExpectationMatcher.differences(fixture.expect, result)
                + ExpectationMatcher.credentialDifferences(fixture.expect, credentials.values(in: fixture.credentialScope))
        }
        report.logs = result.logs.map { "[\($0.level.rawValue)] \($0.message)" }
        report.actual = result.masker.mask(result.json.encoded())
        if !differences.isEmpty {
            let script = catalog.path(of: fixture.integration)
            report.differences = differences.map { result.masker.mask($0.description) }
            report.difference = report.differences.first
            report.location =
                inRequests
                ? location(nil, manifest.hasSend ? .send : .prepare, script: script, directory: catalog.directory, hookLines: hookLines)
                : location(result.location, result.hook, script: script, directory: catalog.directory, hookLines: hookLines)
        }
        report.seconds = Double(SystemClock.monotonicNanos() - start) / 1e9
        return report
    }

    /// Where a case failed, for `at:`: `integrations/irev.lua:88 (parse_status)` when the
    /// script line is known (`line`, from the directory), else the hook that ran and where
    /// it is defined, `integrations/irev.lua (parse_status, defined at line 80)`, or the check
    /// that failed before any hook ran, `integrations/irev.lua (params)`.
    static func location(
        _ line: String?, _ hook: CallHook?, script: String, directory: String,
        hookLines: [CallHook: Int]
    ) -> String {
        if let line { return "\(directory)/\(line)" + (hook.map { " (\($0.rawValue))" } ?? "") }
        guard let hook else { return script }
        guard let defined = hookLines[hook] else { return "\(script) (\(hook.rawValue))" }
        return "\(script) (\(hook.rawValue), defined at line \(defined))"
    }
}
