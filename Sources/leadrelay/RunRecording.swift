import ArgumentParser
import Foundation
import IntegrationRuntime

extension RunCommand {
    /// `--record FILE`: the call as a fixture (`FixtureRecorder`), written to `file`; what
    /// the recorder could not make replayable goes to stderr. Exit 2 when it cannot be written.
    func write(_ output: RunInvocation.Output, to file: String) throws {
        let outcome = RunExpectation.describe(output.result)
        let recording = FixtureRecorder.record(
            input: output.input, result: output.result, declared: output.declared,
            description: "recorded by leadrelay run: \(output.input.action.rawValue) ended \(outcome)")
        let url = URL(fileURLWithPath: file)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((recording.fixture.prettyEncoded() + "\n").utf8).write(to: url)
        } catch {
            FileHandle.standardError.write(
                Data("leadrelay run: --record \(file): cannot write the fixture: \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        var lines = ["leadrelay run: recorded the call as a fixture in \(file)"]
        if let calls = output.json["calls"]?.int64Value, calls > 1 {
            lines.append(
                "leadrelay run: --record: the check went out in \(calls) calls; a fixture replays its leads as one call, so split it in one fixture per batch"
            )
        }
        lines += recording.warnings.map { "leadrelay run: --record: \($0)" }
        FileHandle.standardError.write(Data(lines.map { $0 + "\n" }.joined().utf8))
    }
}
