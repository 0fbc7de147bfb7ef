import Dispatch
import Foundation
import Host
import IntegrationRuntime
import OutboundHTTP
import Synchronization
import XCTest

/// Answers at once with 200, noting when each request arrived (monotonic seconds) and its URL.
final class StampingTransport: HTTPTransport {
    let seen = Mutex<[(at: Double, url: String)]>([])

    func perform(_ request: OutboundRequest) async -> OutboundResponse {
        await withCheckedContinuation { c in perform(request) { c.resume(returning: $0) } }
    }

    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        seen.withLock { $0.append((Double(SystemClock.monotonicNanos()) / 1e9, request.url)) }
        completion(OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: Array("{}".utf8)))
    }

    var stamps: [Double] { seen.withLock { $0.map(\.at) } }
}

final class RateLimitedTransportTests: XCTestCase {
    static let limit = RateLimit("5/0.3s")!

    /// `count` requests at once through a 5 per 0.3 s limit; returns when all were answered.
    func burst(_ count: Int, through transport: RateLimitedTransport) async -> Double {
        let start = Double(SystemClock.monotonicNanos()) / 1e9
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<count {
                group.addTask { _ = await transport.perform(OutboundRequest(url: "https://crm.example/\(i)")) }
            }
        }
        return start
    }

    func assertNoWindowHoldsMoreThanTheLimit(_ stamps: [Double], file: StaticString = #filePath, line: UInt = #line) {
        let sorted = stamps.sorted()
        for i in sorted.indices where i + Self.limit.count < sorted.count {
            let gap = sorted[i + Self.limit.count] - sorted[i]
            // Stamps are taken when the request reaches the wrapped transport, after its token
            // was taken: a loaded machine (ASan, other builds) can delay one stamp by tens of
            // milliseconds, so 100 ms of slack. Without the limit the gap is ~0; with it, at
            // least the window plus the limiter's own margin (0.25 s here).
            XCTAssertGreaterThanOrEqual(gap, Self.limit.seconds - 0.1, "6 requests within \(gap) s", file: file, line: line)
        }
    }

    func testABurstGoesThroughExactlyFivePerWindowInOrder() async {
        let base = StampingTransport()
        let limited = RateLimitedTransport(wrapping: base, limit: Self.limit)
        let requests = (0..<15).map { OutboundRequest(url: "https://crm.example/\($0)") }
        let start = Double(SystemClock.monotonicNanos()) / 1e9
        let done = Mutex(0)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            for request in requests {
                limited.perform(request) { _ in
                    if done.withLock({
                        $0 += 1; return $0
                    }) == requests.count {
                        c.resume()
                    }
                }
            }
        }
        let seen = base.seen.withLock { $0 }
        XCTAssertEqual(seen.count, 15)
        XCTAssertEqual(seen.map(\.url), requests.map(\.url), "waiting requests leave in the order they came")
        XCTAssertEqual(seen.filter { $0.at - start < Self.limit.seconds }.count, 5, "exactly 5 in the first window")
        assertNoWindowHoldsMoreThanTheLimit(seen.map(\.at))
        XCTAssertEqual(limited.waiting, 0)
    }

    func testTheAsyncFormWaitsForItsToken() async {
        let base = StampingTransport()
        let limited = RateLimitedTransport(wrapping: base, limit: Self.limit)
        let start = await burst(11, through: limited)
        let stamps = base.stamps.sorted()
        XCTAssertEqual(stamps.count, 11)
        XCTAssertGreaterThanOrEqual(stamps[10] - start, 2 * Self.limit.seconds - 0.001, "the 11th waits two windows")
        assertNoWindowHoldsMoreThanTheLimit(stamps)
    }

    func testOneBucketIsSharedByAllTheVMsOfAPool() async throws {
        let base = StampingTransport()
        let limited = RateLimitedTransport(wrapping: base, limit: Self.limit)
        let code = TestScripts.script(
            prepare: "return { url = ctx.params.base_url .. '/leads', json = { id = lead.id } }",
            parse: "return { outcome = 'accepted' }")
        let pool = try IntegrationPool(
            source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua",
            transport: limited, workers: 4)
        defer { pool.shutdown() }
        let results = await withTaskGroup(of: Outcome?.self) { group in
            for i in 0..<12 {
                group.addTask { await pool.run(CallInput(action: .push, lead: .object(["id": .string("L\(i)")]), now: 0)).outcome }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(results, Array(repeating: Outcome(.accepted), count: 12))
        XCTAssertEqual(base.stamps.count, 12)
        assertNoWindowHoldsMoreThanTheLimit(base.stamps)
    }

    func testWithoutALimitEverythingPassesAndRemovingTheLimitReleasesTheWaiting() async {
        let base = StampingTransport()
        let open = RateLimitedTransport(wrapping: base, limit: nil)
        _ = await burst(20, through: open)
        XCTAssertEqual(base.stamps.count, 20)

        let slow = StampingTransport()
        let limited = RateLimitedTransport(wrapping: slow, limit: RateLimit("1/1h")!)
        let answered = Mutex(0)
        for i in 0..<3 {
            limited.perform(OutboundRequest(url: "https://crm.example/\(i)")) { _ in answered.withLock { $0 += 1 } }
        }
        XCTAssertEqual(answered.withLock { $0 }, 1)
        XCTAssertEqual(limited.waiting, 2)
        limited.setLimit(nil)
        XCTAssertEqual(answered.withLock { $0 }, 3, "lifting the limit sends the waiting requests")
        XCTAssertEqual(limited.waiting, 0)
    }

    func testIREVsDeclaredLimitIsSharedByItsPoolAndFollowsAReload() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let catalog = try IntegrationCatalog.scan(root.appendingPathComponent("integrations").path)
        let pool = try IntegrationPool.rateLimited(catalog: catalog, name: "irev", transport: StampingTransport(), workers: 2)
        defer { pool.shutdown() }
        let declared = try XCTUnwrap(pool.rateLimiter?.limit)
        XCTAssertEqual(declared, RateLimit("10/3s"), "IREV: 10 requests in 3 seconds")
        XCTAssertEqual(
            pool.rateLimiter?.scope, RateScope(methods: ["GET"], perCredential: true),
            "IREV: \"The number of GET requests is limited\", per authorization token")

        var bucket = TokenBucket(declared)
        var sent: [Double] = []
        for _ in 0..<25 {
            let at = bucket.nextToken(now: 0)
            XCTAssertTrue(bucket.take(now: at))
            sent.append(at)
        }
        XCTAssertEqual(sent, Array(repeating: 0, count: 10) + Array(repeating: 3, count: 10) + Array(repeating: 6, count: 5))

        let source = try XCTUnwrap(catalog.scripts["irev"])
        let faster = LuaSource(
            name: source.name, code: source.code.replacingOccurrences(of: "limit = \"10/3s\"", with: "limit = \"20/3s\""))
        XCTAssertNotEqual(faster.code, source.code)
        try pool.reload(source: faster, libraries: catalog.libraries)
        XCTAssertEqual(pool.rateLimiter?.limit, RateLimit("20/3s"))
    }
}
