import Foundation
import Host
import IntegrationRuntime
import XCTest

/// A fixture's `credentials` (**Extension**) seed the case's credential store, and its
/// `expect.credentials` is compared with what the call left there, in every `CheckMode`;
/// each case starts with only its own seed.
final class FixtureCredentialsTests: XCTestCase {
    static let script = """
        local M = { name = "demo", title = "Demo", actions = { "push" }, params = {} }
        function M.prepare(lead, ctx)
          local old = credentials.get("token")
          credentials.set("token", (old or "none") .. "+1", { expect = old or false })
          credentials.delete("drop")
          return { outcome = "rejected", reason = "duplicate", message = "seen " .. tostring(old ~= nil) }
        end
        function M.parse_status(response, ctx) return { outcome = "error" } end
        return M
        """

    func fixture(_ description: String, seed: String?, expect: String) -> String {
        #"{ "description": "\#(description)", "action": "push", "params": {}, "lead": { "id": "L-1" }, "#
            + (seed.map { #""credentials": \#($0), "# } ?? "")
            + #""expect": { "outcome": "rejected", "credentials": \#(expect) } }"#
    }

    func testSeedAndExpectationAreCheckedInEveryMode() async throws {
        let dir = try CheckDirectory(scripts: ["demo": Self.script])
        defer { dir.remove() }
        try dir.write(
            "demo", "a-seeded",
            fixture("seeded", seed: #"{ "token": "tok-one", "drop": "x" }"#, expect: #"{ "token": "tok-one+1", "drop": null }"#))
        // Runs after a-seeded: its store starts empty, not with what a-seeded left.
        try dir.write("demo", "b-empty", fixture("empty", seed: nil, expect: #"{ "token": "none+1" }"#))
        try dir.write(
            "demo", "c-wrong", fixture("wrong", seed: #"{ "token": "tok-one" }"#, expect: #"{ "token": "tok-two+1", "other": "{{any}}" }"#))
        for mode in CheckMode.allCases {
            let report = await FixtureRunner.check(integrations: dir.path + "/integrations", fixtures: dir.path + "/fixtures", mode: mode)
            XCTAssertEqual(report.cases.count, 3, "\(mode): \(report.text())")
            XCTAssertTrue(report.cases[0].passed, "\(mode): \(report.cases[0].differences)")
            XCTAssertTrue(report.cases[1].passed, "\(mode): \(report.cases[1].differences)")
            let differences = report.cases[2].differences
            XCTAssertEqual(differences.count, 2, "\(mode): \(differences)")
            XCTAssertEqual(differences.first, #"expect.credentials.other: expected "{{any}}", got nothing stored"#)
            XCTAssertTrue(differences.last?.hasPrefix(#"expect.credentials.token: expected "tok-two+1", got "#) == true, "\(differences)")
            // The value the script stored is a secret of its call: masked in the diff.
            XCTAssertFalse(differences.last?.contains("tok-one+1") ?? true, "\(differences)")
        }
    }

    func testBadShapesAreLoadErrors() throws {
        let cases: [(String, String)] = [
            (#""credentials": ["t"], "expect": { "outcome": "accepted" }"#, "\"credentials\" must be an object of keys and string values"),
            (#""credentials": { "t": 1 }, "expect": { "outcome": "accepted" }"#, "credentials.t: must be a string, not 1"),
            (#""expect": { "credentials": { "t": 1 } }"#, "expect.credentials.t: must be a string or null, not 1"),
            (#""expect": { "credentials": "t" }"#, "\"expect.credentials\" must be an object"),
            (#""credential": {}, "expect": { "outcome": "accepted" }"#, "credential: unknown key; did you mean credentials?"),
        ]
        for (body, message) in cases {
            let text = #"{ "description": "d", "action": "push", "params": {}, "lead": { "id": "L-1" }, "# + body + " }"
            XCTAssertThrowsError(try FixtureLoader.load(bytes: Array(text.utf8), file: "f.json", integration: "demo")) { error in
                XCTAssertTrue("\(error)".contains(message), "\(body): \(error)")
            }
        }
    }
}
