import NetworkSandbox
import XCTest

/// Starts a harness per test and stops it in `tearDown`, even when the test throws.
class SandboxTestCase: XCTestCase {
    private var harnesses: [SandboxHarness] = []

    func start(_ configure: (inout NetworkSandbox.Configuration) -> Void = { _ in }) async throws -> SandboxHarness {
        let harness = try await SandboxHarness.start(configure)
        harnesses.append(harness)
        return harness
    }

    override func tearDown() async throws {
        for harness in harnesses { await harness.stop() }
        harnesses = []
        try await super.tearDown()
    }
}
