import Foundation
import IntegrationRuntime
import XCTest

/// `leadrelay run`'s credential store: one JSON file, created 0600 on the first write (its
/// directory 0700), replaced atomically, read afresh under a lock by every operation.
final class FileCredentialStoreTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "leadrelay-credentials-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var path: String { directory + "/config/credentials.json" }

    private func permissions(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testNothingIsWrittenUntilTheFirstSet() throws {
        let store = FileCredentialStore(path: path)
        XCTAssertNil(try store.credential("refresh_token", in: "amocrm/1"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testTheFileIsTheOwnersOnlyAndHoldsTheScopes() throws {
        let store = FileCredentialStore(path: path)
        XCTAssertTrue(try store.setCredential("refresh_token", to: "rt-1", in: "amocrm/1", ifCurrent: .absent))
        XCTAssertEqual(try permissions(path), 0o600)
        XCTAssertEqual(try permissions(directory + "/config"), 0o700)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, #"{"amocrm/1":{"refresh_token":"rt-1"}}"# + "\n")
        // Another store on the same file (another `run`) reads it.
        XCTAssertEqual(try FileCredentialStore(path: path).credential("refresh_token", in: "amocrm/1"), "rt-1")
    }

    func testAWriteReplacesTheFileByRenameLeavingNoTemporaryFile() throws {
        let store = FileCredentialStore(path: path)
        XCTAssertTrue(try store.setCredential("refresh_token", to: "rt-1", in: "amocrm/1", ifCurrent: .anything))
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber
        XCTAssertTrue(try store.setCredential("refresh_token", to: "rt-2", in: "amocrm/1", ifCurrent: .value("rt-1")))
        let after = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber
        // A new file renamed over the old one: never the old file rewritten in place.
        XCTAssertNotNil(before)
        XCTAssertNotEqual(before, after)
        XCTAssertEqual(try permissions(path), 0o600)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory + "/config").sorted()
        XCTAssertEqual(left, ["credentials.json", "credentials.json.lock"])
    }

    func testCompareAndSetHoldsBetweenTwoStoresOnOneFile() throws {
        let first = FileCredentialStore(path: path)
        let second = FileCredentialStore(path: path)
        XCTAssertTrue(try first.setCredential("refresh_token", to: "rt-1", in: "bitrix24/1", ifCurrent: .anything))
        XCTAssertTrue(try second.setCredential("refresh_token", to: "rt-2", in: "bitrix24/1", ifCurrent: .value("rt-1")))
        XCTAssertFalse(try first.setCredential("refresh_token", to: "rt-3", in: "bitrix24/1", ifCurrent: .value("rt-1")))
        XCTAssertEqual(try first.credential("refresh_token", in: "bitrix24/1"), "rt-2")
    }

    func testOtherScopesAndKeysAreKeptAndDeleteRemoves() throws {
        let store = FileCredentialStore(path: path)
        XCTAssertTrue(try store.setCredential("a", to: "1", in: "amocrm/1", ifCurrent: .anything))
        XCTAssertTrue(try store.setCredential("b", to: "2", in: "amocrm/2", ifCurrent: .anything))
        XCTAssertTrue(try store.setCredential("a", to: nil, in: "amocrm/1", ifCurrent: .value("1")))
        XCTAssertEqual(try store.values(in: "amocrm/1"), [:])
        XCTAssertEqual(try store.values(in: "amocrm/2"), ["b": "2"])
    }

    func testABrokenFileIsAnErrorNamingIt() throws {
        try FileManager.default.createDirectory(atPath: directory + "/config", withIntermediateDirectories: true)
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try FileCredentialStore(path: path).credential("k", in: "amocrm/1")) { error in
            XCTAssertTrue("\(error)".hasPrefix(self.path + ": not valid JSON"), "\(error)")
        }
    }

    func testTheDefaultPathFollowsXDG() {
        XCTAssertEqual(
            FileCredentialStore.defaultPath(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/u"]),
            "/x/cfg/leadrelay/credentials.json")
        XCTAssertEqual(FileCredentialStore.defaultPath(environment: ["HOME": "/home/u"]), "/home/u/.config/leadrelay/credentials.json")
    }
}
