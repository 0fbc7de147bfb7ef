import Foundation
import FuzzSupport

@testable import IntegrationRuntime

/// libFuzzer target: a fixture file as `leadrelay check` reads it.
///
/// Input: the bytes of `Tests/ScriptFixtures/<integration>/<case>.json`.
///
/// Any bytes give either a fixture or a load error that names the file and says what is
/// wrong, never a crash. A fixture that loads is then replayed, as `check` does, against
/// every script of `integrations/` (or of `$LEADRELAY_FUZZ_INTEGRATIONS`): whatever the
/// recorded exchanges and expectations hold, the case passes or reports a difference.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFixtureLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file = "Tests/ScriptFixtures/fuzz/case.json"
    let fixture: Fixture
    do { fixture = try FixtureLoader.load(bytes: bytes, file: file, integration: "fuzz") } catch {
        invariant(error.file == file, "the error names \(error.file.debugDescription)")
        invariant(!error.message.isEmpty, "a load error without a message")
        if let line = error.line { invariant(line >= 1, "line \(line)") }
        return 0
    }
    invariant(!fixture.expect.isEmpty, "a fixture without expectations loaded")
    invariant(fixture.attempt >= 1, "attempt \(fixture.attempt)")
    for integration in Replay.catalog.scripts.keys.sorted() {
        var named = fixture
        named.integration = integration
        let replayed = named
        let report = waitFor { await FixtureRunner.run(replayed, catalog: Replay.catalog) }
        if let difference = report.difference { invariant(!difference.isEmpty, "an empty difference") }
    }
    return 0
}

/// Runs `work` (a case replays on a pool, asynchronously) and waits for its value: libFuzzer
/// calls the target synchronously, on a thread of its own.
private func waitFor<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) -> Value {
    let done = DispatchSemaphore(value: 0)
    let box = ValueBox<Value>()
    Task.detached {
        box.value = await work()
        done.signal()
    }
    done.wait()
    return box.value!
}

/// Carries one value from the task to the waiting thread (the semaphore orders the two).
private final class ValueBox<Value>: @unchecked Sendable {
    var value: Value?
}

private enum Replay {
    static let catalog: IntegrationCatalog = {
        let directory = ProcessInfo.processInfo.environment["LEADRELAY_FUZZ_INTEGRATIONS"] ?? "integrations"
        do { return try IntegrationCatalog.scan(directory) } catch {
            fatalError("the fixture target replays cases against \(directory)/ (run it from the repository): \(error)")
        }
    }()
}
