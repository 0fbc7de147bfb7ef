import Foundation
import XCTest

/// `leadrelay serve` running as a subprocess in a folder, with its own environment: the
/// port it announced, and its exit status and output once stopped.
final class ServeProcess {
    let process = Process()
    let directory: String
    let outPath: String
    let errPath: String
    private let done = DispatchSemaphore(value: 0)
    private(set) var port = 0

    /// Starts `leadrelay serve arguments...` in `directory` and waits (at most `limit`
    /// seconds) for its "listening on" line; throws if it exits first.
    init(in directory: String, environment: [String: String], arguments: [String] = [], limit: Double = 60) throws {
        self.directory = directory
        outPath = directory + "/.serve-stdout"
        errPath = directory + "/.serve-stderr"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = try LeadRelayProcess.binary()
        process.arguments = ["serve"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = FileHandle.nullDevice
        let done = self.done
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.contains("listening on http://") }),
                let port = Int(line.split(separator: ":").last ?? "")
            {
                self.port = port
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning { process.terminate() }
        throw DidNotListen(stderr: stderr)
    }

    struct DidNotListen: Error, CustomStringConvertible {
        var stderr: String
        var description: String { "leadrelay serve did not listen; its stderr:\n\(stderr)" }
    }

    var stdout: String { String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self) }
    var stderr: String { String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self) }

    /// Sends `signal` and waits (at most `limit` seconds) for the exit; the exit status.
    func stop(_ signal: Int32 = SIGTERM, limit: Double = 60) -> Int32 {
        kill(process.processIdentifier, signal)
        if done.wait(timeout: .now() + limit) == .timedOut {
            process.terminate()
            done.wait()
            XCTFail("leadrelay serve still ran \(Int(limit)) s after signal \(signal); stopped")
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
