import XCTest

@testable import OutboundHTTP

/// The native pool's decisions, driven as events with the time given: no socket, no sleep.
final class NativePoolStateTests: XCTestCase {
    struct Request: PoolRequest {
        let name: String
        let origin: WireTarget.Origin
        let started: UInt64
        let deadline: UInt64
    }

    typealias Pool = NativePoolState<Request>

    private let a = WireTarget.Origin(secure: false, host: "a.test", port: 80)
    private let b = WireTarget.Origin(secure: true, host: "b.test", port: 443)
    private let idleLimit: UInt64 = 1_000

    private func pool(perOrigin: Int = 2, total: Int = 10) -> Pool {
        Pool(limits: .init(maxPerOrigin: perOrigin, maxTotal: total, connectTimeout: 100, idleLimit: idleLimit))
    }

    private func request(_ name: String, _ origin: WireTarget.Origin, at started: UInt64 = 0, deadline: UInt64 = 10_000)
        -> Request
    {
        Request(name: name, origin: origin, started: started, deadline: deadline)
    }

    /// The actions as short sentences, so that a test reads as the pool's decisions.
    private func describe(_ actions: Pool.Actions) -> [String] {
        actions.map { action in
            switch action {
            case .open(let id, let request): "open #\(id.value) for \(request.name)"
            case .begin(let request, let id): "begin \(request.name) on #\(id.value)"
            case .close(let id, let cleanly): cleanly ? "close #\(id.value)" : "drop #\(id.value)"
            case .fail(let request, let failure): "fail \(request.name): \(failure)"
            case .abort(let id, let request, let failure): "abort #\(id.value) with \(request.name): \(failure)"
            }
        }
    }

    private func id(_ value: Int) -> PoolConnectionID { PoolConnectionID(value: value) }

    func testAnIdleConnectionOfTheOriginIsReused() {
        var pool = pool()
        XCTAssertEqual(describe(pool.submit(request("a1", a), now: 0)), ["open #0 for a1"])
        pool.connected(id(0))
        XCTAssertEqual(describe(pool.released(id(0), reusable: true, now: 5)), [])
        XCTAssertEqual(describe(pool.submit(request("a2", a), now: 6)), ["begin a2 on #0"])
        XCTAssertEqual(pool.openConnections(of: a), 1)
    }

    func testAConnectionThatCannotBeReusedIsClosedAndTheNextRequestGetsANewOne() {
        var pool = pool(perOrigin: 1)
        _ = pool.submit(request("a1", a), now: 0)
        XCTAssertEqual(describe(pool.submit(request("a2", a), now: 1)), [])
        pool.connected(id(0))
        XCTAssertEqual(describe(pool.released(id(0), reusable: false, now: 2)), ["close #0", "open #1 for a2"])
    }

    func testThePerOriginLimitMakesRequestsWaitForAConnectionOfTheirOrigin() {
        var pool = pool(perOrigin: 2)
        XCTAssertEqual(describe(pool.submit(request("a1", a), now: 0)), ["open #0 for a1"])
        XCTAssertEqual(describe(pool.submit(request("a2", a), now: 0)), ["open #1 for a2"])
        XCTAssertEqual(describe(pool.submit(request("a3", a), now: 0)), [])
        XCTAssertEqual(pool.waitingCount(of: a), 1)
        XCTAssertEqual(describe(pool.submit(request("b1", b), now: 0)), ["open #2 for b1"], "another origin has its own limit")
        pool.connected(id(1))
        XCTAssertEqual(describe(pool.released(id(1), reusable: true, now: 1)), ["begin a3 on #1"])
        XCTAssertEqual(pool.waitingCount(of: a), 0)
    }

    func testTheTotalLimitIsSharedBetweenOrigins() {
        var pool = pool(perOrigin: 3, total: 2)
        XCTAssertEqual(describe(pool.submit(request("a1", a), now: 0)), ["open #0 for a1"])
        XCTAssertEqual(describe(pool.submit(request("a2", a), now: 0)), ["open #1 for a2"])
        XCTAssertEqual(describe(pool.submit(request("b1", b), now: 0)), [])
        XCTAssertEqual(pool.totalOpen, 2)
        pool.connected(id(0))
        XCTAssertEqual(
            describe(pool.released(id(0), reusable: true, now: 1)), ["close #0", "open #2 for b1"],
            "the slot goes to the origin that waits, not to idleness")
        XCTAssertEqual(pool.totalOpen, 2)
    }

