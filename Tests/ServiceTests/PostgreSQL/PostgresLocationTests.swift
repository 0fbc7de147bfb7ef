import LeadRelayService
import XCTest

/// How `PostgresLocation` reads a PostgreSQL URL (no server needed).
final class PostgresLocationTests: XCTestCase {
    func testAFullURLReadsAndItsDescriptionHidesThePassword() throws {
        let location = try PostgresLocation(
            url: "postgres://lead%40relay:p%40ss-SECRET@db.internal:6432/leads?sslmode=require&schema=relay")
        XCTAssertEqual(location.host, "db.internal")
        XCTAssertEqual(location.port, 6432)
        XCTAssertEqual(location.username, "lead@relay")
        XCTAssertEqual(location.password, "p@ss-SECRET")
        XCTAssertEqual(location.database, "leads")
        XCTAssertEqual(location.tls, .require)
        XCTAssertEqual(location.schema, "relay")
        XCTAssertFalse(location.description.contains("SECRET"), location.description)
    }

    func testDefaults() throws {
        let location = try PostgresLocation(url: "postgresql://leadrelay@localhost")
        XCTAssertEqual(location.port, 5432)
        XCTAssertEqual(location.database, "leadrelay")
        XCTAssertEqual(location.tls, .prefer)
        XCTAssertEqual(location.schema, "public")
        XCTAssertNil(location.password)
    }

    func testWhatDoesNotReadIsNamed() {
        let cases: [(String, String)] = [
            ("mysql://u@h/d", "postgres://USER"),
            ("postgres://h/d", "names no user"),
            ("postgres://u@h/d?sslmode=verify-full", "sslmode verify-full"),
            ("postgres://u@h/d?schema=a;drop", "schema"),
            ("postgres://u@h/d?schema=1a", "schema"),
            ("postgres://u@h/d?pool=3", "unknown option pool"),
        ]
        for (url, expected) in cases {
            XCTAssertThrowsError(try PostgresLocation(url: url), url) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(url): \(error)")
            }
        }
    }
}
