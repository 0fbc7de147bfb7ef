import Foundation
import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

/// Two calls refreshing with one rotating token, played through the shipped amoCRM script
/// (lib.rotating_token): the other call's rotation lands in the store while this call's
/// refresh is in flight (the transport writes it, as the other VM would).
final class RotationRaceTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let scope = "amocrm/1"
    let params: [String: JSONValue] = [
        "base_url": .string("https://example.amocrm.ru"), "client_id": .string("client-1"),
        "client_secret": .string("secret-0123456789"), "redirect_uri": .string("https://relay.example/cb"),
        "refresh_token": .string("rt-param-0001"),
    ]

    func instance() throws -> IntegrationInstance {
        try IntegrationCatalog.scan(Self.root.appendingPathComponent("integrations").path).instance("amocrm")
    }

    func refreshToken(in request: OutboundRequest) -> String? {
        guard request.url.hasSuffix("/oauth2/access_token") else { return nil }
        return (try? JSONValue.parse(request.body))?["refresh_token"]?.stringValue
    }

    func json(_ status: Int, _ value: JSONValue) -> OutboundResponse {
        OutboundResponse(status: status, headers: [(name: "content-type", value: "application/json")], body: Array(value.encoded().utf8))
    }

    func token(access: String, refresh: String) -> OutboundResponse {
        json(200, .object(["access_token": .string(access), "refresh_token": .string(refresh), "expires_in": .integer(86400)]))
    }

    var created: OutboundResponse { json(200, .array([.object(["id": .integer(77), "merged": .bool(false)])])) }

    func seededStore() -> MemoryCredentialStore {
        MemoryCredentialStore(
            scope: scope,
            // The seed is the parameter's sha256: the stored chain descends from it.
            values: [
                "refresh_token": "rt-stored-0002",
                "refresh_token_seed": "f47219eefb1f7700b655415fcb4f3713ed6469be7f6ab41f865130b22df339a3",
            ])
    }

    func testTheLoserOfTheSaveKeepsTheWinnersTokenAndStillDelivers() throws {
        let store = seededStore()
        var input = CallInput(action: .push, lead: TestScripts.lead, params: params, now: 1000)
        input.credentials = store
        var used: [String] = []
        let result = try instance().run(input) { request in
            if let refresh = self.refreshToken(in: request) {
                used.append(refresh)
                // Meanwhile another call rotated rt-stored-0002 and saved its own successor.
                _ = try? store.setCredential("refresh_token", to: "rt-theirs-0003", in: self.scope, ifCurrent: .anything)
                return self.token(access: "access-mine", refresh: "rt-mine-0003")
            }
            return self.created
        }
        XCTAssertEqual(result.outcome?.kind, .accepted, "\(result.json.encoded())")
        XCTAssertEqual(used, ["rt-stored-0002"])
        XCTAssertEqual(store.values(in: scope)["refresh_token"], "rt-theirs-0003", "the first save wins; this call's is refused")
    }

    func testARefusedRefreshIsRetriedWithTheTokenAnotherCallSaved() throws {
        let store = seededStore()
        var input = CallInput(action: .push, lead: TestScripts.lead, params: params, now: 1000)
        input.credentials = store
        var used: [String] = []
        let result = try instance().run(input) { request in
            if let refresh = self.refreshToken(in: request) {
                used.append(refresh)
                if refresh == "rt-stored-0002" {
                    // Another call used rt-stored-0002 first: the network refuses it here.
                    _ = try? store.setCredential("refresh_token", to: "rt-theirs-0003", in: self.scope, ifCurrent: .anything)
                    return self.json(400, .object(["title": .string("Bad Request"), "hint": .string("Token has been revoked")]))
                }
                return self.token(access: "access-mine", refresh: "rt-mine-0004")
            }
            return self.created
        }
        XCTAssertEqual(result.outcome?.kind, .accepted, "\(result.json.encoded())")
        XCTAssertEqual(used, ["rt-stored-0002", "rt-theirs-0003"])
        XCTAssertEqual(store.values(in: scope)["refresh_token"], "rt-mine-0004")
    }
}
