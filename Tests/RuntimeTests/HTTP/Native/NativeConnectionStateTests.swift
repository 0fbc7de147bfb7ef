import XCTest

@testable import OutboundHTTP

/// A native connection's I/O state, driven as the events the loop reports (a socket opened,
/// a handshake step, bytes sent or read, the end of the stream): no socket, no TLS traffic,
/// no sleep. Events that do not fit the phase change nothing and return `.none`.
final class NativeConnectionStateTests: XCTestCase {
    typealias State = NativeConnectionState

    private let e1 = NativeConnectionStateTests.exchange("e1")
    private let e2 = NativeConnectionStateTests.exchange("e2")

    /// An exchange named by its path; nothing sends it.
    private static func exchange(_ name: String) -> NativeExchange {
        NativeExchange(
            target: try! WireTarget(url: "http://a.test/\(name)"), bytes: [], expectsNoBody: false,
            maxResponseBytes: 1 << 20, started: 0, deadline: .max, completion: { _ in })
    }

    /// A TLS session on no socket (the state only holds it): OpenSSL is never asked to talk.
    private func tlsSession() throws -> TLSSession {
        let context = try TLSContext(verify: false, trustedCertificatesFile: nil)
        return try XCTUnwrap(
            TLSSession(
                context: context, fd: -1, origin: e1.origin, isIPAddress: false,
                sessions: TLSSessionCache()))
    }

    private func name(_ exchange: NativeExchange) -> String {
        exchange === e1 ? "e1" : exchange === e2 ? "e2" : "another exchange"
    }

    /// The action as a short sentence, so that a test reads as the connection's decisions.
    private func describe(_ action: State.Action) -> String {
        switch action {
        case .none: "none"
        case .connect(let address): "connect \(address)"
        case .fail(let failure, let detail): "fail \(failure): \(detail)"
        case .startTLS(let fd): "start TLS on \(fd)"
        case .ready(let exchange): "ready for \(name(exchange))"
        case .watchWrites(let fd, let on): "watch \(fd) \(on ? "for writes" : "for reads only")"
        case .failHandshake(let detail): "fail handshake: \(detail)"
        case .complete(let transfer, let reusable):
            "complete \(name(transfer.exchange)) with \(transfer.parser.status)\(reusable ? ", reusable" : "")"
        case .broke(let detail, let answerStarted): "broke\(answerStarted ? " after the answer started" : ""): \(detail)"
        case .dropIdle(let cleanly): cleanly ? "drop idle cleanly" : "drop idle"
        }
    }

    private func address(_ literal: String) -> IPAddress { IPAddress(literal: literal)! }

    private func receive(_ text: String, on state: inout State) -> String {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { describe(state.received($0)) }
    }

    private func parser() -> ResponseParser { ResponseParser(expectsNoBody: false, maxBodyBytes: 1 << 20) }

    /// A plain connection on socket 7, idle after connecting for `e1`.
    private func idle() -> State {
        var state = State(opening: e1)
        state.resolved([address("127.0.0.1")])
        _ = state.nextAddress(allowedBy: .allowingLocalNetworks)
        state.socketOpened(7)
        XCTAssertEqual(describe(state.connectSucceeded(secure: false)), "ready for e1")
        return state
    }

    /// Sending `size` bytes of `e1` on a plain connection on socket 7, every byte sent.
    private func exchanging(size: Int = 10) -> State {
        var state = idle()
        XCTAssertNotNil(state.begin(e1, size: size, parser: parser()))
        state.sent(size)
        return state
    }

    // MARK: - Connecting

    func testAddressesAreTriedInOrderAndTheLastConnectErrorIsReported() {
        var state = State(opening: e1)
        XCTAssertTrue(state.isResolving)
        state.resolved([address("127.0.0.1"), address("::1")])
        XCTAssertEqual(describe(state.nextAddress(allowedBy: .allowingLocalNetworks)), "connect \(address("127.0.0.1"))")
        XCTAssertNil(state.connectFailed("socket: Too many open files"), "no socket was open")
        XCTAssertEqual(describe(state.nextAddress(allowedBy: .allowingLocalNetworks)), "connect \(address("::1"))")
        state.socketOpened(9)
        XCTAssertEqual(state.connectFailed("connect to h port 80: Connection refused")?.fd, 9, "the socket to close")
        XCTAssertTrue(state.isResolving)
        XCTAssertTrue(state.exchange === e1, "the exchange stays with the connection")
        XCTAssertEqual(
            describe(state.nextAddress(allowedBy: .allowingLocalNetworks)),
            "fail connect: connect to h port 80: Connection refused")
    }

    func testAddressesTheEgressPolicyRefusesEndInAnEgressRefusal() {
        var state = State(opening: e1)
        state.resolved([address("127.0.0.1")])
        XCTAssertTrue(describe(state.nextAddress(allowedBy: .publicOnly)).hasPrefix("fail egressRefused: "))
    }

