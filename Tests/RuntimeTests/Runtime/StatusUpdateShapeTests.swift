import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// An update names its lead by `external_id`, by `lead_id` (LeadRelay's own id, a contract
/// extension for networks that echo it back), or by both; with neither the call is `error`.
final class StatusUpdateShapeTests: XCTestCase {
    private func updates(_ list: String) throws -> CallResult {
        let code = TestScripts.script(
            prepare: "return { method = 'GET', url = 'https://x.example/leads' }",
            parse: "return { updates = { \(list) } }")
        let instance = try TestScripts.instance(code)
        return instance.run(CallInput(action: .status, now: 0, check: .range, from: "a", to: "b")) { _ in
            OutboundResponse(status: 200, body: Array("[]".utf8))
        }
    }

    func testAnUpdateMayNameItsLeadByLeadIDAlone() throws {
        let result = try updates("{ lead_id = 'L-1', stage = 'approve', status = 'FTD' }, { lead_id = 42, stage = 'wait' }")
        XCTAssertEqual(result.updates?.map(\.leadID), ["L-1", "42"])
        XCTAssertEqual(result.updates?.map(\.externalID), [nil, nil])
        XCTAssertEqual(
            result.updates?.first?.json, .object(["lead_id": .string("L-1"), "stage": .string("approve"), "status": .string("FTD")]))
    }

    func testAnUpdateMayCarryBothIDs() throws {
        let result = try updates("{ external_id = 'n-7', lead_id = 'L-7', stage = 'cancel' }")
        XCTAssertEqual(result.updates?.first?.externalID, "n-7")
        XCTAssertEqual(result.updates?.first?.leadID, "L-7")
    }

    func testAnUpdateWithNeitherIDIsAnError() throws {
        let result = try updates("{ external_id = '1', stage = 'wait' }, { stage = 'approve', status = 'FTD' }")
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(
            result.outcome?.message?.contains("updates[2] must name its lead: external_id") == true,
            result.outcome?.message ?? "no message")
    }

    func testALeadIDOfAnotherTypeIsAnError() throws {
        let result = try updates("{ lead_id = { 'L-1' }, stage = 'wait' }")
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(
            result.outcome?.message?.contains("updates[1].lead_id must be a string or an integer") == true,
            result.outcome?.message ?? "no message")
    }
}
