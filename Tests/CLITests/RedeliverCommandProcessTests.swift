import Foundation
import IntegrationRuntime
import LeadJSON
import LeadRelayService
import XCTest

/// `leadrelay redeliver` as a subprocess on a store holding leads in `error`.
final class RedeliverCommandProcessTests: XCTestCase {
    func testHeldLeadsAreListedThenRedelivered() async throws {
        let dir = try TemporaryDirectory()
        let key = try SecretKey.load(environment: [:], file: dir.path + "/leadrelay.key")
        let store = try SQLiteStore(path: dir.path + "/leadrelay.sqlite", sealer: SecretSealer(key: key))
        var ids: [String] = []
        for (n, integration) in ["irev", "trackbox"].enumerated() {
            guard
                case .inserted(let lead) = try await store.insert(
                    NewLead(offerID: "7", fields: .object(["email": .string("h\(n)@example.com")]), receivedAt: 1_767_225_600 + Double(n)))
            else { return XCTFail("not inserted") }
            _ = try await store.claimDue(now: 1_767_225_700, limit: 1, owner: "p1", leaseSeconds: 30)
            try await store.complete(
                AttemptRecord(
                    leadID: lead.id, number: 1, integration: integration, startedAt: 1_767_225_700, endedAt: 1_767_225_700,
                    outcome: .error("script failed"), report: .object([:])),
                state: .error, owner: "p1", now: 1_767_225_700)
            ids.append(lead.id)
        }
        let listed = try LeadRelayProcess.run(["redeliver", "--integration", "irev", "--dry-run", "--format", "json"], in: dir.path)
        XCTAssertEqual(listed.status, 0, listed.description)
        XCTAssertEqual(try JSONValue.parse(listed.stdout)["leads"], .array([.string(ids[0])]))
        let unchanged = try await store.lead(id: ids[0])
        XCTAssertEqual(unchanged?.state, .error, "a dry run changes nothing")
        let done = try LeadRelayProcess.run(["redeliver", "--since", "2026-01-01", "--until", "2026-01-02"], in: dir.path)
        XCTAssertEqual(done.status, 0, done.description)
        XCTAssertTrue(done.stdout.contains("redelivered 2 leads"), done.description)
        for id in ids {
            guard case .retry(_, 2) = try await store.lead(id: id)?.state else { return XCTFail("\(id) not due as attempt 2") }
        }
        let none = try LeadRelayProcess.run(["redeliver"], in: dir.path)
        XCTAssertTrue(none.stdout.contains("no held lead or change matches"), none.description)
        let bad = try LeadRelayProcess.run(["redeliver", "--since", "yesterday"], in: dir.path)
        XCTAssertEqual(bad.status, 2, bad.description)
        XCTAssertTrue(bad.stderr.contains("\"yesterday\" is not a time"), bad.description)
    }

    func testHeldChangesAreListedApartFromLeadsThenRedelivered() async throws {
        let dir = try TemporaryDirectory()
        let key = try SecretKey.load(environment: [:], file: dir.path + "/leadrelay.key")
        let store = try SQLiteStore(path: dir.path + "/leadrelay.sqlite", sealer: SecretSealer(key: key))
        try await store.save(StoredOffer(id: "7", name: "Shop"))
        let route = try await store.save(OfferRoute(offerID: "7", integration: "altercpa", postbackToken: "t-1"))
        guard case .inserted(let lead) = try await store.insert(NewLead(offerID: "7", fields: .object([:]), receivedAt: 1_767_225_600))
        else { return XCTFail("not inserted") }
        _ = try await store.claimDue(now: 1_767_225_601, limit: 1, owner: "p1", leaseSeconds: 30)
        try await store.complete(
            AttemptRecord(
                leadID: lead.id, number: 1, integration: "altercpa", startedAt: 1_767_225_601, endedAt: 1_767_225_601,
                outcome: Outcome(.accepted, externalID: "X-1"), report: .object([:]), routeID: route.id),
            state: .accepted, owner: "p1", now: 1_767_225_601)
        guard
            case .queued(let change) = try await store.queueUpdate(
                NewUpdate(leadID: lead.id, fields: ["comment": "c"], receivedAt: 1_767_225_700))
        else { return XCTFail("not queued") }
        _ = try await store.claimDueChanges(now: 1_767_225_701, limit: 1, owner: "p1", leaseSeconds: 30)
        try await store.completeChange(
            AttemptRecord(
                leadID: change.id, number: 1, integration: "altercpa", startedAt: 1_767_225_701, endedAt: 1_767_225_701,
                outcome: .error("script failed"), report: .object([:]), routeID: route.id),
            state: .error, owner: "p1", now: 1_767_225_701)

        let listed = try LeadRelayProcess.run(["redeliver", "--integration", "altercpa", "--dry-run", "--format", "json"], in: dir.path)
        XCTAssertEqual(listed.status, 0, listed.description)
        let answer = try JSONValue.parse(listed.stdout)
        XCTAssertEqual(answer["leads"], .array([]))
        XCTAssertEqual(answer["changes"]?.arrayValue?.map { $0["id"] }, [.string(change.id)])
        XCTAssertEqual(answer["changes"]?.arrayValue?.first?["action"], .string("update"))
        let done = try LeadRelayProcess.run(["redeliver", "--offer", "7"], in: dir.path)
        XCTAssertEqual(done.status, 0, done.description)
        XCTAssertTrue(done.stdout.contains("redelivered 1 change of delivered leads"), done.description)
        XCTAssertTrue(done.stdout.contains("\(change.id)  update of lead \(lead.id)"), done.description)
        guard case .retry(_, 2) = try await store.change(id: change.id)?.state else { return XCTFail("the change is not due as attempt 2") }
    }
}
