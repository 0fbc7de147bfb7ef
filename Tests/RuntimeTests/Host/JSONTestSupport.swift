import Host
import XCTest

extension LuaVM {
    /// The error message of `code`, failing the test when it succeeds.
    func errorMessage(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        switch evaluate(code) {
        case .success(let v):
            XCTFail("expected an error, got \(v ?? "nil")", file: file, line: line)
            return ""
        case .failure(let e):
            return e.message
        }
    }
}
