import Foundation
import Glibc
import IntegrationRuntime

/// `leadrelay check --watch`: one full check, then, on every save, the cases the change
/// affects, polling modification times (no file-system events, no dependency).
extension CheckCommand {
    /// How often the files are polled.
    static let pollInterval: Double = 0.25

    func watchFiles() async -> Never {
        // Ctrl-C ends watching; it is how one stops, not a failure. `_exit` is safe in a
        // signal handler, and nothing is left buffered (every line is written at once).
        signal(SIGINT) { _ in Glibc._exit(0) }
        var seen = CheckWatch.scan(integrations: integrations, fixtures: fixtures)
        let first = await FixtureRunner.check(integrations: integrations, fixtures: fixtures, only: only)
        Self.say(first.text(verbose: verbose))
        Self.say(Self.line("checked everything", first))
        Self.say("watching \(integrations) and \(fixtures) for changes (Ctrl-C to stop)")
        while true {
            try? await Task.sleep(nanoseconds: UInt64(Self.pollInterval * 1e9))
            let now = CheckWatch.scan(integrations: integrations, fixtures: fixtures)
            let changed = now.changes(since: seen)
            guard !changed.isEmpty else { continue }
            seen = now
            let names = changed.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
            var merged = CheckReport()
            switch CheckWatch.affected(by: changed, integrations: integrations, fixtures: fixtures) {
            case .all:
                merged = await FixtureRunner.check(integrations: integrations, fixtures: fixtures, only: only)
            case .some(let byIntegration):
                for (name, files) in byIntegration.sorted(by: { $0.key < $1.key }) where only == nil || only == name {
                    let report = await FixtureRunner.check(
                        integrations: integrations, fixtures: fixtures, only: name, caseFiles: files)
                    merged.loadErrors += report.loadErrors
                    merged.cases += report.cases
                    merged.warnings += report.warnings
                    merged.scripts += report.scripts
                }
            }
            if !merged.failed.isEmpty || !merged.loadErrors.isEmpty { Self.say(merged.text(verbose: verbose)) }
            Self.say(Self.line("\(names) changed", merged))
        }
    }

    /// Writes `text` and a newline at once (stdout may be a file or a pipe, which `print`
    /// would buffer until the watch ends).
    static func say(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

    /// `[15:04:05] irev.lua changed: re-ran 34 case(s): 34 passed, 0 failed, 0 load error(s)`.
    static func line(_ what: String, _ report: CheckReport) -> String {
        let clock = DateFormatter()
        clock.dateFormat = "HH:mm:ss"
        let failed = report.failed.count
        return "[\(clock.string(from: Date()))] \(what): re-ran \(report.cases.count) case(s): "
            + "\(report.cases.count - failed) passed, \(failed) failed, \(report.loadErrors.count) load error(s)"
    }
}