    /// Under the total limit, waiting origins are served in the order their requests came:
    /// a busy origin that keeps adding requests does not keep the connection to itself.
    func testTheFreedSlotGoesToTheOriginWhoseRequestWaitedLongest() {
        var pool = pool(perOrigin: 4, total: 1)
        _ = pool.submit(request("a1", a, at: 0), now: 0)
        pool.connected(id(0))
        _ = pool.submit(request("a2", a, at: 1), now: 1)
        _ = pool.submit(request("a3", a, at: 2), now: 2)
        _ = pool.submit(request("b1", b, at: 3), now: 3)
        _ = pool.submit(request("a4", a, at: 4), now: 4)
        XCTAssertEqual(describe(pool.released(id(0), reusable: true, now: 5)), ["begin a2 on #0"])
        XCTAssertEqual(describe(pool.released(id(0), reusable: true, now: 6)), ["begin a3 on #0"])
        XCTAssertEqual(
            describe(pool.released(id(0), reusable: true, now: 7)), ["close #0", "open #1 for b1"],
            "b1 came before a4")
        pool.connected(id(1))
        XCTAssertEqual(describe(pool.released(id(1), reusable: true, now: 8)), ["close #1", "open #2 for a4"])
        pool.connected(id(2))
        XCTAssertEqual(describe(pool.released(id(2), reusable: true, now: 9)), [])
        XCTAssertEqual(pool.totalOpen, 1)
    }

    func testRoomUnderTheTotalLimitIsMadeByClosingTheLongestIdleConnection() {
        var pool = pool(perOrigin: 2, total: 2)
        let c = WireTarget.Origin(secure: false, host: "c.test", port: 80)
        _ = pool.submit(request("a1", a), now: 0)
        _ = pool.submit(request("b1", b), now: 0)
        pool.connected(id(0))
        pool.connected(id(1))
        _ = pool.released(id(1), reusable: true, now: 3)
        _ = pool.released(id(0), reusable: true, now: 4)
        XCTAssertEqual(describe(pool.submit(request("c1", c), now: 5)), ["close #1", "open #2 for c1"])
        XCTAssertEqual(describe(pool.submit(request("a2", a), now: 6)), ["begin a2 on #0"])
    }

    func testAClosedConnectionFreesItsSlotForTheOriginWaitingLongest() {
        var pool = pool(perOrigin: 2, total: 1)
        _ = pool.submit(request("a1", a, at: 0), now: 0)
        _ = pool.submit(request("b1", b, at: 1), now: 1)
        _ = pool.submit(request("a2", a, at: 2), now: 2)
        XCTAssertEqual(describe(pool.closed(id(0), now: 3)), ["open #1 for b1"])
        XCTAssertEqual(describe(pool.closed(id(0), now: 3)), [], "a connection closes once")
        XCTAssertEqual(describe(pool.closed(id(1), now: 4)), ["open #2 for a2"])
    }

    func testAnIdleConnectionExpiresAfterTheIdleLimit() {
        var pool = pool()
        _ = pool.submit(request("a1", a, deadline: 50), now: 0)
        pool.connected(id(0))
        _ = pool.released(id(0), reusable: true, now: 10)
        XCTAssertEqual(describe(pool.tick(now: 50)), [])
        XCTAssertEqual(pool.nextDeadline, 10 + idleLimit)
        XCTAssertEqual(describe(pool.tick(now: 10 + idleLimit - 1)), [])
        XCTAssertEqual(describe(pool.tick(now: 10 + idleLimit)), ["close #0"])
        XCTAssertEqual(pool.openConnections(of: a), 0)
        XCTAssertEqual(pool.nextDeadline, .max)
        XCTAssertEqual(describe(pool.submit(request("a2", a), now: 2_000)), ["open #1 for a2"])
    }

