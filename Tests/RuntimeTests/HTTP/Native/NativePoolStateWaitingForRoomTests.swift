import XCTest

@testable import OutboundHTTP

/// Origins waiting for room under the total limit: a freed slot reaches the origin whose
/// request waited longest among those that can open a connection (docs/http-transport.md,
/// "Waiting for a free connection"), whatever freed it.
final class NativePoolStateWaitingForRoomTests: XCTestCase {
    typealias Request = NativePoolStateTests.Request

    typealias Pool = NativePoolState<Request>

    private let a = WireTarget.Origin(secure: false, host: "a.test", port: 80)
    private let b = WireTarget.Origin(secure: false, host: "b.test", port: 80)
    private let c = WireTarget.Origin(secure: false, host: "c.test", port: 80)
    private let idleLimit: UInt64 = 1_000

    private func pool(perOrigin: Int, total: Int) -> Pool {
        Pool(limits: .init(maxPerOrigin: perOrigin, maxTotal: total, connectTimeout: 100, idleLimit: idleLimit))
    }

    private func request(_ name: String, _ origin: WireTarget.Origin, at started: UInt64) -> Request {
        Request(name: name, origin: origin, started: started, deadline: 100_000)
    }

    private func opened(_ actions: Pool.Actions) -> [String] {
        actions.compactMap { if case .open(_, let request) = $0 { request.name } else { nil } }
    }

    /// A connection that breaks under its request (not retried) frees its slot: the origin
    /// waiting for room gets it, rather than b1 waiting until its deadline in an empty pool.
    func testABrokenConnectionsSlotGoesToAnotherOriginWaitingForRoom() {
        var pool = pool(perOrigin: 1, total: 1)
        _ = pool.submit(request("a1", a, at: 0), now: 0)
        XCTAssertTrue(pool.submit(request("b1", b, at: 1), now: 1).isEmpty, "b1 waits for room")
        pool.connected(PoolConnectionID(value: 0))
        let actions = pool.broke(PoolConnectionID(value: 0), detail: "reset", answerStarted: true, now: 2)
        XCTAssertEqual(opened(actions), ["b1"])
        XCTAssertEqual(pool.waitingCount(of: b), 0)
        XCTAssertEqual(pool.totalOpen, 1)
    }

    /// An origin whose requests first waited for its own per-origin limit, and then for room
    /// under the total once it had lost its connections, is served by the next freed slot:
    /// a2 must not wait until its deadline while the pool empties.
    func testAnOriginThatLostItsConnectionsWhileWaitingIsServedWhenRoomFrees() {
        var pool = pool(perOrigin: 1, total: 2)
        _ = pool.submit(request("a1", a, at: 0), now: 0)  // #0
        _ = pool.submit(request("b1", b, at: 0), now: 0)  // #1
        _ = pool.submit(request("c1", c, at: 1), now: 1)  // waits for room (total)
        _ = pool.submit(request("a2", a, at: 2), now: 2)  // waits for a's own limit
        pool.connected(PoolConnectionID(value: 0))
        pool.connected(PoolConnectionID(value: 1))
        // a1's answer says Connection: close; c1 waited longer than a2, so it takes the slot.
        XCTAssertEqual(opened(pool.released(PoolConnectionID(value: 0), reusable: false, now: 3)), ["c1"])
        pool.connected(PoolConnectionID(value: 2))
        // c1 and b1 are answered: a2 (waiting since 2) must get a slot now.
        var started = opened(pool.released(PoolConnectionID(value: 2), reusable: true, now: 4))
        started += opened(pool.released(PoolConnectionID(value: 1), reusable: true, now: 5))
        // Even once every idle connection expired and the pool is empty:
        started += opened(pool.tick(now: 5 + idleLimit))
        XCTAssertEqual(started, ["a2"], "a2 must not wait for its deadline while slots are free")
        XCTAssertEqual(pool.waitingCount(of: a), 0)
    }

    /// A slot is handed over only to an origin that can use it: c, which waits for room but
    /// has meanwhile reached its own per-origin limit, is passed by for a3, so that closing
    /// b's reusable connection does not leave a slot empty while a3 waits.
    func testAHandedOverSlotIsNotWastedOnAnOriginAtItsOwnLimit() {
        var pool = pool(perOrigin: 1, total: 2)
        _ = pool.submit(request("a1", a, at: 0), now: 0)  // #0
        _ = pool.submit(request("b1", b, at: 0), now: 0)  // #1
        _ = pool.submit(request("c1", c, at: 2), now: 2)  // waits for room
        _ = pool.submit(request("c2", c, at: 3), now: 3)
        pool.connected(PoolConnectionID(value: 0))
        pool.connected(PoolConnectionID(value: 1))
        XCTAssertEqual(opened(pool.released(PoolConnectionID(value: 0), reusable: true, now: 4)), ["c1"])
        _ = pool.submit(request("a3", a, at: 5), now: 5)  // waits for room
        let actions = pool.released(PoolConnectionID(value: 1), reusable: true, now: 7)
        XCTAssertEqual(opened(actions), ["a3"], "b's freed slot must reach a3, not vanish on c (at its own limit)")
        XCTAssertEqual(pool.totalOpen, 2)
    }

    /// A new request of an origin that waits for room goes behind its origin's waiting
    /// requests, even when an idle connection could be closed for it: a3 must not take a
    /// slot before a2.
    func testANewRequestDoesNotGoAheadOfItsOriginsWaitingOnes() {
        var pool = pool(perOrigin: 1, total: 2)
        _ = pool.submit(request("a1", a, at: 0), now: 0)  // #0
        _ = pool.submit(request("b1", b, at: 0), now: 0)  // #1
        _ = pool.submit(request("c1", c, at: 1), now: 1)  // waits for room
        _ = pool.submit(request("a2", a, at: 2), now: 2)  // waits for a's own limit
        pool.connected(PoolConnectionID(value: 0))
        pool.connected(PoolConnectionID(value: 1))
        XCTAssertEqual(opened(pool.released(PoolConnectionID(value: 0), reusable: false, now: 3)), ["c1"])
        var started = opened(pool.released(PoolConnectionID(value: 1), reusable: true, now: 4))
        started += opened(pool.submit(request("a3", a, at: 5), now: 5))
        XCTAssertEqual(started, ["a2"], "a's oldest request first; a3 waits behind it")
        XCTAssertEqual(pool.waitingCount(of: a), 1)
    }
}
