import Host
import OutboundHTTP
import Synchronization
import XCTest

@testable import IntegrationRuntime

/// Keeps every request it is given, unanswered until `answer` is called: what reached the
/// wrapped transport, in order.
final class HoldingTransport: HTTPTransport, @unchecked Sendable {
    // Safe: every access to `held` goes through the Mutex.
    let held = Mutex<[(request: OutboundRequest, completion: @Sendable (OutboundResponse) -> Void)]>([])

    func perform(_ request: OutboundRequest) async -> OutboundResponse {
        await withCheckedContinuation { c in perform(request) { c.resume(returning: $0) } }
    }

    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        held.withLock { $0.append((request, completion)) }
    }

    var urls: [String] { held.withLock { $0.map(\.request.url) } }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    let now = Mutex(0.0)
    func advance(by seconds: Double) { now.withLock { $0 += seconds } }
    var read: @Sendable () -> Double { { [self] in now.withLock { $0 } } }
}

/// The rate limiter under a `RateScope` (methods, per credential), on a hand-moved clock:
/// no test sleeps; `releaseDue()` stands for the limiter's timer firing.
final class RateScopeTransportTests: XCTestCase {
    let clock = ManualClock()

    func limited(_ base: HoldingTransport, _ limit: String, _ scope: RateScope) -> RateLimitedTransport {
        RateLimitedTransport(wrapping: base, limit: RateLimit(limit)!, scope: scope, margin: 0, clock: clock.read)
    }

    func request(_ method: String, _ path: String, credential: CredentialID? = nil, timeout: Double = 30) -> OutboundRequest {
        var r = OutboundRequest(method: method, url: "https://crm.example/\(path)", timeout: timeout)
        r.credential = credential
        return r
    }

    func credential(_ token: String) -> CredentialID { CredentialID(secrets: [Array(token.utf8)])! }

    func testALimitOnGETsLetsPostsThrough() {
        let base = HoldingTransport()
        let t = limited(base, "2/3s", RateScope(methods: ["GET"]))
        for i in 0..<3 { t.perform(request("GET", "get\(i)")) { _ in } }
        for i in 0..<3 { t.perform(request("POST", "post\(i)")) { _ in } }
        XCTAssertEqual(base.urls.map { String($0.split(separator: "/").last!) }, ["get0", "get1", "post0", "post1", "post2"])
        XCTAssertEqual(t.waiting, 1, "the third GET waits; no POST does")
        clock.advance(by: 3)
        t.releaseDue()
        XCTAssertEqual(base.urls.last, "https://crm.example/get2")
        XCTAssertEqual(t.waiting, 0)
    }

    func testTheStringFormStillHoldsEveryMethod() {
        let base = HoldingTransport()
        let t = limited(base, "1/3s", .all)
        t.perform(request("GET", "a")) { _ in }
        t.perform(request("POST", "b")) { _ in }
        XCTAssertEqual(base.urls, ["https://crm.example/a"])
        XCTAssertEqual(t.waiting, 1)
    }

    func testEachCredentialHasItsOwnBucket() {
        let base = HoldingTransport()
        let t = limited(base, "1/3s", RateScope(methods: ["GET"], perCredential: true))
        let a = credential("token-aaaaaaaa")
        let b = credential("token-bbbbbbbb")
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a, credential("token-aaaaaaaa"), "the same secret values are the same credential")
        t.perform(request("GET", "a1", credential: a)) { _ in }
        t.perform(request("GET", "a2", credential: a)) { _ in }
        t.perform(request("GET", "b1", credential: b)) { _ in }
        XCTAssertEqual(base.urls, ["https://crm.example/a1", "https://crm.example/b1"], "b does not wait behind a")
        XCTAssertEqual(t.waiting, 1)
        clock.advance(by: 3)
        t.releaseDue()
        XCTAssertEqual(base.urls.last, "https://crm.example/a2")
        XCTAssertEqual(t.laneCount, 1, "a holds a spent token; b, idle with a full bucket, is forgotten")
        clock.advance(by: 3)
        t.releaseDue()
        XCTAssertEqual(t.laneCount, 0, "idle lanes with full buckets are forgotten")
    }

    func testOneBucketForAllCredentialsUnlessPerCredential() {
        let base = HoldingTransport()
        let t = limited(base, "1/3s", RateScope(methods: ["GET"]))
        t.perform(request("GET", "a", credential: credential("token-aaaaaaaa"))) { _ in }
        t.perform(request("GET", "b", credential: credential("token-bbbbbbbb"))) { _ in }
        XCTAssertEqual(base.urls, ["https://crm.example/a"])
    }

    /// "Waiting for a rate-limit token does not count against a request's timeout": the
    /// wrapped transport (whose engines start the timeout when `perform` is called) gets the
    /// request only once its token is there, with its whole timeout, however long it waited.
    func testTheTimeoutStartsAfterTheTokenIsObtained() {
        let base = HoldingTransport()
        let t = limited(base, "1/1h", .all)
        t.perform(request("GET", "first", timeout: 5)) { _ in }
        t.perform(request("GET", "second", timeout: 5)) { _ in }
        clock.advance(by: 600)
        t.releaseDue()
        XCTAssertEqual(base.urls, ["https://crm.example/first"], "still waiting after 120 timeouts' worth of time")
        clock.advance(by: 3000)
        t.releaseDue()
        let sent = base.held.withLock { $0.map(\.request) }
        XCTAssertEqual(sent.map(\.url), ["https://crm.example/first", "https://crm.example/second"])
        XCTAssertEqual(sent.last?.timeout, 5, "the whole timeout, from the moment it is sent")
    }

    func testChangingTheScopeReleasesWhatItNoLongerHolds() {
        let base = HoldingTransport()
        let t = limited(base, "1/1h", .all)
        t.perform(request("GET", "g")) { _ in }
        t.perform(request("POST", "p")) { _ in }
        t.perform(request("GET", "g2")) { _ in }
        XCTAssertEqual(t.waiting, 2)
        t.setLimit(RateLimit("1/1h")!, scope: RateScope(methods: ["GET"]))
        XCTAssertEqual(
            base.urls, ["https://crm.example/g", "https://crm.example/p", "https://crm.example/g2"],
            "a new scope starts with a full bucket; the POST is no longer held")
        XCTAssertEqual(t.scope, RateScope(methods: ["GET"]))
    }
}
