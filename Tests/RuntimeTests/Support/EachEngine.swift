import IntegrationRuntime
import OutboundHTTP
import XCTest

extension XCTestCase {
    /// Runs `body` once per `LiveTransport` engine (native, then libcurl); when it fails on
    /// one, one more failure names that engine.
    func onEachEngine(_ body: (LiveTransport.Engine) async throws -> Void) async rethrows {
        for engine in [LiveTransport.Engine.native, .curl] {
            let failuresBefore = testRun?.failureCount ?? 0
            try await body(engine)
            if (testRun?.failureCount ?? 0) > failuresBefore { XCTFail("the failures above are on the \(engine) engine") }
        }
    }

    /// The same for tests that wait with expectations instead of `await`.
    func onEachEngine(_ body: (LiveTransport.Engine) throws -> Void) rethrows {
        for engine in [LiveTransport.Engine.native, .curl] {
            let failuresBefore = testRun?.failureCount ?? 0
            try body(engine)
            if (testRun?.failureCount ?? 0) > failuresBefore { XCTFail("the failures above are on the \(engine) engine") }
        }
    }
}
