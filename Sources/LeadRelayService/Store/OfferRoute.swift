import IntegrationRuntime
import LeadJSON

/// An offer as ops set it up: what it is called, which rejection reasons fall through to its
/// next route, and the duplicate window.
public struct StoredOffer: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The rejection reasons that send a lead on to the offer's next route (rotation).
    public var fallThrough: Set<Outcome.Reason>
    /// Seconds within which the same e-mail address or phone number is a duplicate; nil: no check.
    public var duplicateWindow: Double?
    /// What the affiliate earns per lead (`Payout`); nil: nothing set (reports show no payout).
    public var payout: Payout?
    /// Seconds a post without `?wait=` waits for its registration (the routes' `register`
    /// action); 0: asynchronous (202 at once).
    public var registrationWait: Double = 0

    public static let defaultFallThrough: Set<Outcome.Reason> = [.capReached, .filtered, .blockedCountry]

    public init(
        id: String, name: String, fallThrough: Set<Outcome.Reason> = StoredOffer.defaultFallThrough,
        duplicateWindow: Double? = nil, payout: Payout? = nil
    ) {
        self.payout = payout
        self.id = id
        self.name = name
        self.fallThrough = fallThrough
        self.duplicateWindow = duplicateWindow
    }
}

/// One way an offer delivers: an integration with the offer's parameters for it, a
/// priority (lower first) and the conditions a lead must meet to take it.
public struct OfferRoute: Sendable, Equatable {
    /// The store's number for the route; 0 for a route not stored yet.
    public var id: Int64
    public var offerID: String
    /// The integration (the script's name).
    public var integration: String
    /// The parameters as the script reads them (`ctx.params`), secrets in clear: the store
    /// seals those named in `secretParams` and never writes them in clear.
    public var params: [String: JSONValue]
    /// The parameters the script declares `secret = true`.
    public var secretParams: Set<String>
    public var priority: Int
    /// Leads accepted per day at most; nil: no cap.
    public var dailyCap: Int?
    /// ISO 3166 alpha-2 codes the route takes; empty: every country.
    public var countries: Set<String>
    public var enabled: Bool
    /// When it takes leads; nil: always. Outside them a lead waits for the first route to open.
    public var hours: WorkingHours?
    /// The random token in its postback address (`/postback/<integration>/<token>`).
    public var postbackToken: String
    /// Which status checks run for it and how often (`StatusScheduler`).
    public var status: StatusSchedule
    /// The offer's on-approve route: it gets the offer's approved leads (action `approved`)
    /// and never takes part in the push rotation. At most one per offer.
    public var onApprove: Bool = false

    public init(
        id: Int64 = 0, offerID: String, integration: String, params: [String: JSONValue] = [:],
        secretParams: Set<String> = [], priority: Int = 0, dailyCap: Int? = nil, countries: Set<String> = [],
        enabled: Bool = true, hours: WorkingHours? = nil, postbackToken: String, status: StatusSchedule = StatusSchedule()
    ) {
        self.status = status
        self.hours = hours
        self.id = id
        self.offerID = offerID
        self.integration = integration
        self.params = params
        self.secretParams = secretParams
        self.priority = priority
        self.dailyCap = dailyCap
        self.countries = countries
        self.enabled = enabled
        self.postbackToken = postbackToken
    }
}

/// Where ops' offers and routes are kept, secrets sealed (`SecretSealer`).
public protocol OfferStore: Sendable {
    /// Creates or replaces the offer with this id.
    func save(_ offer: StoredOffer) async throws(StoreError)
    /// Stores a new offer, never replacing one (`exists`); an empty id takes the next free
    /// number (1, 2, ...). The stored offer, with its id.
    func add(_ offer: StoredOffer) async throws(StoreError) -> StoredOffer
    func offer(id: String) async throws(StoreError) -> StoredOffer?
    /// Stores a new route (`id` 0) or replaces the one with its id; the stored route, with its id.
    func save(_ route: OfferRoute) async throws(StoreError) -> OfferRoute
    /// The offer's routes, by priority then id, secrets opened.
    func routes(offerID: String) async throws(StoreError) -> [OfferRoute]
    /// Leads the route accepted since `since` (the start of its day, for its daily cap), in
    /// attempts of dispatcher runs other than `excludingRun` (which counts its own in memory).
    func acceptedCount(routeID: Int64, since: Double, excludingRun: String) async throws(StoreError) -> Int
    /// Every offer, by id.
    func offers() async throws(StoreError) -> [StoredOffer]
    /// The route with this id, secrets opened.
    func route(id: Int64) async throws(StoreError) -> OfferRoute?
    /// Removes the route with this id (`noSuchRoute` when there is none).
    func removeRoute(id: Int64) async throws(StoreError)
}