    func testAPlainConnectionIsReadyOnceConnectedAndSendsItsRequestInPieces() {
        var state = idle()
        XCTAssertNil(state.exchange, "idle until the loop begins the exchange")
        XCTAssertEqual(state.connected?.fd, 7)
        XCTAssertNotNil(state.begin(e1, size: 10, parser: parser()))
        XCTAssertTrue(state.isExchanging)
        XCTAssertEqual(state.transfer?.written, 0)
        state.sent(4)
        XCTAssertEqual(state.transfer?.written, 4)
        XCTAssertFalse(state.sentAll)
        state.sent(6)
        XCTAssertEqual(state.transfer?.written, 10)
        XCTAssertTrue(state.sentAll)
        XCTAssertEqual(describe(state.watchWrites(false)), "watch 7 for reads only", "connecting watched for writes")
        XCTAssertEqual(describe(state.watchWrites(false)), "none", "already so")
        XCTAssertEqual(describe(state.watchWrites(true)), "watch 7 for writes")
    }

    func testASecureConnectionHandshakesBeforeItIsReady() throws {
        var state = State(opening: e1)
        state.resolved([address("127.0.0.1")])
        _ = state.nextAddress(allowedBy: .allowingLocalNetworks)
        state.socketOpened(7)
        XCTAssertEqual(describe(state.connectSucceeded(secure: true)), "start TLS on 7")
        XCTAssertNil(state.tls)
        let session = try tlsSession()
        state.tlsStarted(session)
        XCTAssertTrue(state.tls === session)
        XCTAssertEqual(describe(state.handshake(.wantRead)), "watch 7 for reads only")
        XCTAssertEqual(describe(state.handshake(.wantRead)), "none")
        XCTAssertEqual(describe(state.handshake(.wantWrite)), "watch 7 for writes")
        XCTAssertEqual(describe(state.handshake(.done(0))), "ready for e1")
        XCTAssertTrue(state.connected?.tls === session)
        XCTAssertNotNil(state.begin(e2, size: 3, parser: parser()))
        XCTAssertTrue(state.exchange === e2)
    }

    func testAFailedHandshakeSaysWhy() throws {
        for (step, expected) in [
            (TLSSession.Step.closed, "the server closed the connection during the TLS handshake"),
            (.failed("TLS handshake failed: bad certificate"), "TLS handshake failed: bad certificate"),
        ] {
            var state = State(opening: e1)
            state.resolved([address("127.0.0.1")])
            _ = state.nextAddress(allowedBy: .allowingLocalNetworks)
            state.socketOpened(7)
            _ = state.connectSucceeded(secure: true)
            state.tlsStarted(try tlsSession())
            XCTAssertEqual(describe(state.handshake(step)), "fail handshake: \(expected)")
        }
    }

    // MARK: - Answers

    func testAWholeAnswerInPiecesCompletesTheExchangeOnAReusableConnection() {
        var state = exchanging()
        XCTAssertEqual(receive("HTTP/1.1 200 OK\r\nContent-Le", on: &state), "none")
        XCTAssertEqual(receive("ngth: 2\r\n\r\nok", on: &state), "complete e1 with 200, reusable")
        XCTAssertFalse(state.isExchanging)
        XCTAssertNil(state.exchange)
        XCTAssertNotNil(state.begin(e2, size: 5, parser: parser()), "idle again: the next exchange can begin")
    }

