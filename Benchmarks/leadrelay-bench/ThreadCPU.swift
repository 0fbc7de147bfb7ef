import Foundation

/// CPU seconds used so far by this process's threads, grouped by the start of their
/// names (`/proc/self/task/*/comm` and `stat`): how a delivery's CPU splits between the
/// transport's I/O thread, the VM workers and the in-process server.
enum ThreadCPU {
    static func byGroup(_ prefixes: [String]) -> [String: Double] {
        var totals: [String: Double] = [:]
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for task in tasks {
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            let name = comm.trimmingCharacters(in: .whitespacesAndNewlines)
            let group = prefixes.first { name.hasPrefix($0) } ?? "other"
            totals[group, default: 0] += (user + system) / ticks
        }
        return totals
    }
}
