import Foundation
import XCTest

/// `leadrelay mock` running as a subprocess: the port it announced, and what it logged.
final class MockProcess {
    let process = Process()
    let outPath: String
    let errPath: String
    private(set) var port = 0

    /// Starts `leadrelay mock arguments... --port port` (0: a free one) in `directory` and
    /// waits (at most `limit` seconds) for the address it prints; throws if it exits first.
    init(in directory: String, arguments: [String], port: Int = 0, limit: Double = 60) throws {
        outPath = directory + "/.mock-stdout-\(UUID().uuidString)"
        errPath = directory + "/.mock-stderr-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = try LeadRelayProcess.binary()
        process.arguments = ["mock"] + arguments + ["--port", String(port)]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if let range = stdout.range(of: "http://127.0.0.1:") {
                let digits = stdout[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), port > 0 {
                    self.port = port
                    return
                }
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning { process.terminate() }
        throw DidNotListen(stderr: stderr)
    }

    struct DidNotListen: Error, CustomStringConvertible {
        var stderr: String
        var description: String { "leadrelay mock did not listen; its stderr:\n\(stderr)" }
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var stdout: String { String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self) }
    var stderr: String { String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self) }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
