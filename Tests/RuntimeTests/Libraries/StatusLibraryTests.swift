import Foundation
import Host
import IntegrationRuntime
import XCTest

/// integrations/lib/status.lua run by the host, as a script's `require("lib.status")` gets
/// it: the call-centre words of every language it knows, their spellings, unknown words,
/// and a script's own words through `extend`.
final class StatusLibraryTests: XCTestCase {
    static let integrations = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("integrations").path

    var vm: LuaVM!

    override func setUpWithError() throws {
        let catalog = try IntegrationCatalog.scan(Self.integrations)
        vm = try LuaVM(libraries: catalog.libraries)
    }

    /// `stage(raw)` for each raw word (nil as "nil"), one line each.
    func stages(_ words: [String], through function: String = "require('lib.status').stage") throws -> [String] {
        let list = words.map { "[==[\($0)]==]" }.joined(separator: ", ")
        let listing = try vm.value(
            """
            local stage = \(function)
            local out = {}
            for i, word in ipairs({ \(list) }) do out[i] = tostring(stage(word)) end
            return table.concat(out, "\\n")
            """)
        return (listing ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func assertStages(_ expected: [(String, String)], file: StaticString = #filePath, line: UInt = #line) throws {
        let got = try stages(expected.map(\.0))
        for (index, (word, stage)) in expected.enumerated() {
            XCTAssertEqual(got[index], stage, "stage of \"\(word)\"", file: file, line: line)
        }
    }

    func testEnglish() throws {
        try assertStages([
            ("No answer", "wait"), ("Callback", "wait"), ("Call back", "wait"), ("Busy", "wait"),
            ("On hold", "hold"), ("Potential", "hold"),
            ("Deposited", "approve"), ("FTD", "approve"), ("Depositor", "approve"),
            ("Not interested", "cancel"), ("Declined", "cancel"), ("Do not call", "cancel"),
            ("Wrong number", "trash"), ("Invalid", "trash"), ("Duplicate", "trash"), ("Under age", "trash"),
        ])
    }

    func testRussian() throws {
        try assertStages([
            ("Недозвон", "wait"), ("Перезвонить", "wait"), ("Нет ответа", "wait"),
            ("В холде", "hold"),
            ("Депозит", "approve"), ("Одобрен", "approve"),
            ("Не интересно", "cancel"), ("Отказ", "cancel"),
            ("Неверный номер", "trash"), ("Дубль", "trash"), ("Фейк", "trash"),
        ])
    }

    func testSpanish() throws {
        try assertStages([
            ("No contesta", "wait"), ("Volver a llamar", "wait"), ("Llamar más tarde", "wait"),
            ("En espera", "hold"),
            ("Depósito", "approve"), ("Depositado", "approve"),
            ("No interesado", "cancel"), ("Sin interés", "cancel"),
            ("Número equivocado", "trash"), ("Duplicado", "trash"), ("Menor de edad", "trash"),
        ])
    }

    func testPortuguese() throws {
        try assertStages([
            ("Não atende", "wait"), ("Ligar depois", "wait"), ("Caixa postal", "wait"),
            ("Em espera", "hold"),
            ("Depósito", "approve"), ("Aprovado", "approve"),
            ("Sem interesse", "cancel"), ("Não interessado", "cancel"),
            ("Número errado", "trash"), ("Número inválido", "trash"), ("Teste", "trash"),
        ])
    }

    func testCaseAccentsSpacingAndPunctuationDoNotMatter() throws {
        try assertStages([
            ("  NO ANSWER  ", "wait"), ("no_answer", "wait"), ("Call-Back", "wait"), ("no   answer", "wait"),
            ("НЕДОЗВОН", "wait"), ("не  интересно", "cancel"), ("ДЕПОЗИТ ВНЕСЁН", "approve"),
            ("NUMERO EQUIVOCADO", "trash"), ("NÚMERO EQUIVOCADO", "trash"), ("nao atende", "wait"),
            ("NÃO ATENDE", "wait"), ("Wrong number.", "trash"),
        ])
    }

    func testUnknownWordsAndOddValuesGiveNil() throws {
        try assertStages([("Qualified lead", "nil"), ("", "nil"), ("   ", "nil"), ("answer", "nil"), ("\u{FF}\u{FE}", "nil")])
        XCTAssertEqual(try vm.value("return tostring(require('lib.status').stage(nil))"), "nil")
        XCTAssertEqual(try vm.value("return tostring(require('lib.status').stage({}))"), "nil")
        XCTAssertEqual(try vm.value("return tostring(require('lib.status').normalize(' Não  ATENDE! '))"), "nao atende")
    }

    func testExtendReadsTheScriptsWordsFirst() throws {
        let got = try stages(
            ["Qualified", "Busy", "No answer"],
            through: "require('lib.status').extend({ Qualified = 'hold', BUSY = 'cancel' })")
        XCTAssertEqual(got, ["hold", "cancel", "wait"])
    }

    func testExtendRefusesAWordThatIsNotAStage() throws {
        guard case .failure(let error) = vm.evaluate("return require('lib.status').extend({ Qualified = 'accepted' })") else {
            return XCTFail("extend took a word that is not a stage")
        }
        XCTAssertTrue(error.message.contains("\"accepted\" is not a stage"), error.message)
    }
}
