import Foundation
import Logging
import OutboundHTTP
import Synchronization

/// Sends the affiliate postbacks the store has queued: `GET` the URL through LeadRelay's
/// HTTP client (a `LiveTransport` with the postbacks' own egress policy,
/// `EgressPolicy.allowing(egress.postbacks.allow)`), with a timeout; a failure worth another
/// try is due again after `PostbackRetryPolicy`'s delay. Every call is recorded (URL masked,
/// HTTP status, elapsed time, error) and counted (`leadrelay_affiliate_postbacks_total`).
///
///     let sender = AffiliatePostbackSender(store: store, transport: transport)
///     _ = await sender.sendDue(now: Date().timeIntervalSince1970)   // one round
///     await sender.run()                                            // until cancelled
public final class AffiliatePostbackSender: Sendable {
    public struct Configuration: Sendable {
        /// The ports a postback URL may use (`egress.postbacks.ports`), checked again at each call.
        public var allowedPorts: [Int]
        /// Seconds one call may take (the whole exchange). Default 10.
        public var timeout: Double
        /// How long a claim holds a postback; after a crash it is claimed again this long
        /// after it was claimed. More than `timeout`. Default 60.
        public var leaseSeconds: Double
        /// Postbacks claimed (and sent at once) per round. Default 32.
        public var batch: Int
        /// Seconds `run` waits when nothing was due. Default 1.
        public var idleSeconds: Double
        public var retry: PostbackRetryPolicy

        public init(
            allowedPorts: [Int] = [80, 443], timeout: Double = 10, leaseSeconds: Double = 60, batch: Int = 32, idleSeconds: Double = 1,
            retry: PostbackRetryPolicy = PostbackRetryPolicy()
        ) {
            self.allowedPorts = allowedPorts
            self.timeout = timeout
            self.leaseSeconds = max(leaseSeconds, timeout + 1)
            self.batch = batch
            self.idleSeconds = idleSeconds
            self.retry = retry
        }
    }

    public typealias Store = AffiliatePostbackStore & AccessStore
    let store: any Store
    let transport: any HTTPTransport
    public let configuration: Configuration
    let metrics: ServiceMetrics?
    let logger: Logger
    let clock: @Sendable () -> Double

    public init(
        store: any Store, transport: any HTTPTransport, configuration: Configuration = Configuration(), metrics: ServiceMetrics? = nil,
        logger: Logger = Logger(label: "leadrelay"), clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.store = store
        self.transport = transport
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Sends every postback due at `now` (at most `batch`), at once; the calls made. A store
    /// that fails is logged and the round ends (the postbacks stay queued).
    @discardableResult
    public func sendDue(now: Double) async -> [PostbackCall] {
        let claimed: [QueuedPostback]
        do {
            claimed = try await store.claimAffiliatePostbacks(
                now: now, limit: configuration.batch, leaseSeconds: configuration.leaseSeconds)
        } catch {
            logger.error("affiliate postbacks: cannot claim", metadata: ["error": "\(error)"])
            return []
        }
        return await withTaskGroup(of: PostbackCall?.self) { group in
            for postback in claimed { group.addTask { await self.send(postback) } }
            var calls: [PostbackCall] = []
            for await call in group { if let call { calls.append(call) } }
            return calls
        }
    }

    /// Sends due postbacks until the task is cancelled, waiting `idleSeconds` when none was due.
    public func run() async {
        while !Task.isCancelled {
            if await sendDue(now: clock()).isEmpty {
                guard (try? await Task.sleep(for: .seconds(configuration.idleSeconds))) != nil else { return }
            }
        }
    }

    /// One attempt of a queued postback, recorded and moved on; nil if the store failed.
    private func send(_ postback: QueuedPostback) async -> PostbackCall? {
        let (call, next) = await attempt(
            url: postback.url, attempt: postback.attempt, retrying: true, postbackID: postback.id, affiliateID: postback.affiliateID,
            leadID: postback.leadID, event: postback.event)
        do { try await store.finishAffiliatePostback(call, nextAt: next) } catch {
            logger.error(
                "affiliate postbacks: cannot record a call; the postback is claimed again when its lease runs out",
                metadata: ["affiliate": "\(postback.affiliateID)", "lead": "\(postback.leadID)", "error": "\(error)"])
            return nil
        }
        return call
    }

    /// Calls `url` once and judges the answer; `retrying` false makes every failure final.
    func attempt(
        url: String, attempt: Int, retrying: Bool, postbackID: Int64?, affiliateID: String, leadID: String?, event: String
    ) async -> (PostbackCall, next: Double?) {
        let response: OutboundResponse
        if let port = PostbackTemplate.port(of: url), !configuration.allowedPorts.contains(port) {
            let list = configuration.allowedPorts.map(String.init).joined(separator: ", ")
            response = .failed(.egressRefused, detail: "egress refused: port \(port) is not in egress.postbacks.ports (\(list))")
        } else {
            response = await transport.perform(
                OutboundRequest(method: "GET", url: url, timeout: configuration.timeout, maxResponseBytes: 64 * 1024))
        }
        let now = clock()
        let judged = configuration.retry.judge(response, attempt: attempt, now: now)
        let (result, error, next) = !retrying && judged.result == .retry ? (.failed, judged.error, nil) : judged
        let call = PostbackCall(
            postbackID: postbackID, affiliateID: affiliateID, leadID: leadID, event: event, attempt: attempt,
            url: PostbackTemplate.masked(url), status: response.status, elapsed: response.elapsed, error: error, result: result, at: now)
        metrics?.affiliatePostback(call)
        var metadata: Logger.Metadata = [
            "affiliate": "\(affiliateID)", "event": "\(event)", "attempt": "\(attempt)", "result": "\(result.rawValue)",
            "status": "\(response.status)", "seconds": "\(response.elapsed)", "url": "\(call.url)",
        ]
        if let leadID { metadata["lead"] = "\(leadID)" }
        if let error { metadata["error"] = "\(error)" }
        logger.log(level: result == .sent ? .info : .warning, "affiliate postback", metadata: metadata)
        return (call, next)
    }
}

extension PostbackTemplate {
    /// The port a URL filled in from a checked template goes to (written, else the
    /// scheme's); nil if it cannot be read. (Its values are percent-encoded: no braces.)
    static func port(of url: String) -> Int? {
        (try? PostbackTemplate(stored: url))?.port
    }
}
