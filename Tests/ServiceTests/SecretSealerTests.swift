import Foundation
import XCTest

@testable import LeadRelayService

/// Secrets at rest: AES-GCM under a key from the environment or a private key file.
final class SecretSealerTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var directory = ""
    var keyFile: String { directory + "/leadrelay.key" }

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("key")
        directory = temporary.path
    }

    override func tearDownWithError() throws { temporary.remove() }

    func testASealedSecretOpensOnlyWithItsKeyAndInItsPlace() throws {
        let sealer = SecretSealer(key: try SecretKey.load(environment: [:], file: keyFile))
        let stored = try sealer.seal("tok-SECRET-42", context: "route/1/param/api_key")
        XCTAssertTrue(SecretSealer.isSealed(stored))
        XCTAssertFalse(stored.contains("tok-SECRET-42"))
        XCTAssertNotEqual(stored, try sealer.seal("tok-SECRET-42", context: "route/1/param/api_key"), "a fresh nonce each time")
        XCTAssertEqual(try sealer.open(stored, context: "route/1/param/api_key"), "tok-SECRET-42")
        XCTAssertThrowsError(try sealer.open(stored, context: "route/2/param/api_key")) { error in
            XCTAssertEqual(error as? SealError, .wrongKeyOrPlace(context: "route/2/param/api_key"))
        }
        let other = SecretSealer(key: try SecretKey.load(environment: [:], file: directory + "/other.key"))
        XCTAssertThrowsError(try other.open(stored, context: "route/1/param/api_key"))
        XCTAssertThrowsError(try sealer.open("tok-SECRET-42", context: "route/1/param/api_key")) { error in
            XCTAssertEqual(error as? SealError, .notSealed(context: "route/1/param/api_key"))
        }
    }

    func testTheKeyFileIsCreatedPrivateOnceAndReadBack() throws {
        let first = SecretSealer(key: try SecretKey.load(environment: [:], file: keyFile))
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let again = SecretSealer(key: try SecretKey.load(environment: [:], file: keyFile))
        let stored = try first.seal("pw", context: "c")
        XCTAssertEqual(try again.open(stored, context: "c"), "pw")
    }

    func testTheEnvironmentWinsAndMustHold32Bytes() throws {
        let text = Data(repeating: 7, count: 32).base64EncodedString()
        let fromEnvironment = SecretSealer(key: try SecretKey.load(environment: [SecretKey.environmentVariable: text], file: keyFile))
        XCTAssertFalse(FileManager.default.fileExists(atPath: keyFile), "no key file when the environment has the key")
        let same = SecretSealer(key: try SecretKey.load(environment: [SecretKey.environmentVariable: text + "\n"], file: keyFile))
        XCTAssertEqual(try same.open(try fromEnvironment.seal("x", context: "c"), context: "c"), "x")
        let short = Data(repeating: 7, count: 16).base64EncodedString()
        XCTAssertThrowsError(try SecretKey.load(environment: [SecretKey.environmentVariable: short], file: keyFile)) { error in
            XCTAssertEqual(error as? SecretKeyError, .malformed(source: SecretKey.environmentVariable))
            XCTAssertTrue("\(error)".contains("openssl rand -base64 32"))
        }
    }

    func testAKeyFileOthersCanReadIsRefused() throws {
        _ = try SecretKey.load(environment: [:], file: keyFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        XCTAssertThrowsError(try SecretKey.load(environment: [:], file: keyFile)) { error in
            XCTAssertEqual(error as? SecretKeyError, .notPrivate(file: keyFile, mode: "644"))
            XCTAssertTrue("\(error)".contains("chmod 600"))
        }
    }
}