    func testTheCompletedTransferHoldsTheWholeResponseFedInPieces() {
        var state = exchanging()
        XCTAssertEqual(receive("HTTP/1.1 201 Created\r\nContent-Length: 10\r\nX-Id: 7\r\n\r\nhello", on: &state), "none")
        let action = Array("world".utf8).withUnsafeBytes { state.received($0) }
        guard case .complete(let transfer, reusable: true) = action else { return XCTFail("not complete: \(describe(action))") }
        XCTAssertTrue(transfer.exchange === e1)
        XCTAssertEqual(transfer.written, 10)
        let response = transfer.parser.response(elapsed: 0)
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "helloworld")
        XCTAssertEqual(response.headers.first { $0.name.lowercased() == "x-id" }?.value, "7")
    }

    func testTheNextExchangeOnAConnectionStartsFromNothingAndReadsOnlyItsOwnAnswer() throws {
        var state = exchanging()
        XCTAssertEqual(
            receive("HTTP/1.1 200 OK\r\nX-First: 1\r\nContent-Length: 5\r\n\r\nfirst", on: &state), "complete e1 with 200, reusable")
        let transfer = try XCTUnwrap(state.begin(e2, size: 3, parser: parser()))
        XCTAssertTrue(transfer.exchange === e2)
        XCTAssertEqual(transfer.written, 0)
        XCTAssertEqual(transfer.size, 3)
        XCTAssertFalse(state.sentAll)
        XCTAssertTrue(transfer.parser.isUntouched, "nothing of the first answer is left")
        XCTAssertEqual(describe(state.broke("recv: reset")), "broke: recv: reset", "no answer started yet")
        state.sent(3)
        XCTAssertEqual(receive("HTTP/1.1 202 Accepted\r\nContent-Le", on: &state), "none")
        let action = Array("ngth: 6\r\n\r\nsecond".utf8).withUnsafeBytes { state.received($0) }
        guard case .complete(let second, reusable: true) = action else { return XCTFail("not complete: \(describe(action))") }
        let response = second.parser.response(elapsed: 0)
        XCTAssertEqual(response.status, 202)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "second")
        XCTAssertNil(response.headers.first { $0.name.lowercased() == "x-first" }, "the first answer's headers are gone")
    }

    func testAConnectionIsNotReusedAfterCloseOrExtraBytesOrAnAnswerBeforeTheWholeRequest() {
        var closing = exchanging()
        XCTAssertEqual(
            receive("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", on: &closing),
            "complete e1 with 200")
        var extra = exchanging()
        XCTAssertEqual(receive("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1", on: &extra), "complete e1 with 204")
        var early = idle()
        XCTAssertNotNil(early.begin(e1, size: 10, parser: parser()))
        early.sent(3)
        XCTAssertEqual(receive("HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\n\r\n", on: &early), "complete e1 with 413")
    }

    func testAMalformedAnswerFailsTheExchange() {
        var state = exchanging()
        XCTAssertTrue(receive("SMTP ready\r\n\r\n", on: &state).hasPrefix("fail "))
    }

    func testTheEndOfTheStreamCompletesAnAnswerFramedByItAndBreaksOneCutShort() {
        var untilClose = exchanging()
        XCTAssertEqual(receive("HTTP/1.1 200 OK\r\n\r\nsome", on: &untilClose), "none")
        XCTAssertTrue(describe(untilClose.endOfStream()).hasPrefix("complete e1 with 200"))

        var untouched = exchanging()
        XCTAssertEqual(describe(untouched.endOfStream()), "broke: the server closed the connection without answering")

        var cut = exchanging()
        XCTAssertEqual(receive("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nok", on: &cut), "none")
        XCTAssertEqual(
            describe(cut.endOfStream()),
            "broke after the answer started: the server closed the connection in the middle of the response")
    }

    func testAnErrorUnderAnExchangeIsABreakAndOnAnIdleConnectionAFailure() {
        var busy = exchanging()
        XCTAssertEqual(describe(busy.broke("recv: Connection reset by peer")), "broke: recv: Connection reset by peer")
        var quiet = idle()
        XCTAssertEqual(describe(quiet.broke("recv: Connection reset by peer")), "fail other: recv: Connection reset by peer")
    }

    func testAnIdleConnectionTheServerClosesOrTalksOnIsDropped() {
        var closed = idle()
        XCTAssertEqual(describe(closed.endOfStream()), "drop idle cleanly")
        var talking = idle()
        XCTAssertEqual(receive("HTTP/1.1 408 Request Timeout\r\n\r\n", on: &talking), "drop idle")
    }

    // MARK: - Closing and events out of place

    func testClosingHandsBackWhatToReleaseOnce() {
        var state = exchanging()
        let closing = state.close()
        XCTAssertEqual(closing?.socket?.fd, 7)
        XCTAssertTrue(closing?.exchange === e1)
        XCTAssertFalse(closing?.wasResolving ?? true)
        XCTAssertTrue(state.isClosed)
        XCTAssertNil(state.close(), "closing twice releases nothing twice")

        var resolving = State(opening: e2)
        let early = resolving.close()
        XCTAssertNil(early?.socket)
        XCTAssertTrue(early?.wasResolving ?? false)
        XCTAssertTrue(early?.exchange === e2)
    }

    func testEventsAfterCloseChangeNothing() {
        var state = exchanging()
        _ = state.close()
        XCTAssertEqual(receive("HTTP/1.1 200 OK\r\n\r\n", on: &state), "none")
        XCTAssertEqual(describe(state.endOfStream()), "none")
        XCTAssertEqual(describe(state.broke("late")), "none")
        XCTAssertEqual(describe(state.watchWrites(true)), "none")
        XCTAssertEqual(describe(state.handshake(.done(0))), "none")
        XCTAssertEqual(describe(state.connectSucceeded(secure: false)), "none")
        XCTAssertEqual(describe(state.nextAddress(allowedBy: .allowingLocalNetworks)), "none")
        XCTAssertNil(state.begin(e2, size: 1, parser: parser()))
        state.sent(5)
        state.socketOpened(3)
        XCTAssertTrue(state.isClosed)
        XCTAssertNil(state.exchange)
        XCTAssertNil(state.connected)
    }

    func testEventsOfAnotherPhaseAreIgnored() throws {
        var resolving = State(opening: e1)
        XCTAssertEqual(describe(resolving.connectSucceeded(secure: false)), "none", "no socket yet")
        resolving.tlsStarted(try tlsSession())
        XCTAssertNil(resolving.tls)
        XCTAssertNil(resolving.begin(e2, size: 1, parser: parser()), "not connected")
        XCTAssertTrue(resolving.exchange === e1)
        XCTAssertEqual(describe(resolving.endOfStream()), "none")

        var busy = exchanging()
        XCTAssertNil(busy.begin(e2, size: 1, parser: parser()), "one exchange at a time")
        XCTAssertTrue(busy.exchange === e1)
        XCTAssertNil(busy.connectFailed("late"), "connected: nothing to retry")
        XCTAssertTrue(busy.isExchanging)
    }
}
