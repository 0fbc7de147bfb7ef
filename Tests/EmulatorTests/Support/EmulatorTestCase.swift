import NetworkEmulators
import XCTest

/// Starts a harness per test and stops it in `tearDown`, even when the test throws.
class EmulatorTestCase: XCTestCase {
    private var harnesses: [EmulatorHarness] = []

    func start(_ configure: (inout EmulatorServer.Configuration) -> Void = { _ in }) async throws -> EmulatorHarness {
        let harness = try await EmulatorHarness.start(configure)
        harnesses.append(harness)
        return harness
    }

    override func tearDown() async throws {
        for harness in harnesses { await harness.stop() }
        harnesses = []
        try await super.tearDown()
    }
}
