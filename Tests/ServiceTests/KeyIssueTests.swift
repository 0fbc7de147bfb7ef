import XCTest

@testable import LeadRelayService

/// `KeyIssue`, the one recipe both kinds of key are issued by.
final class KeyIssueTests: XCTestCase {
    func testAnIssueHasAPrefixedIdA256BitTokenItsSHA256AndItsExpiry() {
        let issue = KeyIssue(idPrefix: EmployeeKey.idPrefix, expiresAt: 1_000)
        XCTAssertTrue(issue.id.hasPrefix("ekey_"), issue.id)
        XCTAssertEqual(issue.id.dropFirst(5).count, 16)
        XCTAssertTrue(issue.id.dropFirst(5).allSatisfy(\.isHexDigit), issue.id)
        let body = issue.token.text.dropFirst(KeyToken.prefix.count)
        XCTAssertTrue(issue.token.text.hasPrefix("lr_"))
        XCTAssertEqual(body.count, 43, "256 bits in base64url without padding")
        XCTAssertTrue(body.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, String(body))
        XCTAssertEqual(issue.digest, SHA256Hex.of(issue.token.text.utf8))
        XCTAssertEqual(issue.expiresAt, 1_000)
        let other = KeyIssue(idPrefix: APIKey.idPrefix, expiresAt: 1_000)
        XCTAssertTrue(other.id.hasPrefix("key_"))
        XCTAssertNotEqual(other.token.text, issue.token.text)
        XCTAssertNotEqual(other.id.dropFirst(4), issue.id.dropFirst(5))
    }

    func testBothStoresKeepOnlyTheDigestOfTheTokenTheyHandOut() async throws {
        let temporary = try TemporaryDirectory("key-issue")
        defer { temporary.remove() }
        let store = try temporary.sealedStore()
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: []))
        try await store.save(Employee(id: "E1", name: "Ops", role: .admin))
        let (affiliateKey, affiliateToken) = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads], allowlist: [], expiresAt: 500)
        let (employeeKey, employeeToken) = try await store.issueEmployeeKey(employeeID: "E1", allowlist: [], expiresAt: 600)
        let foundAffiliate = try await store.key(digest: affiliateToken.digest)
        let foundEmployee = try await store.employeeKey(digest: employeeToken.digest)
        XCTAssertEqual(foundAffiliate?.id, affiliateKey.id)
        XCTAssertEqual(foundAffiliate?.expiresAt, 500)
        XCTAssertEqual(foundEmployee?.id, employeeKey.id)
        XCTAssertEqual(foundEmployee?.expiresAt, 600)
        XCTAssertTrue(affiliateKey.id.hasPrefix(APIKey.idPrefix) && employeeKey.id.hasPrefix(EmployeeKey.idPrefix))
    }
}
