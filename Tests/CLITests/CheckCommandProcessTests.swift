import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `leadrelay check` as a subprocess: its exit status (0 all pass, 1 a case failed, 2 a
/// script or fixture could not be loaded) and its three output formats, against scripts and
/// fixtures written by the test into a temporary directory.
final class CheckCommandProcessTests: XCTestCase {
    static let script = """
        local M = {
          name = "demo", title = "Demo", actions = { "push" },
          params = { base_url = { required = true }, token = { required = true, secret = true } },
        }
        function M.prepare(lead, ctx)
          return { url = ctx.params.base_url .. "/leads", headers = { ["X-Token"] = ctx.params.token },
                   json = { email = lead.email } }
        end
        function M.parse_status(response, ctx)
          if response.status == 200 then return { outcome = "accepted", external_id = tostring(response.json.id) } end
          return { outcome = "rejected", reason = "duplicate", message = "status " .. response.status }
        end
        return M
        """

    /// A case: the lead's email is sent, the network answers `status` with id 7.
    static func fixture(status: Int = 200, expect: String = #"{ "outcome": "accepted", "external_id": "7" }"#) -> String {
        """
        { "description": "status \(status)", "action": "push",
          "params": { "base_url": "https://crm.example", "token": "tok-0123456789" },
          "lead": { "id": "L-1", "email": "a@example.com" },
          "exchanges": [ { "request": { "method": "POST", "url": "https://crm.example/leads",
                                        "headers": { "x-token": "tok-0123456789" }, "json": { "email": "a@example.com" } },
                           "response": { "status": \(status), "json": { "id": 7 } } } ],
          "expect": \(expect) }
        """
    }

    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        try dir.write("integrations/demo.lua", Self.script)
        try dir.write("fixtures/demo/push-accepted.json", Self.fixture())
        try dir.write(
            "fixtures/demo/push-duplicate.json", Self.fixture(status: 409, expect: #"{ "outcome": "rejected", "reason": "duplicate" }"#))
    }

    override func tearDown() { dir = nil }

    func check(_ extra: [String] = []) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(["check", "--integrations", "integrations", "--fixtures", "fixtures"] + extra, in: dir.path)
    }

    func testAllPassIsZero() throws {
        let run = try check()
        XCTAssertEqual(run.status, 0, run.description)
        XCTAssertEqual(run.stdout, "checked 1 script(s), 2 case(s): 2 passed, 0 failed, 0 load error(s)\n", run.description)
        let verbose = try check(["--verbose"])
        XCTAssertEqual(verbose.status, 0, verbose.description)
        XCTAssertTrue(verbose.stdout.contains("ok   demo/push-accepted.json  status 200"), verbose.description)
    }

    func testTheDefaultDirectoriesAreRelativeToTheWorkingDirectory() throws {
        try dir.write("Tests/ScriptFixtures/demo/push-accepted.json", Self.fixture())
        let run = try LeadRelayProcess.run(["check"], in: dir.path)
        XCTAssertEqual(run.status, 0, run.description)
        XCTAssertTrue(run.stdout.contains("1 case(s): 1 passed"), run.description)
    }

    func testAFailingCaseIsOne() throws {
        try dir.write("fixtures/demo/push-wrong.json", Self.fixture(expect: #"{ "outcome": "accepted", "external_id": "8" }"#))
        let run = try check()
        XCTAssertEqual(run.status, 1, run.description)
        XCTAssertTrue(run.stdout.contains("FAIL demo/push-wrong.json  status 200"), run.description)
        XCTAssertTrue(run.stdout.contains(#"diff:  expect.external_id: expected "8", got "7""#), run.description)
        XCTAssertTrue(run.stdout.contains("3 case(s): 2 passed, 1 failed, 0 load error(s)"), run.description)
    }

    /// A request that differs from the fixture fails the case, with the secret masked.
    func testARequestDifferenceIsOneAndMasksTheSecret() throws {
        try dir.write(
            "fixtures/demo/push-wrong.json",
            Self.fixture().replacingOccurrences(of: #"{ "email": "a@example.com" }"#, with: #"{ "email": "b@example.com" }"#))
        let run = try check()
        XCTAssertEqual(run.status, 1, run.description)
        XCTAssertTrue(run.stdout.contains("exchanges[0].request.json$.email"), run.description)
        XCTAssertFalse(run.stdout.contains("tok-0123456789"), run.description)
    }

    func testALoadErrorIsTwo() throws {
        try dir.write("fixtures/demo/broken.json", #"{ "description": "d", "action": "push", "#)
        let run = try check()
        XCTAssertEqual(run.status, 2, run.description)
        XCTAssertTrue(run.stdout.contains("LOAD ERROR fixtures/demo/broken.json"), run.description)
        XCTAssertTrue(run.stdout.contains("not valid JSON"), run.description)
    }

    /// A load error outranks a failing case.
    func testALoadErrorBesideAFailureIsTwo() throws {
        try dir.write("fixtures/demo/push-wrong.json", Self.fixture(expect: #"{ "outcome": "rejected" }"#))
        try dir.write("fixtures/nosuch/case.json", Self.fixture())
        let run = try check()
        XCTAssertEqual(run.status, 2, run.description)
        XCTAssertTrue(run.stdout.contains("LOAD ERROR fixtures/nosuch: fixtures for an integration that does not exist"), run.description)
        XCTAssertTrue(run.stdout.contains("FAIL demo/push-wrong.json"), run.description)
    }

    func testAScriptThatDoesNotLoadIsTwo() throws {
        try dir.write("integrations/demo.lua", "local M = {\n  name = \"demo\",\n")
        let run = try check()
        XCTAssertEqual(run.status, 2, run.description)
        XCTAssertTrue(run.stdout.contains("LOAD ERROR integrations/demo.lua"), run.description)
    }

    func testAMissingScriptsDirectoryIsTwo() throws {
        let run = try LeadRelayProcess.run(["check", "--integrations", "nowhere", "--fixtures", "fixtures"], in: dir.path)
        XCTAssertEqual(run.status, 2, run.description)
        XCTAssertTrue(run.stdout.contains("LOAD ERROR nowhere"), run.description)
    }

    func testOnlyChecksOneIntegration() throws {
        try dir.write("integrations/other.lua", Self.script.replacingOccurrences(of: #"name = "demo""#, with: #"name = "other""#))
        try dir.write("fixtures/other/push-wrong.json", Self.fixture(expect: #"{ "outcome": "rejected" }"#))
        XCTAssertEqual(try check().status, 1)
        let run = try check(["--only", "demo"])
        XCTAssertEqual(run.status, 0, run.description)
        XCTAssertTrue(run.stdout.contains("checked 1 script(s), 2 case(s)"), run.description)
    }

    /// `--only` with a name no script has checks nothing: that must not read as a pass.
    func testOnlyWithAnUnknownIntegrationIsTwo() throws {
        let run = try check(["--only", "demoo"])
        XCTAssertEqual(run.status, 2, run.description)
        XCTAssertTrue(run.stdout.contains("demoo"), run.description)
    }

    func testJSONFormat() throws {
        try dir.write("fixtures/demo/push-wrong.json", Self.fixture(expect: #"{ "outcome": "accepted", "external_id": "8" }"#))
        let run = try check(["--format", "json"])
        XCTAssertEqual(run.status, 1, run.description)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.description)
        XCTAssertEqual(root["exit_code"] as? Int, 1)
        XCTAssertEqual(root["passed"] as? Int, 2)
        XCTAssertEqual(root["failed"] as? Int, 1)
        XCTAssertEqual(root["scripts"] as? [String], ["demo"])
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        XCTAssertEqual(
            cases.compactMap { $0["file"] as? String }.sorted(),
            ["fixtures/demo/push-accepted.json", "fixtures/demo/push-duplicate.json", "fixtures/demo/push-wrong.json"])
        let wrong = try XCTUnwrap(cases.first { $0["passed"] as? Bool == false })
        XCTAssertEqual(wrong["difference"] as? String, #"expect.external_id: expected "8", got "7""#)
    }

    func testJUnitFormat() throws {
        try dir.write("fixtures/demo/push-wrong.json", Self.fixture(expect: #"{ "outcome": "rejected" }"#))
        try dir.write("fixtures/demo/broken.json", "[]")
        let run = try check(["--format", "junit"])
        XCTAssertEqual(run.status, 2, run.description)
        let parser = XMLParser(data: Data(run.stdout.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? ""): \(run.stdout)")
        XCTAssertEqual(counter.names["testsuites"], 1)
        XCTAssertEqual(counter.names["testsuite"], 2)
        XCTAssertEqual(counter.names["testcase"], 4)
        XCTAssertEqual(counter.names["failure"], 1)
        XCTAssertEqual(counter.names["error"], 1)
        XCTAssertEqual(counter.root["tests"], "4")
        XCTAssertEqual(counter.root["failures"], "1")
        XCTAssertEqual(counter.root["errors"], "1")
    }

    func testAnUnknownFormatIsAUsageError() throws {
        let run = try check(["--format", "yaml"])
        XCTAssertEqual(run.status, 64, run.description)
        XCTAssertTrue(run.stderr.contains("--format"), run.description)
        XCTAssertTrue(run.stdout.isEmpty, run.description)
    }

    /// The repository's own scripts pass their fixtures (the CI gate, as a subprocess).
    func testTheRepositoryPasses() throws {
        let run = try LeadRelayProcess.run(["check"], in: LeadRelayProcess.root)
        XCTAssertEqual(run.status, 0, run.description)
        XCTAssertTrue(run.stdout.contains(" 0 failed, 0 load error(s)"), run.description)
    }
}

/// Counts the elements of an XML document and keeps the root's attributes.
final class ElementCounter: NSObject, XMLParserDelegate {
    var names: [String: Int] = [:]
    var root: [String: String] = [:]

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if names.isEmpty { root = attributes }
        names[name, default: 0] += 1
    }
}
