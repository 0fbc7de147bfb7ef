import Foundation
import XCTest

@testable import IntegrationRuntime

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `leadrelay check --format junit`, parsed back with XMLParser: well-formed whatever the
/// messages hold, the structure CI tools read (testsuites > testsuite > testcase, failure
/// and error elements with their messages) and counts that agree with the elements.
final class CheckReportJUnitTests: XCTestCase {
    func testItIsWellFormedAndTheStructureMatchesTheReport() throws {
        let report = CheckReportFormatTests.report
        let root = try XMLElementTree.parse(report.junit())
        XCTAssertEqual(root.name, "testsuites")
        XCTAssertEqual(root.attributes["name"], "leadrelay check")
        XCTAssertEqual(root.attributes["tests"], "5")
        XCTAssertEqual(root.attributes["failures"], "2")
        XCTAssertEqual(root.attributes["errors"], "1")
        XCTAssertEqual(root.children.map(\.name), ["testsuite", "testsuite", "testsuite"])
        XCTAssertEqual(root.children.map { $0.attributes["name"] }, ["load", "alpha", "beta"])

        // Every suite's counts are those of its elements, and they add up to the root's.
        var tests = 0
        var failures = 0
        var errors = 0
        for suite in root.children {
            let cases = suite.children
            XCTAssertTrue(cases.allSatisfy { $0.name == "testcase" }, suite.description)
            XCTAssertEqual(suite.attributes["tests"], String(cases.count), suite.description)
            let f = cases.flatMap(\.children).filter { $0.name == "failure" }.count
            let e = cases.flatMap(\.children).filter { $0.name == "error" }.count
            XCTAssertEqual(suite.attributes["failures"], String(f), suite.description)
            XCTAssertEqual(suite.attributes["errors"], String(e), suite.description)
            tests += cases.count
            failures += f
            errors += e
        }
        XCTAssertEqual(String(tests), root.attributes["tests"])
        XCTAssertEqual(String(failures), root.attributes["failures"])
        XCTAssertEqual(String(errors), root.attributes["errors"])
    }

    func testFailuresAndErrorsCarryTheirMessages() throws {
        let root = try XMLElementTree.parse(CheckReportFormatTests.report.junit())
        let load = try XCTUnwrap(root.children.first { $0.attributes["name"] == "load" })
        let loadCase = try XCTUnwrap(load.children.first)
        XCTAssertEqual(loadCase.attributes["classname"], "load")
        XCTAssertEqual(loadCase.attributes["name"], "fx/gamma/bad.json")
        XCTAssertEqual(loadCase.children.first?.name, "error")
        XCTAssertEqual(loadCase.children.first?.attributes["message"], #"fx/gamma/bad.json:3: not valid JSON: <unexpected "&">"#)

        let alpha = try XCTUnwrap(root.children.first { $0.attributes["name"] == "alpha" })
        XCTAssertEqual(alpha.children.map { $0.attributes["name"] }, ["push-accepted.json", "push-dup.json"])
        XCTAssertEqual(alpha.children.map { $0.attributes["classname"] }, ["alpha", "alpha"])
        XCTAssertTrue(alpha.children[0].children.isEmpty, "a passing case has no failure")
        let failure = try XCTUnwrap(alpha.children[1].children.first)
        XCTAssertEqual(failure.name, "failure")
        XCTAssertEqual(failure.attributes["message"], #"expect.reason: expected "duplicate", got "unknown""#)
        XCTAssertTrue(failure.text.contains("fx/alpha/push-dup.json"), failure.text)
        XCTAssertTrue(failure.text.contains("at integrations/alpha.lua:12 (parse_status)"), failure.text)

        // The newline of a message survives in the attribute (written as a reference).
        let beta = try XCTUnwrap(root.children.first { $0.attributes["name"] == "beta" })
        let betaFailure = try XCTUnwrap(beta.children.first { $0.attributes["name"] == "status.json" }?.children.first)
        let message = try XCTUnwrap(betaFailure.attributes["message"])
        XCTAssertTrue(message.hasPrefix(#"exchanges[0].request.body: expected "a", got "b"#), message)
        XCTAssertTrue(message.contains("\nline two\ttab"), message)
        // Control characters XML cannot hold are shown escaped.
        XCTAssertTrue(message.contains(#"got "b\u{1}\u{1b}[0m""#), message)
    }

    /// `time` is an `xs:decimal` in the JUnit schema: no exponent (`4e-05`), no `inf`.
    func testTimesAreDecimals() throws {
        let root = try XMLElementTree.parse(CheckReportFormatTests.report.junit())
        var times: [String] = []
        for suite in root.children where suite.attributes["name"] != "load" {
            times.append(try XCTUnwrap(suite.attributes["time"], suite.description))
            times += suite.children.compactMap { $0.attributes["time"] }
        }
        XCTAssertEqual(times.count, 2 + 4)
        for time in times {
            XCTAssertNotNil(time.wholeMatch(of: /[0-9]+(\.[0-9]+)?/), "time=\"\(time)\" is not an xs:decimal")
        }
        let alpha = try XCTUnwrap(root.children.first { $0.attributes["name"] == "alpha" })
        XCTAssertEqual(try XCTUnwrap(Double(alpha.attributes["time"] ?? "")), 0.25004, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(Double(alpha.children[1].attributes["time"] ?? "")), 0.00004, accuracy: 1e-6)
    }

    func testAnEmptyReportIsAnEmptyTestsuites() throws {
        let root = try XMLElementTree.parse(CheckReport().junit())
        XCTAssertEqual(root.name, "testsuites")
        XCTAssertEqual(root.attributes["tests"], "0")
        XCTAssertEqual(root.attributes["failures"], "0")
        XCTAssertEqual(root.attributes["errors"], "0")
        XCTAssertTrue(root.children.isEmpty)
    }
}

/// An XML element read back by XMLParser: name, attributes, child elements and text.
final class XMLElementTree: CustomStringConvertible {
    let name: String
    let attributes: [String: String]
    var children: [XMLElementTree] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    var description: String { "<\(name) \(attributes.sorted { $0.key < $1.key })>" }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// The document's root element, or the parser's error (a document that is not well-formed).
    static func parse(_ text: String) throws -> XMLElementTree {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(
                description:
                    "not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "no root")) at line \(parser.lineNumber):\n\(text)")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLElementTree?
        var stack: [XMLElementTree] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = XMLElementTree(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
