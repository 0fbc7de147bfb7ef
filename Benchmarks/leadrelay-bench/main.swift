import Foundation
import IntegrationRuntime

// `make bench`: the runtime's performance numbers (docs/performance.md).
//   leadrelay-bench [runtime] [script] [check] [transport] [delivery] [soak] [inflight] [latency] [rate] [--iterations N] [--requests N] [--runs N]
//                   [--integrations DIR] [--fixtures DIR] [--modes fresh,compiled,swapped,reused]
// Run from the package root (it reads integrations/, Tests/ScriptFixtures/ and samples/).
//   leadrelay-bench intake-seed DIR | intake-count DIR   (the steps of `make bench-intake`)
//   leadrelay-bench e2e-target DIR | e2e-wait DIR LEADS       (the steps of `make bench-e2e`)
let arguments = Array(CommandLine.arguments.dropFirst())
if let step = arguments.first, step.hasPrefix("intake-") || step.hasPrefix("e2e-") {
    do {
        guard arguments.count == (step == "e2e-wait" ? 3 : 2) else {
            throw IntakeSeed.SeedError("usage: leadrelay-bench \(step) DIR\(step == "e2e-wait" ? " LEADS" : "")")
        }
        switch step {
        case "intake-seed": print(try await IntakeSeed.seed(arguments[1]))
        case "intake-count": print(try IntakeSeed.count(arguments[1]))
        case "e2e-target": try await EndToEndSteps.target(arguments[1])
        case "e2e-wait":
            guard let leads = Int(arguments[2]), leads > 0 else {
                throw IntakeSeed.SeedError("e2e-wait: LEADS must be a positive number, not \(arguments[2])")
            }
            print(try EndToEndSteps.wait(arguments[1], leads: leads))
        default: throw IntakeSeed.SeedError("unknown step \(step); intake-seed, intake-count, e2e-target or e2e-wait DIR")
        }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("leadrelay-bench: \(error)\n".utf8))
        exit(1)
    }
}
func option(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
    return arguments[i + 1]
}
let sections = arguments.enumerated().filter { i, a in !a.hasPrefix("-") && (i == 0 || !arguments[i - 1].hasPrefix("--")) }.map(\.element)
let wanted = Set(
    sections.isEmpty ? ["runtime", "script", "check", "transport", "delivery", "soak", "inflight", "latency", "rate"] : sections)
let iterations = Int(option("--iterations", "50000")) ?? 50_000
let requests = Int(option("--requests", "100000")) ?? 100_000
let integrations = option("--integrations", "integrations")
let fixtures = option("--fixtures", "Tests/ScriptFixtures")

do {
    print("LeadRelay benchmark, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Date())\n")
    if wanted.contains("runtime") {
        let rows = try RuntimeCost.measure(integrations: integrations, fixtures: fixtures, iterations: iterations)
        print(RuntimeCost.table(rows, iterations: iterations))
    }
    if wanted.contains("script") {
        print(try ScriptOnly.table(integrations: integrations, fixtures: fixtures, calls: iterations * 4))
    }
    if wanted.contains("check") {
        // `--modes reused,swapped`: only those modes, and no steps (for a profiler).
        // `--workers 1,2`: the integrations checked at once, each count a row per mode.
        let modes = option("--modes", "").split(separator: ",").compactMap { CheckMode(rawValue: String($0)) }
        let workers = option("--workers", "1,2").split(separator: ",").compactMap { Int(String($0)) }
        print(
            await CheckSpeed.table(
                integrations: integrations, fixtures: fixtures, runs: Int(option("--runs", "15")) ?? 15,
                modes: modes.isEmpty ? CheckMode.allCases : modes, workers: workers.isEmpty ? [1, 2] : workers))
        if modes.isEmpty { print(try CheckSpeed.steps(integrations: integrations, count: 300)) }
    }
    if wanted.contains("transport") {
        print(try await HTTPSections.transport(requests: requests))
    }
    if wanted.contains("delivery") {
        print(try await HTTPSections.delivery(leads: requests, runs: Int(option("--runs", "3")) ?? 3, integrations: integrations))
    }
    if wanted.contains("soak") {
        print(try await HTTPSections.soak(leads: 200_000, integrations: integrations))
    }
    if wanted.contains("inflight") {
        print(try await EmulatorSections.manyInFlight(integrations: integrations, leads: 10_000, latency: 2))
    }
    if wanted.contains("latency") {
        print(try await EmulatorSections.addedLatency(integrations: integrations, samples: 2_000))
    }
    if wanted.contains("rate") {
        print(try await EmulatorSections.irevRate(integrations: integrations, checks: 30))
    }
} catch {
    FileHandle.standardError.write(Data("leadrelay-bench: \(error)\n".utf8))
    exit(1)
}
