import Foundation
import XCTest

/// The built `leadrelay` binary run as a subprocess, as a user or CI runs it: its exit
/// status, standard output and standard error.
struct LeadRelayProcess {
    struct Finished: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    /// The repository's root (for its integrations/ and fixtures).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The binary beside the test bundle (`.build/<configuration>/leadrelay`).
    static func binary() throws -> URL {
        var candidates = [Bundle.main.bundleURL.appendingPathComponent("leadrelay")]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("leadrelay"))
        }
        candidates.append(URL(fileURLWithPath: root + "/.build/debug/leadrelay"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("no leadrelay binary in \(candidates.map(\.path)); run `swift build` first")
        }
        return found
    }

    /// Runs `leadrelay arguments...` in `directory` and waits for it (at most `limit`
    /// seconds, a guard against a command that would serve forever, not a measurement).
    static func run(_ arguments: [String], in directory: String, limit: Double = 120) throws -> Finished {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // A default path under $XDG_CONFIG_HOME (`run`'s credentials file) stays in the test's folder.
        process.environment = ProcessInfo.processInfo.environment.merging(["XDG_CONFIG_HOME": directory + "/.config"]) { _, new in new }
        // Output goes to files: a pipe would block a child that writes more than it holds.
        let out = directory + "/.stdout-\(UUID().uuidString)"
        let err = directory + "/.stderr-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + limit) == .timedOut {
            process.terminate()
            done.wait()
            XCTFail("leadrelay \(arguments.joined(separator: " ")) still ran after \(Int(limit)) s; stopped")
        }
        try outHandle.close()
        try errHandle.close()
        return Finished(
            status: process.terminationStatus,
            stdout: String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self))
    }
}

/// A temporary directory for one test, removed at the end.
final class TemporaryDirectory {
    let path = NSTemporaryDirectory() + "leadrelay-cli-\(UUID().uuidString)"

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `relative` (folders created), returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + relative) }
}
