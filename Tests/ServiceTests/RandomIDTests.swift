import Foundation
import XCTest

@testable import LeadRelayService

/// Lead and request ids are version-4 UUIDs in lowercase, as `UUID().uuidString` gave
/// before, and do not repeat.
final class RandomIDTests: XCTestCase {
    func testIdsAreLowercaseVersion4UUIDsThatDoNotRepeat() {
        var seen: Set<String> = []
        for _ in 0..<2000 {
            let id = RandomID.uuid()
            XCTAssertEqual(id.count, 36, id)
            XCTAssertEqual(id, id.lowercased())
            let parsed = UUID(uuidString: id)
            XCTAssertEqual(parsed?.uuidString.lowercased(), id, "not a UUID: \(id)")
            let characters = Array(id)
            XCTAssertEqual(characters[14], "4", "version: \(id)")
            XCTAssertTrue("89ab".contains(characters[19]), "variant: \(id)")
            seen.insert(id)
        }
        XCTAssertEqual(seen.count, 2000)
    }
}
