import Foundation
import LeadRelayService
import XCTest

/// The PostgreSQL server the tests use: `LEADRELAY_TEST_POSTGRES_URL`, which `make test`
/// sets by starting a throwaway cluster on loopback (scripts/postgres-test-cluster.sh).
/// Without it the PostgreSQL tests are skipped, unless `LEADRELAY_TEST_POSTGRES_REQUIRED`
/// is set (as `make test` does), when they fail.
enum PostgresTestDatabase {
    static func url() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["LEADRELAY_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        if environment["LEADRELAY_TEST_POSTGRES_REQUIRED"] != nil {
            XCTFail("LEADRELAY_TEST_POSTGRES_URL is not set: run the tests through scripts/postgres-test-cluster.sh run")
        }
        throw XCTSkip("no PostgreSQL for the tests: run them with scripts/postgres-test-cluster.sh run swift test")
    }

    /// A URL of the test server with a schema of its own (`schema=`), so a test sees only its tables.
    static func freshSchemaURL() throws -> String {
        let base = try url()
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        return base + (base.contains("?") ? "&" : "?") + "sslmode=disable&schema=\(schema)"
    }
}
