import Foundation
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// The service's `CredentialStore` (`v11-credentials`): values round-trip, are sealed with
/// the secrets key (the database file never holds one in clear), stay in their scope
/// (a route's integration and offer), and compare-and-set lets one of two rotations win.
final class SQLiteCredentialStoreTests: XCTestCase {
    var folder: TemporaryDirectory!
    var store: SQLiteStore!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("credentials")
        store = try folder.sealedStore()
    }

    override func tearDownWithError() throws {
        store = nil
        folder.remove()
    }

    func testAValueRoundTripsAndSurvivesReopening() throws {
        XCTAssertNil(try store.credential("refresh_token", in: "amocrm/7"))
        XCTAssertTrue(try store.setCredential("refresh_token", to: "rt-0123456789", in: "amocrm/7", ifCurrent: .absent))
        XCTAssertEqual(try store.credential("refresh_token", in: "amocrm/7"), "rt-0123456789")
        store = nil
        let reopened = try folder.sealedStore()
        XCTAssertEqual(try reopened.credential("refresh_token", in: "amocrm/7"), "rt-0123456789")
        XCTAssertTrue(try reopened.setCredential("refresh_token", to: nil, in: "amocrm/7", ifCurrent: .anything))
        XCTAssertNil(try reopened.credential("refresh_token", in: "amocrm/7"))
    }

    func testTheDatabaseFilesNeverHoldTheClearValue() throws {
        let secret = "clear-refresh-token-9f8e7d6c5b4a"
        XCTAssertTrue(try store.setCredential("refresh_token", to: secret, in: "bitrix24/3", ifCurrent: .anything))
        XCTAssertTrue(try store.setCredential("refresh_token", to: secret + "-next", in: "bitrix24/3", ifCurrent: .value(secret)))
        store = nil
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("leadrelay.sqlite") }
        XCTAssertTrue(files.contains("leadrelay.sqlite"), "\(files)")
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + file))
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(file) holds the credential in clear")
        }
        let reopened = try folder.sealedStore()
        let raw = try reopened.pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM credentials") }
        XCTAssertTrue(SecretSealer.isSealed(raw ?? ""), raw ?? "no row")
        XCTAssertEqual(try reopened.credential("refresh_token", in: "bitrix24/3"), secret + "-next")
    }

    func testScopesAreIsolated() throws {
        XCTAssertTrue(try store.setCredential("refresh_token", to: "rt-offer-7", in: "amocrm/7", ifCurrent: .anything))
        XCTAssertTrue(try store.setCredential("refresh_token", to: "rt-offer-8", in: "amocrm/8", ifCurrent: .anything))
        XCTAssertNil(try store.credential("refresh_token", in: "bitrix24/7"))
        XCTAssertEqual(try store.credential("refresh_token", in: "amocrm/7"), "rt-offer-7")
        XCTAssertEqual(try store.credential("refresh_token", in: "amocrm/8"), "rt-offer-8")
        // A sealed value moved to another scope's row does not open there.
        try store.pool.write { db in
            try db.execute(
                sql: "UPDATE credentials SET value = (SELECT value FROM credentials WHERE scope = 'amocrm/7') WHERE scope = 'amocrm/8'")
        }
        XCTAssertThrowsError(try store.credential("refresh_token", in: "amocrm/8")) { error in
            XCTAssertTrue("\(error)".contains("amocrm/8: 'refresh_token': the secret does not open"), "\(error)")
            XCTAssertFalse("\(error)".contains("rt-offer"), "\(error)")
        }
    }

    func testCompareAndSetLetsOneOfTwoRotationsWin() throws {
        XCTAssertTrue(try store.setCredential("refresh_token", to: "rt-1", in: "amocrm/7", ifCurrent: .anything))
        // Two calls used rt-1 and got rt-2a and rt-2b: the first save wins, the second is refused.
        XCTAssertTrue(try store.setCredential("refresh_token", to: "rt-2a", in: "amocrm/7", ifCurrent: .value("rt-1")))
        XCTAssertFalse(try store.setCredential("refresh_token", to: "rt-2b", in: "amocrm/7", ifCurrent: .value("rt-1")))
        XCTAssertEqual(try store.credential("refresh_token", in: "amocrm/7"), "rt-2a")
        XCTAssertFalse(try store.setCredential("refresh_token", to: "rt-x", in: "amocrm/7", ifCurrent: .absent))
        XCTAssertFalse(try store.setCredential("refresh_token", to: nil, in: "amocrm/7", ifCurrent: .value("rt-1")))
        XCTAssertEqual(try store.credential("refresh_token", in: "amocrm/7"), "rt-2a")
    }

    func testConcurrentRotationsFromOneTokenSaveExactlyOne() async throws {
        XCTAssertTrue(try store.setCredential("refresh_token", to: "rt-start", in: "amocrm/7", ifCurrent: .anything))
        let store = self.store!
        let wins = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<8 {
                group.addTask {
                    (try? store.setCredential("refresh_token", to: "rt-next-\(i)", in: "amocrm/7", ifCurrent: .value("rt-start"))) ?? false
                }
            }
            var wins = 0
            for await won in group where won { wins += 1 }
            return wins
        }
        XCTAssertEqual(wins, 1)
        XCTAssertTrue(try store.credential("refresh_token", in: "amocrm/7")?.hasPrefix("rt-next-") == true)
    }

    func testAFullScopeAndAMissingKeyAreErrors() throws {
        for i in 0..<CredentialLimits.entriesPerScope {
            XCTAssertTrue(try store.setCredential("k\(i)", to: "v", in: "amocrm/7", ifCurrent: .anything))
        }
        XCTAssertThrowsError(try store.setCredential("one-more", to: "v", in: "amocrm/7", ifCurrent: .anything)) { error in
            XCTAssertEqual("\(error)", "amocrm/7: cannot add 'one-more': a scope holds at most 32 credentials")
        }
        let keyless = try SQLiteStore(path: folder.path + "/keyless.sqlite")
        XCTAssertThrowsError(try keyless.setCredential("k", to: "v", in: "amocrm/7", ifCurrent: .anything)) { error in
            XCTAssertEqual("\(error)", "amocrm/7: no secrets key to seal 'k'")
        }
    }
}

