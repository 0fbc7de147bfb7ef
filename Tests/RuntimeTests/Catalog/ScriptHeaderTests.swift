import IntegrationRuntime
import XCTest

/// The header comment convention `leadrelay catalog` reads (docs/writing-integrations.md,
/// "The header comment").
final class ScriptHeaderTests: XCTestCase {
    func testSummaryAndDocumentParagraphs() throws {
        let header = try ScriptHeader.parse(
            """
            --[[
            Leadpond: push leads,
            read their statuses.

            Document: Leadpond "Affiliate API v3",
              https://docs.leadpond.example/affiliate-api

            Params: ...
            ]]
            local M = {}
            """, file: "integrations/leadpond.lua")
        XCTAssertEqual(header.summary, "Leadpond: push leads, read their statuses.")
        XCTAssertEqual(header.document, "Leadpond \"Affiliate API v3\", https://docs.leadpond.example/affiliate-api")
    }

    func assertRefused(_ source: String, mentions: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try ScriptHeader.parse(source, file: "integrations/leadpond.lua")
            XCTFail("header accepted", file: file, line: line)
        } catch {
            XCTAssertTrue(error.description.hasPrefix("integrations/leadpond.lua:"), error.description, file: file, line: line)
            XCTAssertTrue(error.description.contains(mentions), error.description, file: file, line: line)
        }
    }

    func testAScriptWithoutAHeaderCommentIsRefused() {
        assertRefused("-- Leadpond\nlocal M = {}\n", mentions: "does not open with a header comment")
    }

    func testAHeaderWithoutADocumentLineIsRefused() {
        assertRefused("--[[\nLeadpond: push leads.\n\nAPI: v3\n]]\n", mentions: "no line starting \"Document:\"")
    }

    func testAnEmptyDocumentLineIsRefused() {
        assertRefused("--[[\nLeadpond: push leads.\n\nDocument:\n\n]]\n", mentions: "names no document")
    }

    func testAnUnclosedHeaderIsRefused() {
        assertRefused("--[[\nLeadpond: push leads.\nDocument: x\n", mentions: "not closed")
    }
}