    func testADeadKeptAliveConnectionIsRetriedOnceOnAFreshOne() {
        var pool = pool()
        _ = pool.submit(request("a1", a), now: 0)
        pool.connected(id(0))
        _ = pool.released(id(0), reusable: true, now: 1)
        _ = pool.submit(request("a2", a), now: 2)
        XCTAssertEqual(
            describe(pool.broke(id(0), detail: "reset", answerStarted: false, now: 3)),
            ["drop #0", "open #1 for a2"])
        pool.connected(id(1))
        XCTAssertEqual(describe(pool.released(id(1), reusable: true, now: 4)), [])
        _ = pool.submit(request("a3", a), now: 5)
        XCTAssertEqual(
            describe(pool.broke(id(1), detail: "reset", answerStarted: true, now: 6)),
            ["abort #1 with a3: broken(detail: \"reset\")"], "part of the answer came: not sent again")
    }

    func testARetriedRequestIsNotRetriedTwice() {
        var pool = pool()
        _ = pool.submit(request("a0", a), now: 0)
        _ = pool.submit(request("a1", a), now: 0)
        pool.connected(id(0))
        pool.connected(id(1))
        _ = pool.released(id(0), reusable: true, now: 1)
        _ = pool.released(id(1), reusable: true, now: 1)
        _ = pool.submit(request("a2", a), now: 2)
        XCTAssertEqual(
            describe(pool.broke(id(1), detail: "reset", answerStarted: false, now: 3)),
            ["drop #1", "open #2 for a2"])
        pool.connected(id(2))
        XCTAssertEqual(
            describe(pool.broke(id(2), detail: "reset", answerStarted: false, now: 4)),
            ["abort #2 with a2: broken(detail: \"reset\")"])
    }

    /// The retry goes on a fresh connection, not on another kept-alive one that may be just
    /// as stale (docs/http-transport.md: "goes again once on a fresh connection").
    func testARetryOpensAFreshConnectionRatherThanTakingAnotherIdleOne() {
        var pool = pool()
        _ = pool.submit(request("a0", a), now: 0)
        _ = pool.submit(request("a1", a), now: 0)
        pool.connected(id(0))
        pool.connected(id(1))
        _ = pool.released(id(0), reusable: true, now: 1)
        _ = pool.released(id(1), reusable: true, now: 1)
        XCTAssertEqual(describe(pool.submit(request("a2", a), now: 2)), ["begin a2 on #1"])
        XCTAssertEqual(
            describe(pool.broke(id(1), detail: "reset", answerStarted: false, now: 3)),
            ["drop #1", "open #2 for a2"], "not \"begin a2 on #0\"")
        XCTAssertEqual(pool.openConnections(of: a), 2)
        XCTAssertEqual(describe(pool.submit(request("a3", a), now: 4)), ["begin a3 on #0"], "#0 stays idle until then")
    }

    func testAFreshConnectionThatBreaksIsNotRetried() {
        var pool = pool()
        _ = pool.submit(request("a1", a), now: 0)
        pool.connected(id(0))
        XCTAssertEqual(
            describe(pool.broke(id(0), detail: "closed", answerStarted: false, now: 1)),
            ["abort #0 with a1: broken(detail: \"closed\")"])
        XCTAssertEqual(pool.totalOpen, 0)
    }

    func testDeadlinesWhileWaitingConnectingAndForTheAnswer() {
        var pool = pool(perOrigin: 1)
        _ = pool.submit(request("a1", a, deadline: 300), now: 0)
        _ = pool.submit(request("a2", a, deadline: 200), now: 0)
        _ = pool.submit(request("b1", b, deadline: 1_000), now: 0)
        XCTAssertEqual(pool.nextDeadline, 100, "the connect timeout comes first")
        pool.connected(id(0))
        XCTAssertEqual(describe(pool.tick(now: 99)), [], "not due yet")
        XCTAssertEqual(describe(pool.tick(now: 100)), ["abort #1 with b1: connectTimedOut"])
        XCTAssertEqual(pool.nextDeadline, 200)
        XCTAssertEqual(describe(pool.tick(now: 200)), ["fail a2: waitedForConnection"])
        XCTAssertEqual(describe(pool.tick(now: 300)), ["abort #0 with a1: noAnswerInTime"])
        XCTAssertEqual(pool.totalOpen, 0)
        XCTAssertEqual(pool.nextDeadline, .max)
    }

