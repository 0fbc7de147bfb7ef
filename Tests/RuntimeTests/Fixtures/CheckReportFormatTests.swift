import Foundation
import Host
import XCTest

@testable import IntegrationRuntime

/// The three renderings of `leadrelay check`'s report: text for people, JSON and JUnit XML
/// for CI. The machine formats are read back with independent parsers (JSONSerialization,
/// XMLParser) and their counts checked against the report.
final class CheckReportFormatTests: XCTestCase {
    /// Two integrations, a passing and a failing case each, a load error and a warning; the
    /// failing texts carry every character XML escapes, and a control character.
    static let report: CheckReport = {
        var r = CheckReport()
        r.scripts = ["alpha", "beta"]
        r.warnings = ["beta: parameter \"token\" is secret but short"]
        r.loadErrors = [ScriptLoadError(file: "fx/gamma/bad.json", line: 3, message: "not valid JSON: <unexpected \"&\">")]
        r.cases = [
            CaseReport(integration: "alpha", file: "fx/alpha/push-accepted.json", description: "accepted", seconds: 0.25),
            CaseReport(
                integration: "alpha", file: "fx/alpha/push-dup.json", description: "a duplicate & <more>",
                difference: #"expect.reason: expected "duplicate", got "unknown""#,
                location: "integrations/alpha.lua:12 (parse_status)", seconds: 0.00004),
            CaseReport(
                integration: "beta", file: "fx/beta/status.json", description: "updates",
                difference: "exchanges[0].request.body: expected \"a\", got \"b\u{1}\u{1b}[0m\"\nline two\ttab", seconds: 1.5),
            CaseReport(integration: "beta", file: "fx/beta/push.json", description: "push", seconds: 0),
        ]
        return r
    }()

    func testExitCodes() {
        XCTAssertEqual(Self.report.exitCode, 2)
        var failing = Self.report
        failing.loadErrors = []
        XCTAssertEqual(failing.exitCode, 1)
        var passing = failing
        passing.cases = passing.cases.filter(\.passed)
        XCTAssertEqual(passing.exitCode, 0)
        XCTAssertEqual(CheckReport().exitCode, 0)
    }

    func testText() {
        let lines = Self.report.text().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, #"LOAD ERROR fx/gamma/bad.json:3: not valid JSON: <unexpected "&">"#)
        XCTAssertTrue(lines.contains("warning: beta: parameter \"token\" is secret but short"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("FAIL alpha/push-dup.json  a duplicate & <more>"))
        XCTAssertTrue(lines.contains(#"     diff:  expect.reason: expected "duplicate", got "unknown""#))
        XCTAssertTrue(lines.contains("     case:  fx/alpha/push-dup.json"))
        XCTAssertTrue(lines.contains("     at:    integrations/alpha.lua:12 (parse_status)"))
        XCTAssertTrue(lines.contains("FAIL beta/status.json  updates"))
        XCTAssertFalse(lines.contains { $0.hasPrefix("ok ") }, "passing fixtures are listed only with --verbose")
        XCTAssertEqual(lines.last, "checked 2 script(s), 4 case(s): 2 passed, 2 failed, 1 load error(s)")

        let verbose = Self.report.text(verbose: true).split(separator: "\n").map(String.init)
        XCTAssertTrue(verbose.contains("ok   alpha/push-accepted.json  accepted"), verbose.joined(separator: "\n"))
        XCTAssertTrue(verbose.contains("ok   beta/push.json  push"))
        XCTAssertEqual(verbose.filter { $0.hasPrefix("ok ") }.count, 2)
    }

    func testTextOfACleanRun() {
        var r = CheckReport()
        r.scripts = ["alpha"]
        r.cases = [CaseReport(integration: "alpha", file: "fx/alpha/a.json", description: "a", seconds: 0.1)]
        XCTAssertEqual(r.text(), "checked 1 script(s), 1 case(s): 1 passed, 0 failed, 0 load error(s)")
    }

    func testJSON() throws {
        let text = Self.report.json()
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(Set(root.keys), ["scripts", "cases", "load_errors", "warnings", "passed", "failed", "exit_code"])
        XCTAssertEqual(root["scripts"] as? [String], ["alpha", "beta"])
        XCTAssertEqual(root["passed"] as? Int, 2)
        XCTAssertEqual(root["failed"] as? Int, 2)
        XCTAssertEqual(root["exit_code"] as? Int, 2)
        XCTAssertEqual(root["warnings"] as? [String], Self.report.warnings)
        let errors = try XCTUnwrap(root["load_errors"] as? [[String: Any]])
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors.first?["file"] as? String, "fx/gamma/bad.json")
        XCTAssertEqual(errors.first?["line"] as? Int, 3)
        XCTAssertEqual(errors.first?["message"] as? String, #"not valid JSON: <unexpected "&">"#)
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 4)
        for (json, c) in zip(cases, Self.report.cases) {
            XCTAssertEqual(json["integration"] as? String, c.integration)
            XCTAssertEqual(json["file"] as? String, c.file)
            XCTAssertEqual(json["description"] as? String, c.description)
            XCTAssertEqual(json["passed"] as? Bool, c.passed)
            XCTAssertEqual(json["difference"] as? String, c.difference)
            XCTAssertEqual(json["location"] as? String, c.location)
            XCTAssertEqual(try XCTUnwrap(json["seconds"] as? Double), c.seconds, accuracy: 1e-9)
        }
        XCTAssertNil(cases[0]["difference"])
        XCTAssertNil(cases[0]["location"])
    }

    func testJSONOfALoadErrorWithoutALine() throws {
        var r = CheckReport()
        r.loadErrors = [ScriptLoadError(file: "integrations", message: "no such directory")]
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        let error = try XCTUnwrap((root["load_errors"] as? [[String: Any]])?.first)
        XCTAssertNil(error["line"])
        XCTAssertEqual(root["exit_code"] as? Int, 2)
        XCTAssertEqual((root["cases"] as? [Any])?.count, 0)
    }
}
