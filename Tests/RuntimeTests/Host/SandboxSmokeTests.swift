import Host
import XCTest

final class SandboxSmokeTests: XCTestCase {
    func testRunsCode() throws {
        let vm = try LuaVM()
        XCTAssertEqual(try vm.value("return 1 + 2"), "3")
        XCTAssertEqual(try vm.value("return type(io)"), "nil")
        XCTAssertEqual(try vm.value("return type(string.dump)"), "nil")
    }
}
