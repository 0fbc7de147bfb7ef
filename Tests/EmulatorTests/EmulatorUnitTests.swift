import XCTest

@testable import NetworkEmulators

/// The value types behind the emulators, without I/O.
final class EmulatorUnitTests: XCTestCase {
    func testTimelineStates() {
        let t = StatusTimeline.standard
        XCTAssertEqual(t.state(after: 0), .new)
        XCTAssertEqual(t.state(after: 59.9), .new)
        XCTAssertEqual(t.state(after: 60), .noAnswer)
        XCTAssertEqual(t.state(after: 180), .deposited)
        XCTAssertEqual(t.since(after: 200), 180)
        let custom = StatusTimeline([.init(.deposited, after: 10)])
        XCTAssertEqual(custom.steps.first?.state, .new, "a new step at 0 is added")
        XCTAssertEqual(custom.state(after: 10), .deposited)
    }

    func testIREVGetWindow() {
        var guards = IREVRequestGuards()
        for n in 0..<10 { XCTAssertNil(guards.admitGet(token: "t", at: 100 + Double(n) * 0.1)) }
        XCTAssertEqual(guards.admitGet(token: "t", at: 101)!, 2, accuracy: 0.001)
        XCTAssertNil(guards.admitGet(token: "other", at: 101), "per token")
        XCTAssertNil(guards.admitGet(token: "t", at: 103), "the first GET left the window")
    }

    func testIREVIdenticalBodyWindow() {
        var guards = IREVRequestGuards()
        let body = Array(#"{"ip":"1.1.1.1"}"#.utf8)
        XCTAssertNil(guards.admitPost(token: "t", body: body, at: 0))
        XCTAssertEqual(guards.admitPost(token: "t", body: body, at: 30), 90)
        XCTAssertNil(guards.admitPost(token: "t", body: body + [32], at: 30), "another body")
        XCTAssertNil(guards.admitPost(token: "u", body: body, at: 30), "another token")
        XCTAssertNil(guards.admitPost(token: "t", body: body, at: 120))
    }

    func testIREVTrimming() {
        XCTAssertEqual(IREVEmulator.trimmed(String(repeating: "a", count: 512)).count, 512)
        XCTAssertEqual(IREVEmulator.trimmed(String(repeating: "a", count: 513)), String(repeating: "a", count: 512) + "<..>")
    }

    func testClixnowRules() {
        XCTAssertTrue(ClixnowValidation.passwordOK("Xy7!pass"))
        XCTAssertFalse(ClixnowValidation.passwordOK("Xy7!pas"))
        XCTAssertFalse(ClixnowValidation.passwordOK("Password123"))
        XCTAssertTrue(ClixnowValidation.phoneOK("+4915112345678"))
        XCTAssertFalse(ClixnowValidation.phoneOK("+49 151"))
        let problems = ClixnowValidation.problems(["firstName": "A", "email": "nope"]) ?? [:]
        XCTAssertEqual(Set(problems.keys), ["lastName", "email", "phone", "password", "countryCode"])
    }

    func testFormCodec() {
        XCTAssertEqual(FormCodec.decode("a=1&b=x+y&c=%C3%A9&d"), ["a": "1", "b": "x y", "c": "é", "d": ""])
        XCTAssertEqual(FormCodec.encode([("a b", "é&=")]), "a%20b=%C3%A9%26%3D")
    }

    func testDates() {
        XCTAssertEqual(EmulatorFormat.parseDate("2026-01-01T00:03Z"), 1_767_225_780)
        XCTAssertEqual(EmulatorFormat.parseDate("2026-01-01 00:03:00"), 1_767_225_780)
        XCTAssertEqual(EmulatorFormat.parseDate("2026-01-01", endOfDay: true), 1_767_225_600 + 86_399)
        XCTAssertNil(EmulatorFormat.parseDate("yesterday"))
        XCTAssertEqual(EmulatorFormat.isoMillis(1_767_225_780), "2026-01-01T00:03:00.000Z")
    }

    func testCredentialNames() throws {
        var c = EmulatorCredentials()
        for name in EmulatorCredentials.names { try c.set(name, to: name + "-v") }
        XCTAssertEqual(c.trackboxPullAPIKey, "trackbox-pull-v")
        XCTAssertThrowsError(try c.set("bogus", to: "x"))
    }
}