    func testAnAnswerDeadlineFreesTheSlotForAWaitingRequest() {
        var pool = pool(perOrigin: 1)
        _ = pool.submit(request("a1", a, deadline: 50), now: 0)
        _ = pool.submit(request("a2", a, deadline: 500), now: 1)
        pool.connected(id(0))
        XCTAssertEqual(describe(pool.tick(now: 60)), ["abort #0 with a1: noAnswerInTime", "open #1 for a2"])
        XCTAssertEqual(pool.nextDeadline, 160, "the new connection's connect deadline")
    }

    func testAnIdleConnectionTheServerClosedFreesItsSlot() {
        var pool = pool(perOrigin: 1)
        _ = pool.submit(request("a1", a), now: 0)
        pool.connected(id(0))
        _ = pool.released(id(0), reusable: true, now: 1)
        XCTAssertEqual(describe(pool.closed(id(0), now: 2)), [])
        XCTAssertEqual(pool.openConnections(of: a), 0)
        XCTAssertEqual(describe(pool.submit(request("a2", a), now: 3)), ["open #1 for a2"], "not a begin on the closed one")
    }

    func testARetryUsesTheSlotItsDeadConnectionFreedAndLeavesOtherOriginsAlone() {
        var pool = pool(perOrigin: 2, total: 2)
        _ = pool.submit(request("a1", a), now: 0)
        _ = pool.submit(request("b1", b), now: 0)
        pool.connected(id(0))
        pool.connected(id(1))
        _ = pool.released(id(0), reusable: true, now: 1)
        _ = pool.released(id(1), reusable: true, now: 2)
        _ = pool.submit(request("a2", a), now: 3)
        XCTAssertEqual(
            describe(pool.broke(id(0), detail: "reset", answerStarted: false, now: 4)),
            ["drop #0", "open #2 for a2"])
        XCTAssertEqual(pool.totalOpen, 2)
        XCTAssertEqual(describe(pool.submit(request("b2", b), now: 5)), ["begin b2 on #1"])
    }

    func testARequestWhoseDeadlinePassesWhileConnectingHasNoAnswerInTime() {
        var pool = pool()
        _ = pool.submit(request("a1", a, deadline: 40), now: 0)
        XCTAssertEqual(pool.nextDeadline, 40)
        XCTAssertEqual(describe(pool.tick(now: 40)), ["abort #0 with a1: noAnswerInTime"])
    }

    /// The pool looks at every origin it knows on many events: it knows only those in use.
    func testAnOriginWithNoConnectionAndNoWaitingRequestIsForgotten() {
        var pool = pool(perOrigin: 1)
        _ = pool.submit(request("a1", a, deadline: 5_000), now: 0)
        _ = pool.submit(request("a2", a, deadline: 50), now: 0)
        _ = pool.submit(request("b1", b), now: 0)
        pool.connected(id(0))
        pool.connected(id(1))
        XCTAssertEqual(describe(pool.tick(now: 50)), ["fail a2: waitedForConnection"])
        _ = pool.released(id(1), reusable: false, now: 60)
        XCTAssertEqual(Set(pool.origins.keys), [a], "b has nothing left")
        _ = pool.released(id(0), reusable: true, now: 70)
        XCTAssertEqual(Set(pool.origins.keys), [a], "a keeps its idle connection")
        _ = pool.tick(now: 70 + idleLimit)
        XCTAssertTrue(pool.origins.isEmpty)
        XCTAssertEqual(describe(pool.submit(request("a3", a), now: 2_000)), ["open #2 for a3"])
    }

    func testShutdownReturnsEveryRequestItHolds() {
        var pool = pool(perOrigin: 1)
        _ = pool.submit(request("a1", a), now: 0)
        _ = pool.submit(request("a2", a), now: 0)
        _ = pool.submit(request("b1", b), now: 0)
        pool.connected(id(1))
        _ = pool.released(id(1), reusable: true, now: 1)
        XCTAssertEqual(pool.shutdown().map(\.name).sorted(), ["a1", "a2"])
        XCTAssertEqual(pool.totalOpen, 0)
        XCTAssertEqual(describe(pool.submit(request("a3", a), now: 2)), ["open #2 for a3"])
    }
}
