import LeadRelayService
import XCTest

/// The promises every `EmployeeStore` keeps, what `EmployeeCheck` decides over it, and the
/// wall between employee keys and affiliate keys.
struct EmployeeStoreContract {
    let make: () async throws -> any EmployeeStore & AccessStore
    static let now = 1_767_225_600.0
    static let office = IPRange(from: "203.0.113.0", to: "203.0.113.255")!

    func eachRoleHasItsRights() async throws {
        let store = try await make()
        let check = EmployeeCheck(store: store)
        for role in EmployeeRole.allCases {
            try await store.save(Employee(id: "E-\(role)", name: "Staff \(role)", role: role))
            let (key, token) = try await store.issueEmployeeKey(employeeID: "E-\(role)", allowlist: [Self.office], expiresAt: Self.now + 60)
            XCTAssertTrue(key.id.hasPrefix(EmployeeKey.idPrefix), key.id)
            XCTAssertTrue(token.text.hasPrefix(KeyToken.prefix))
            var allowed: Set<AdminRight> = []
            for right in AdminRight.allCases {
                switch try await check.authorize(token: token.text, address: "203.0.113.4", needs: right, now: Self.now) {
                case .success(let employee):
                    XCTAssertEqual(employee.role, role)
                    allowed.insert(right)
                case .failure(let refusal):
                    XCTAssertEqual(refusal, .roleNotAllowed(role, right))
                    XCTAssertEqual(refusal.status, 403)
                }
            }
            XCTAssertEqual(allowed, role.rights, "\(role)")
        }
        XCTAssertEqual(EmployeeRole.admin.rights, Set(AdminRight.allCases))
        XCTAssertEqual(EmployeeRole.manager.rights, [.offers, .affiliates])
        XCTAssertEqual(EmployeeRole.analyst.rights, [.reports])
    }

    func anUnknownExpiredOrRevokedEmployeeKeyIsOneAnswer() async throws {
        let store = try await make()
        try await store.save(Employee(id: "E1", name: "Ops", role: .admin))
        let (key, token) = try await store.issueEmployeeKey(employeeID: "E1", allowlist: [Self.office], expiresAt: Self.now + 60)
        let found = try await store.employeeKey(digest: token.digest)
        XCTAssertEqual(found, key)
        let check = EmployeeCheck(store: store)
        func decide(_ token: String?, _ address: String = "203.0.113.4", at now: Double = Self.now) async throws -> Result<
            Employee, AccessRefusal
        > {
            try await check.authorize(token: token, address: address, needs: .offers, now: now)
        }
        let allowed = try await decide(token.text)
        XCTAssertEqual(try allowed.get().id, "E1")
        for refused in [try await decide(nil), try await decide("lr_unknown"), try await decide(token.text, at: Self.now + 60)] {
            XCTAssertEqual(refused, .failure(.unauthenticated))
        }
        let elsewhere = try await decide(token.text, "198.51.100.1")
        XCTAssertEqual(elsewhere, .failure(.addressNotAllowed))
        try await store.extendEmployeeKey(id: key.id, until: Self.now + 120)
        let extended = try await decide(token.text, at: Self.now + 60)
        XCTAssertEqual(try extended.get().id, "E1")
        try await store.revokeEmployeeKey(id: key.id, at: Self.now + 1)
        let revoked = try await decide(token.text, at: Self.now + 2)
        XCTAssertEqual(revoked, .failure(.unauthenticated))
        let listed = try await store.employeeKeys(employeeID: "E1")
        XCTAssertEqual(listed.map(\.revokedAt), [Self.now + 1])
        do {
            _ = try await store.issueEmployeeKey(employeeID: "E9", allowlist: [], expiresAt: Self.now)
            XCTFail("a key was issued to no one")
        } catch {
            XCTAssertEqual(error, .noSuchEmployee("E9"))
        }
        do {
            try await store.revokeEmployeeKey(id: "ekey_missing", at: Self.now)
            XCTFail("a missing key was revoked")
        } catch {
            XCTAssertEqual(error, .noSuchKey("ekey_missing"))
        }
    }

    /// An employee key is not an affiliate key on the intake, and an affiliate key is not an
    /// employee key on the admin API, even with the same ids and an open allowlist.
    func employeeAndAffiliateKeysNeverOpenTheOthersAPI() async throws {
        let store = try await make()
        let open = try XCTUnwrap(IPRange(from: "0.0.0.0", to: "255.255.255.255"))
        try await store.save(Employee(id: "A1", name: "Ops", role: .admin))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        let (_, employeeToken) = try await store.issueEmployeeKey(employeeID: "A1", allowlist: [open], expiresAt: Self.now + 60)
        let (_, affiliateToken) = try await store.issueKey(
            affiliateID: "A1", permissions: Set(KeyPermission.allCases), allowlist: [open], expiresAt: Self.now + 60)
        let asAffiliate = try await KeyCheck(store: store).authorize(
            token: employeeToken.text, address: "203.0.113.4", needs: .createLeads, offer: "7", now: Self.now)
        XCTAssertEqual(asAffiliate, .failure(.unauthenticated))
        let asEmployee = try await EmployeeCheck(store: store).authorize(
            token: affiliateToken.text, address: "203.0.113.4", needs: .reports, now: Self.now)
        XCTAssertEqual(asEmployee, .failure(.unauthenticated))
        let employees = try await store.employees()
        XCTAssertEqual(employees, [Employee(id: "A1", name: "Ops", role: .admin)])
    }
}
