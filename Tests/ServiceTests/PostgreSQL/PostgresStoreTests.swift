import Foundation
import LeadRelayService
import Logging
import XCTest

/// The store contracts on PostgreSQL (the same suites `SQLiteStoreTests` runs), each test
/// in a schema of its own on the test server.
final class PostgresStoreTests: XCTestCase {
    var url = ""
    /// The pool's own log (a refused connection, a closed one) is not the test's business.
    static let quiet: Logger = {
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .critical
        return logger
    }()
    var opened: [PostgresStore] = []

    override func setUp() async throws {
        url = try PostgresTestDatabase.freshSchemaURL()
    }

    override func tearDown() async throws {
        for store in opened { store.close() }
        opened = []
    }

    /// A store on this test's schema, sealing with `sealer` when given.
    func open(sealer: SecretSealer? = nil) async throws -> PostgresStore {
        let store = try await PostgresStore(url: url, sealer: sealer, connections: 4, logger: Self.quiet)
        opened.append(store)
        return store
    }

    var access: AccessStoreContract { AccessStoreContract(make: { try await self.open() }) }

    func testAKeyIsFoundByItsTokensDigestOnlyAndChecked() async throws { try await access.aKeyIsFoundByItsTokensDigestOnlyAndChecked() }
    func testTwoKeysNeverShareAToken() async throws { try await access.twoKeysNeverShareAToken() }
    func testAnAffiliatesPostbackURLIsKeptAndRemoved() async throws { try await access.anAffiliatesPostbackURLIsKeptAndRemoved() }
    func testAffiliatesAndTheirKeysAreListedWithoutTokens() async throws {
        try await access.affiliatesAndTheirKeysAreListedWithoutTokens()
    }

    var employees: EmployeeStoreContract { EmployeeStoreContract(make: { try await self.open() }) }

    func testEachRoleHasItsRights() async throws { try await employees.eachRoleHasItsRights() }
    func testAnUnknownExpiredOrRevokedEmployeeKeyIsOneAnswer() async throws {
        try await employees.anUnknownExpiredOrRevokedEmployeeKeyIsOneAnswer()
    }
    func testEmployeeAndAffiliateKeysNeverOpenTheOthersAPI() async throws {
        try await employees.employeeAndAffiliateKeysNeverOpenTheOthersAPI()
    }

    /// Processes starting together on a new database apply each migration once.
    func testStoresOpenedTogetherApplyEachMigrationOnce() async throws {
        let url = self.url
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore(url: url, connections: 2, logger: Self.quiet) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        opened += stores
        let applied = try await stores[0].appliedMigrations()
        XCTAssertEqual(applied, ["v1-access", "v2-offers-routes-leads"])
        for store in stores.dropFirst() {
            let seen = try await store.appliedMigrations()
            XCTAssertEqual(seen, applied)
        }
    }

    /// A new record under a taken id is `exists`, and nothing is replaced.
    func testAnAddedAffiliateOrEmployeeNeverReplacesOne() async throws {
        let store = try await open()
        try await store.add(Affiliate(id: "A1", name: "First"))
        try await store.add(Employee(id: "E1", name: "Ops", role: .admin))
        do {
            try await store.add(Affiliate(id: "A1", name: "Second"))
            XCTFail("a taken affiliate id was added again")
        } catch { XCTAssertEqual(error, .exists("affiliate A1")) }
        do {
            try await store.add(Employee(id: "E1", name: "Other", role: .analyst))
            XCTFail("a taken employee id was added again")
        } catch { XCTAssertEqual(error, .exists("employee E1")) }
        let affiliate = try await store.affiliate(id: "A1")
        let employee = try await store.employee(id: "E1")
        XCTAssertEqual(affiliate?.name, "First")
        XCTAssertEqual(employee?.role, .admin)
    }

    /// Grants name existing offers and an existing affiliate, and add to what was granted.
    func testGrantsAddOffersAndNameWhatIsMissing() async throws {
        let store = try await open()
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        do {
            _ = try await store.grant(affiliateID: "A2", offers: [])
            XCTFail("granted to a missing affiliate")
        } catch { XCTAssertEqual(error, .noSuchAffiliate("A2")) }
        do {
            _ = try await store.issueKey(affiliateID: "A2", permissions: [.createLeads], allowlist: [], expiresAt: 0)
            XCTFail("a key issued to a missing affiliate")
        } catch { XCTAssertEqual(error, .noSuchAffiliate("A2")) }
        do {
            _ = try await store.grant(affiliateID: "A1", offers: ["9"])
            XCTFail("granted a missing offer")
        } catch { XCTAssertEqual(error, .noSuchOffer("9")) }
        let unchanged = try await store.affiliate(id: "A1")
        XCTAssertEqual(unchanged?.offers, ["7"])
    }

    /// An unreachable server is `unavailable`, naming the location without its password.
    func testAnUnreachableServerIsAClearErrorWithoutThePassword() async throws {
        let port = 1  // tcpmux: nothing listens on it here
        do {
            _ = try await PostgresStore(
                url: "postgres://lr:pw-SECRET-1@127.0.0.1:\(port)/lr?sslmode=disable", connectTimeout: .seconds(1), logger: Self.quiet)
            XCTFail("opened a store on a closed port")
        } catch {
            guard case .unavailable(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("127.0.0.1:\(port)"), detail)
            XCTAssertFalse(detail.contains("pw-SECRET-1"), detail)
        }
    }
}
