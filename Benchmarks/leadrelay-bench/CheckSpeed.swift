import Foundation
import Host
import IntegrationRuntime
import OutboundHTTP

/// `check`: cases per second of `leadrelay check` over the bundled fixtures, for each way of
/// giving a case a freshly loaded script (`CheckMode`), the modes alternating run after run so
/// that the machine's drift hits them alike; medians of `runs` runs. Each mode runs once
/// per count in `workers` (integrations checked at once: 1 is one after the other).
enum CheckSpeed {
    static func table(
        integrations: String, fixtures: String, runs: Int, modes: [CheckMode] = CheckMode.allCases, workers: [Int] = [1, 2]
    ) async -> String {
        struct Row: Hashable {
            let mode: CheckMode
            let workers: Int
        }
        let rows = modes.flatMap { mode in workers.map { Row(mode: mode, workers: $0) } }
        var samples: [Row: [Double]] = [:]
        var cases = 0
        for _ in 0..<max(1, runs) {
            for row in rows {
                let start = Date()
                let report = await FixtureRunner.check(
                    integrations: integrations, fixtures: fixtures, mode: row.mode, workers: row.workers)
                let seconds = Date().timeIntervalSince(start)
                cases = report.cases.count
                if report.exitCode != 0 { return "check: the bundled fixtures do not pass in mode \(row.mode.rawValue)\n" }
                samples[row, default: []].append(Double(cases) / seconds)
            }
        }
        var out = "check: \(cases) cases of the bundled fixtures, median of \(runs) alternating runs\n\n"
        out += "| mode | workers | cases/s (median) | µs/case | min cases/s | max cases/s |\n|---|---:|---:|---:|---:|---:|\n"
        for row in rows {
            let sorted = (samples[row] ?? []).sorted()
            let median = sorted[sorted.count / 2]
            out +=
                "| \(row.mode.rawValue) | \(row.workers) | \(Int(median)) | \(String(format: "%.0f", 1e6 / median)) "
                + "| \(Int(sorted.first!)) | \(Int(sorted.last!)) |\n"
        }
        return out
    }
}

extension CheckSpeed {
    /// Where a case's time goes: each step of giving it a fresh script, alone, in µs (median
    /// of `count` repetitions), for the irev script.
    static func steps(integrations: String, count: Int) throws -> String {
        let catalog = try IntegrationCatalog.scan(integrations)
        let compiled = CompiledCatalog(catalog)
        func median(_ body: () throws -> Void) rethrows -> Double {
            var samples: [Double] = []
            for _ in 0..<count {
                let start = Date()
                try body()
                samples.append(Date().timeIntervalSince(start) * 1e6)
            }
            return samples.sorted()[count / 2]
        }
        let rows: [(String, Double)] = [
            ("an empty sandboxed VM (LuaVM)", try median { _ = try LuaVM() }),
            (
                "irev's chunk run from bytecode (no manifest, seal or GC)",
                try median {
                    let vm = try LuaVM(libraries: catalog.libraries)
                    vm.compiledLibraries = compiled.libraries
                    _ = LuaState(vm.L).load(compiled.scripts["irev"]!)
                    _ = vm.protectedCall(arguments: 0, results: 1, for: HostCall(now: 0))
                }
            ),
            (
                "the same and a full GC",
                try median {
                    let vm = try LuaVM(libraries: catalog.libraries)
                    vm.compiledLibraries = compiled.libraries
                    _ = LuaState(vm.L).load(compiled.scripts["irev"]!)
                    _ = vm.protectedCall(arguments: 0, results: 1, for: HostCall(now: 0))
                    vm.collectGarbage()
                }
            ),
            ("irev loaded from source", try median { _ = try catalog.instance("irev") }),
            ("irev loaded from bytecode", try median { _ = try catalog.instance("irev", compiled: compiled) }),
            (
                "irev loaded again from bytecode into the VM it was in (`reused`)",
                try {
                    var instance = try catalog.instance("irev", compiled: compiled)
                    return try median { instance = try catalog.instance("irev", reusing: instance, compiled: compiled) }
                }()
            ),
            (
                "a pool of one worker from bytecode, shut down",
                try median {
                    try IntegrationPool(catalog: catalog, name: "irev", transport: DryRunTransport(), workers: 1, compiled: compiled)
                        .shutdown()
                }
            ),
        ]
        return "| step (irev) | µs (median) |\n|---|---:|\n"
            + rows.map { "| \($0.0) | \(String(format: "%.0f", $0.1)) |" }.joined(separator: "\n") + "\n"
    }
}
