import Foundation
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// When a script is reloaded, the log offers what it left held for redelivery: leads and
/// changes of delivered leads.
final class ScriptReloadRedeliveryTests: XCTestCase {
    func testTheReloadOffersHeldChangesBesideHeldLeads() async throws {
        let temporary = try TemporaryDirectory("reload-offer")
        defer { temporary.remove() }
        let store = try temporary.sealedStore()
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

        let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        defer { transport.shutdown() }
        let scripts = try IntegrationDirectory(path: BundledManifests.directory, transport: transport)
        defer { scripts.shutdown() }
        let log = CapturedLog()
        let service = ScriptReloadService(scripts: scripts, interval: .seconds(60), store: store, logger: log.logger())
        await service.offerRedelivery("altercpa")
        let offer = try XCTUnwrap(log.logged.first, "no offer logged")
        XCTAssertEqual(offer.metadata["held"], "0")
        XCTAssertEqual(offer.metadata["held_changes"], "1")
        XCTAssertEqual(offer.metadata["command"], "leadrelay redeliver --integration altercpa")
        await service.offerRedelivery("irev")
        XCTAssertEqual(log.logged.count, 1, "nothing held through irev: nothing offered")
    }
}