/// The service's pools hand the store to every call: a script's `credentials.set` lands in
/// the database, sealed, under the call's integration and offer.
final class ServiceCredentialWiringTests: XCTestCase {
    func testAPoolOfTheServicesDirectoryWritesToTheStore() async throws {
        let folder = try TemporaryDirectory("credential-wiring")
        defer { folder.remove() }
        let scripts = folder.path + "/integrations"
        try FileManager.default.createDirectory(atPath: scripts, withIntermediateDirectories: true)
        try """
        local M = { name = "rotating", title = "Rotating", actions = { "push" }, params = {} }
        function M.prepare(lead, ctx)
          local old = credentials.get("refresh_token")
          credentials.set("refresh_token", "rt-after-" .. tostring(old), { expect = old or false })
          return { outcome = "rejected", reason = "duplicate", message = "had " .. tostring(old) }
        end
        function M.parse_status(response, ctx) return { outcome = "error" } end
        return M
        """.write(toFile: scripts + "/rotating.lua", atomically: true, encoding: .utf8)
        let store = try folder.sealedStore()
        var options = IntegrationDirectory.Options()
        options.credentials = store
        options.workers = 1
        let directory = try IntegrationDirectory(path: scripts, transport: RefusingTransport(), options: options)
        defer { directory.shutdown() }
        _ = try directory.rescan()
        let pool = try XCTUnwrap(directory.pool("rotating"))
        let input = CallInput(action: .push, subject: .lead(.object(["id": .string("L-1")])), offer: Offer(id: "7", name: "O"), now: 1000)
        let first = await pool.run(input)
        XCTAssertEqual(first.outcome?.message, "had nil")
        XCTAssertEqual(try store.credential("refresh_token", in: "rotating/7"), "rt-after-nil")
        let second = await pool.run(input)
        XCTAssertEqual(second.outcome?.message, "had ***", "the value read is a secret of the call")
        XCTAssertEqual(try store.credential("refresh_token", in: "rotating/7"), "rt-after-rt-after-nil")
    }
}

/// A transport for calls that must not send anything.
private struct RefusingTransport: HTTPTransport {
    func perform(_ request: OutboundRequest) async -> OutboundResponse { .failed(.invalidRequest, detail: "no request expected") }
    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        completion(.failed(.invalidRequest, detail: "no request expected"))
    }
}
