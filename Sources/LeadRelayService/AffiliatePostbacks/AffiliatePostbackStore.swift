/// Where affiliate postbacks wait and where their calls are recorded. The queue is durable:
/// a postback is queued in the same transaction as the change it reports (a lead's final
/// delivery state, a change of its stage), so a crash or restart loses none; a claimed
/// postback whose sender died is claimed again once its lease runs out.
public protocol AffiliatePostbackStore: Sendable {
    /// Leases up to `limit` postbacks due at `now` (and those whose lease ran out) until
    /// `now + leaseSeconds`, each as its next attempt, oldest due first.
    func claimAffiliatePostbacks(now: Double, limit: Int, leaseSeconds: Double) async throws(StoreError) -> [QueuedPostback]

    /// Records `call` and moves its postback on: `sent` and `failed` end it, `retry` makes it
    /// due at `nextAt`. The postback moves only while it is still under this attempt's claim
    /// (a late answer after the lease ran out is recorded, and changes nothing).
    func finishAffiliatePostback(_ call: PostbackCall, nextAt: Double?) async throws(StoreError)

    /// Records a call made outside the queue (an operator's test call).
    func recordPostbackCall(_ call: PostbackCall) async throws(StoreError)

    /// The affiliate's most recent calls, newest first.
    func postbackCalls(affiliateID: String, limit: Int) async throws(StoreError) -> [PostbackCall]

    /// How many of the affiliate's postbacks wait to be sent (due, retrying, or being sent).
    func waitingPostbacks(affiliateID: String) async throws(StoreError) -> Int
}

/// A postback waiting in the queue, as a claim hands it to the sender.
public struct QueuedPostback: Sendable, Equatable {
    public var id: Int64
    public var affiliateID: String
    public var leadID: String
    /// `PostbackEvent.word`.
    public var event: String
    /// The URL to call, the template's macros filled in when the event happened.
    public var url: String
    /// This claim's attempt (1 is the first).
    public var attempt: Int

    public init(id: Int64, affiliateID: String, leadID: String, event: String, url: String, attempt: Int) {
        self.id = id
        self.affiliateID = affiliateID
        self.leadID = leadID
        self.event = event
        self.url = url
        self.attempt = attempt
    }
}

/// One postback call as recorded: nothing secret (the URL masked, `PostbackTemplate.masked`),
/// no body.
public struct PostbackCall: Sendable, Equatable {
    /// The queued postback it was an attempt of; nil for a test call.
    public var postbackID: Int64?
    public var affiliateID: String
    public var leadID: String?
    public var event: String
    public var attempt: Int
    /// The URL called, masked.
    public var url: String
    /// The HTTP status; 0 when no answer came.
    public var status: Int
    /// Seconds from sending to the end of the answer.
    public var elapsed: Double
    /// What went wrong, if anything (a transport failure, an HTTP status, a refusal).
    public var error: String?
    public var result: PostbackResult
    /// When the call ended (epoch seconds).
    public var at: Double

    public init(
        postbackID: Int64?, affiliateID: String, leadID: String?, event: String, attempt: Int, url: String, status: Int,
        elapsed: Double, error: String?, result: PostbackResult, at: Double
    ) {
        self.postbackID = postbackID
        self.affiliateID = affiliateID
        self.leadID = leadID
        self.event = event
        self.attempt = attempt
        self.url = url
        self.status = status
        self.elapsed = elapsed
        self.error = error
        self.result = result
        self.at = at
    }
}
