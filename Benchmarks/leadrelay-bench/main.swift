import Foundation

// `make bench`: the runtime's performance numbers (docs/performance.md).
//   leadrelay-bench [runtime] [--iterations N] [--integrations DIR] [--fixtures DIR]
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
    return arguments[i + 1]
}
let sections = arguments.enumerated().filter { i, a in !a.hasPrefix("-") && (i == 0 || !arguments[i - 1].hasPrefix("--")) }.map(\.element)
let wanted = Set(sections.isEmpty ? ["runtime"] : sections)
let iterations = Int(option("--iterations", "50000")) ?? 50_000
let integrations = option("--integrations", "integrations")
let fixtures = option("--fixtures", "Tests/ScriptFixtures")

do {
    if wanted.contains("runtime") {
        let rows = try RuntimeCost.measure(integrations: integrations, fixtures: fixtures, iterations: iterations)
        print(RuntimeCost.table(rows, iterations: iterations))
    }
} catch {
    FileHandle.standardError.write(Data("leadrelay-bench: \(error)\n".utf8))
    exit(1)
}
