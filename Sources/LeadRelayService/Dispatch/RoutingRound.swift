import Synchronization

/// What `StoreRouting` read from the store during one claim round, read once per round:
/// the offers, their routes and the routes' accepted counts from other dispatcher runs. A
/// round decides up to a batch of leads in a few milliseconds; without it each lead cost
/// two or three store reads. Changes made meanwhile count from the next round (the
/// dispatcher's own load is not cached: `LocalRouteLoad` counts it lead by lead).
final class RoutingRound: Sendable {
    struct CountKey: Hashable {
        var route: Int64
        var since: Double
    }

    private struct Memo {
        var offers: [String: StoredOffer?] = [:]
        var routes: [String: [OfferRoute]] = [:]
        var counts: [CountKey: Int] = [:]
    }

    private let memo = Mutex(Memo())
    private let offers: any OfferStore

    init(offers: any OfferStore) { self.offers = offers }

    func offer(id: String) async throws(StoreError) -> StoredOffer? {
        if let known = memo.withLock({ $0.offers[id] }) { return known }
        let offer = try await offers.offer(id: id)
        memo.withLock { $0.offers[id] = .some(offer) }
        return offer
    }

    func routes(offerID: String) async throws(StoreError) -> [OfferRoute] {
        if let known = memo.withLock({ $0.routes[offerID] }) { return known }
        let routes = try await offers.routes(offerID: offerID)
        memo.withLock { $0.routes[offerID] = routes }
        return routes
    }

    func acceptedCount(routeID: Int64, since: Double, excludingRun run: String) async throws(StoreError) -> Int {
        let key = CountKey(route: routeID, since: since)
        if let known = memo.withLock({ $0.counts[key] }) { return known }
        let count = try await offers.acceptedCount(routeID: routeID, since: since, excludingRun: run)
        memo.withLock { $0.counts[key] = count }
        return count
    }
}
