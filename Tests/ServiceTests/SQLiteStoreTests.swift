import Foundation
import GRDB
import IntegrationRuntime
import XCTest

@testable import LeadRelayService

/// `SQLiteStore` against the store contract, on a temporary file, plus what only SQLite has.
final class SQLiteStoreTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var directory = ""
    var path: String { temporary.storePath }

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("store")
        directory = temporary.path
    }

    override func tearDownWithError() throws { temporary.remove() }

    var contract: LeadStoreContract {
        let path = self.path
        return LeadStoreContract(make: { try SQLiteStore(path: path) }, reopen: { try SQLiteStore(path: path) })
    }

    func testAnInsertedLeadIsPendingDueAndSurvivesAReopen() async throws {
        try await contract.anInsertedLeadIsPendingDueAndSurvivesAReopen()
    }
    func testAnIdempotencyKeyMapsToOneLeadPerAffiliate() async throws { try await contract.anIdempotencyKeyMapsToOneLeadPerAffiliate() }
    func testTheDuplicateCheckFindsTheNewestLeadOfTheOfferInTheWindow() async throws {
        try await contract.theDuplicateCheckFindsTheNewestLeadOfTheOfferInTheWindow()
    }
    func testALeadRefusedAtIntakeIsStoredRejectedAndNeverClaimed() async throws {
        try await contract.aLeadRefusedAtIntakeIsStoredRejectedAndNeverClaimed()
    }
    func testConcurrentInsertsKeepOneLeadPerIdempotencyKey() async throws {
        try await contract.concurrentInsertsKeepOneLeadPerIdempotencyKey()
    }
    func testConcurrentRepliesOfOneKeyGetTheSameLead() async throws { try await contract.concurrentRepliesOfOneKeyGetTheSameLead() }
    func testConcurrentInsertsOfOneAddressLetOneLeadThrough() async throws {
        try await contract.concurrentInsertsOfOneAddressLetOneLeadThrough()
    }
    func testATakenOverLeadReleasedUnstartedKeepsTheFlagOnItsAttempt() async throws {
        try await contract.aTakenOverLeadReleasedUnstartedKeepsTheFlagOnItsAttempt()
    }
    func testARenewedLeaseHoldsUntilItsNewEnd() async throws { try await contract.aRenewedLeaseHoldsUntilItsNewEnd() }
    func testARouteUnderAnUnknownIDIsAnError() async throws { try await offers.aRouteUnderAnUnknownIDIsAnError() }
    func testClaimsTakeTheOldestDueLeadsOnceEach() async throws { try await contract.claimsTakeTheOldestDueLeadsOnceEach() }
    func testABatchClaimKeepsTheClaimOrder() async throws { try await contract.aBatchClaimKeepsTheClaimOrder() }
    func testHeldLeadsAreFoundAndRedeliveredAsTheirNextAttempt() async throws {
        try await contract.heldLeadsAreFoundAndRedeliveredAsTheirNextAttempt()
    }
    func testTheBacklogCountsDueScheduledAndSendingLeads() async throws { try await contract.theBacklogCountsDueScheduledAndSendingLeads() }
    func testConcurrentClaimsNeverShareALead() async throws { try await contract.concurrentClaimsNeverShareALead() }
    func testAnAttemptAndTheLeadsNewStateAreWrittenTogether() async throws {
        try await contract.anAttemptAndTheLeadsNewStateAreWrittenTogether()
    }
    func testOnlyTheLeaseOwnerRecordsAnAttempt() async throws { try await contract.onlyTheLeaseOwnerRecordsAnAttempt() }
    func testCompletionsAreWrittenTogetherLeavingOutLostLeases() async throws {
        try await contract.completionsAreWrittenTogetherLeavingOutLostLeases()
    }
    func testAnExpiredLeaseIsClaimedAgainAndFlagged() async throws { try await contract.anExpiredLeaseIsClaimedAgainAndFlagged() }
    func testReleasedLeadsAreDueAgainWithTheirAttempt() async throws { try await contract.releasedLeadsAreDueAgainWithTheirAttempt() }

    var offers: OfferStoreContract {
        let temporary = self.temporary!
        let path = self.path
        return OfferStoreContract(
            make: { try temporary.sealedStore() },
            reopenWithoutKey: { try SQLiteStore(path: path) })
    }

    func testOffersAreSavedReplacedAndReadBack() async throws { try await offers.offersAreSavedReplacedAndReadBack() }
    func testWorkingHoursAreSavedAndReadBack() async throws { try await offers.workingHoursAreSavedAndReadBack() }
    func testRoutesComeBackByPriorityWithTheirSecretsOpened() async throws {
        try await offers.routesComeBackByPriorityWithTheirSecretsOpened()
    }
    func testASecretNeedsTheKey() async throws { try await offers.aSecretNeedsTheKey() }
    func testAnAddedOfferNeverReplacesOneAndAnEmptyIDTakesTheNextNumber() async throws {
        try await offers.anAddedOfferNeverReplacesOneAndAnEmptyIDTakesTheNextNumber()
    }
    func testOffersAreListedAndARouteIsReadAndRemovedByID() async throws {
        try await offers.offersAreListedAndARouteIsReadAndRemovedByID()
    }

    var access: AccessStoreContract {
        let path = self.path
        return AccessStoreContract(make: { try SQLiteStore(path: path) })
    }

    func testAKeyIsFoundByItsTokensDigestOnlyAndChecked() async throws { try await access.aKeyIsFoundByItsTokensDigestOnlyAndChecked() }
    func testTwoKeysNeverShareAToken() async throws { try await access.twoKeysNeverShareAToken() }
    func testAnAffiliatesPostbackURLIsKeptAndRemoved() async throws { try await access.anAffiliatesPostbackURLIsKeptAndRemoved() }
    func testAffiliatesAndTheirKeysAreListedWithoutTokens() async throws {
        try await access.affiliatesAndTheirKeysAreListedWithoutTokens()
    }

    var employees: EmployeeStoreContract {
        let path = self.path
        return EmployeeStoreContract(make: { try SQLiteStore(path: path) })
    }

    func testEachRoleHasItsRights() async throws { try await employees.eachRoleHasItsRights() }
    func testAnUnknownExpiredOrRevokedEmployeeKeyIsOneAnswer() async throws {
        try await employees.anUnknownExpiredOrRevokedEmployeeKeyIsOneAnswer()
    }
    func testEmployeeAndAffiliateKeysNeverOpenTheOthersAPI() async throws {
        try await employees.employeeAndAffiliateKeysNeverOpenTheOthersAPI()
    }

    /// Opened with another key, a route's secret is a clear error naming the offer and the
    /// parameter, and not the route's postback token (failed before: the seal's place, with
    /// the token, was in the message).
    func testAnotherKeyIsAClearErrorThatDoesNotShowTheRoutesToken() async throws {
        let store = try temporary.sealedStore()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await store.save(OfferStoreContract.route(token: "pb-token-SECRET-5"))
        let other = try SecretKey.load(environment: [:], file: directory + "/other.key")
        let wrong = try SQLiteStore(path: path, sealer: SecretSealer(key: other))
        do {
            _ = try await wrong.routes(offerID: "7")
            XCTFail("a secret opened with another key")
        } catch {
            guard case .secret(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("offer 7"), detail)
            XCTAssertTrue(detail.contains("api_token"), detail)
            XCTAssertTrue(detail.contains("LEADRELAY_SECRET_KEY"), detail)
            XCTAssertFalse(detail.contains("pb-token-SECRET-5"), detail)
        }
    }

    /// The database holds a key's digest, never its token.
    func testNoTokenIsStored() async throws {
        let store = try SQLiteStore(path: path)
        try await store.save(Affiliate(id: "A1", name: "Media Buyer"))
        let (_, token) = try await store.issueKey(affiliateID: "A1", permissions: [.createLeads], allowlist: [], expiresAt: 0)
        let stored = try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT digest FROM api_keys") }
        XCTAssertEqual(stored, [token.digest])
        for file in [path, path + "-wal"] {
            let bytes = FileManager.default.contents(atPath: file) ?? Data()
            XCTAssertNil(bytes.range(of: Data(token.text.utf8)), "\(file) holds the token")
        }
    }

    // MARK: SQLite only

    /// The lead's password is sealed at rest and opened when read; without a key such a
    /// lead is refused (failed before: the password was in the file in clear).
    func testALeadsPasswordIsNotInTheDatabaseFileInClear() async throws {
        let store = try temporary.sealedStore()
        let secret = "Hunter2-very-secret-password"
        let lead = NewLead(offerID: "7", fields: .object(["email": .string("a@example.com"), "password": .string(secret)]), receivedAt: 0)
        guard case .inserted(let stored) = try await store.insert(lead) else { return XCTFail("not inserted") }
        XCTAssertEqual(stored.fields["password"], .string(secret))
        let read = try await store.lead(id: stored.id)
        XCTAssertEqual(read?.fields["password"], .string(secret))
        var bytes = Data()
        for suffix in ["", "-wal"] { bytes += FileManager.default.contents(atPath: path + suffix) ?? Data() }
        XCTAssertNil(bytes.range(of: Data(secret.utf8)), "the password is on disk in clear")
        let keyless = try SQLiteStore(path: path)
        do {
            _ = try await keyless.insert(lead)
            XCTFail("a password was stored without a key")
        } catch {
            guard case .secret(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("password"), detail)
        }
    }

    /// A copy of the database file shows no secret: neither the file nor its WAL holds it.
    func testACopyOfTheDatabaseShowsNoSecret() async throws {
        let store = try temporary.sealedStore()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await store.save(OfferStoreContract.route(token: "t-1", secret: "tok-SECRET-XYZ-123"))
        let routes = try await store.routes(offerID: "7")
        XCTAssertEqual(routes.first?.params["api_token"], .string("tok-SECRET-XYZ-123"))
        for file in [path, path + "-wal"] {
            let bytes = FileManager.default.contents(atPath: file) ?? Data()
            XCTAssertNil(bytes.range(of: Data("tok-SECRET-XYZ-123".utf8)), "\(file) holds the secret in clear")
        }
        let raw = try await store.pool.read { db in try String.fetchOne(db, sql: "SELECT params FROM routes") }
        XCTAssertTrue(raw?.contains(SecretSealer.prefix) ?? false, raw ?? "")
    }

    var statuses: StatusStoreContract {
        let path = self.path
        return StatusStoreContract(make: { try SQLiteStore(path: path) })
    }

    func testUpdatesMatchTheLeadTheRouteAcceptedAndUnknownOnesAreCounted() async throws {
        try await statuses.updatesMatchTheLeadTheRouteAcceptedAndUnknownOnesAreCounted()
    }
    func testTheStageMovesByTheRulesAndDuplicatesAreIgnored() async throws {
        try await statuses.theStageMovesByTheRulesAndDuplicatesAreIgnored()
    }
    func testChecksCoverTheRoutesLeadsInTheWindowInBatches() async throws {
        try await statuses.checksCoverTheRoutesLeadsInTheWindowInBatches()
    }
    func testRoutesKeepTheirStatusScheduleAndAreFoundByTheirPostbackToken() async throws {
        try await statuses.routesKeepTheirStatusScheduleAndAreFoundByTheirPostbackToken()
    }

    func testTheSchemaIsMigratedOnceInWALWithSynchronousCommits() async throws {
        let store = try SQLiteStore(path: path)
        let applied = try await store.appliedMigrations()
        XCTAssertEqual(
            applied,
            [
                "v1-leads-and-attempts", "v2-offers-and-routes", "v3-affiliates-and-keys", "v4-employees", "v5-route-choice", "v6-statuses",
                "v7-lead-actions", "v8-reports", "v9-affiliate-postbacks", "v10-lead-changes", "v11-credentials",
            ])
        let reopened = try SQLiteStore(path: path)
        let again = try await reopened.appliedMigrations()
        XCTAssertEqual(again, applied)
        let (journal, synchronous) = try await store.pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        XCTAssertEqual(journal, "wal")
        XCTAssertEqual(synchronous, 2, "synchronous = FULL")
    }

    func testACorruptRowIsATypedErrorNotACrash() async throws {
        let store = try SQLiteStore(path: path)
        guard case .inserted(let lead) = try await store.insert(LeadStoreContract.newLead()) else { return XCTFail("not inserted") }
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE leads SET fields = 'not json', attempt = 'x' WHERE id = ?", arguments: [lead.id])
        }
        do {
            _ = try await store.lead(id: lead.id)
            XCTFail("a corrupt row was read")
        } catch {
            guard case .corruptRow(let table, let detail) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(table, "leads")
            XCTAssertFalse(detail.isEmpty)
        }
    }

    func testAnUnwritablePathIsAClearError() {
        XCTAssertThrowsError(try SQLiteStore(path: directory + "/missing-folder/leadrelay.sqlite")) { error in
            guard case .unavailable(let detail) = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("missing-folder"), detail)
        }
    }
}
