import Foundation
import Host

/// The result of one fixture case.
public struct CaseReport: Sendable {
    public var integration: String
    public var file: String
    public var description: String
    public var difference: String?
    /// Where in the script: `irev.lua:88 (parse_status)`.
    public var location: String?
    public var seconds: Double
    public var passed: Bool { difference == nil }
}

/// Everything `leadrelay check` found.
public struct CheckReport: Sendable {
    public var loadErrors: [ScriptLoadError] = []
    public var cases: [CaseReport] = []
    public var warnings: [String] = []
    public var scripts: [String] = []

    public var failed: [CaseReport] { cases.filter { !$0.passed } }
    /// 0 all passed, 1 a case failed, 2 a script or fixture could not be loaded.
    public var exitCode: Int32 { !loadErrors.isEmpty ? 2 : (failed.isEmpty ? 0 : 1) }
}

/// Loads every script and replays every fixture (contract, section 6).
public enum FixtureRunner {
    public static func check(integrations: String, fixtures: String, only: String? = nil) -> CheckReport {
        var report = CheckReport()
        let catalog: IntegrationCatalog
        do { catalog = try IntegrationCatalog.scan(integrations) } catch {
            report.loadErrors.append(error)
            return report
        }
        var manifests: [String: IntegrationManifest] = [:]
        for name in catalog.scripts.keys.sorted() where only == nil || only == name {
            do {
                manifests[name] = try catalog.instance(name).manifest
                report.scripts.append(name)
            } catch { report.loadErrors.append(error) }
        }
        let fm = FileManager.default
        let dirs = ((try? fm.contentsOfDirectory(atPath: fixtures)) ?? []).sorted()
        for name in catalog.scripts.keys.sorted() where !dirs.contains(name) && (only == nil || only == name) {
            report.warnings.append("\(catalog.path(of: name)) has no fixtures (add \(fixtures)/\(name)/<case>.json)")
        }
        for dir in dirs where only == nil || only == dir {
            let path = fixtures + "/" + dir
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { continue }
            guard catalog.scripts[dir] != nil else {
                report.loadErrors.append(ScriptLoadError(file: path, message: "fixtures for an integration that does not exist (\(catalog.path(of: dir)))"))
                continue
            }
            let files = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            for file in files {
                let filePath = path + "/" + file
                let fixture: Fixture
                do {
                    let bytes = Array(fm.contents(atPath: filePath) ?? Data())
                    fixture = try FixtureLoader.load(bytes: bytes, file: filePath, integration: dir)
                } catch {
                    report.loadErrors.append(error)
                    continue
                }
                guard let manifest = manifests[dir] else { continue }
                for warning in SecretParameters(manifest: manifest, params: fixture.params).warnings {
                    let line = "\(dir): \(warning)"
                    if !report.warnings.contains(line) { report.warnings.append(line) }
                }
                report.cases.append(run(fixture, catalog: catalog))
            }
        }
        return report
    }

    /// Runs one case in a fresh VM (so each case starts with an empty cache).
    public static func run(_ fixture: Fixture, catalog: IntegrationCatalog) -> CaseReport {
        let start = Clock.monotonicNanos()
        var report = CaseReport(integration: fixture.integration, file: fixture.file, description: fixture.description, seconds: 0)
        defer { _ = report }
        let instance: IntegrationInstance
        do { instance = try catalog.instance(fixture.integration) } catch {
            report.difference = "the script did not load: \(error)"
            return report
        }
        let replay = ReplayTransport(exchanges: fixture.exchanges)
        let result = instance.run(fixture.input) { replay.respond($0) }
        var difference: FixtureDifference?
        var hook = "parse_status"
        if let d = replay.difference {
            difference = d
            hook = instance.manifest.hasSend ? "send" : "prepare"
        } else if replay.unused > 0 {
            let index = fixture.exchanges.count - replay.unused
            let expected = fixture.exchanges[index].request
            difference = FixtureDifference(path: "exchanges[\(index)].request",
                                           expected: "\(expected["method"]?.stringValue ?? "POST") \(expected["url"]?.stringValue ?? "")",
                                           actual: "no request (\(FixtureMatcher.show(result.json)))")
            hook = instance.manifest.hasSend ? "send" : "prepare"
        } else {
            difference = ExpectationMatcher.difference(fixture.expect, result)
        }
        if let difference {
            report.difference = result.masker.mask(difference.description)
            report.location = result.location.map { "\(catalog.directory)/\($0)" } ?? instance.hookLocations[hook].map { "\(catalog.directory)/\($0) (\(hook))" }
        }
        report.seconds = Double(Clock.monotonicNanos() - start) / 1e9
        return report
    }
}
