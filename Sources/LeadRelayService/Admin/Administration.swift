import Foundation
import IntegrationRuntime

/// The administration of offers, routes, affiliates, keys and employees over one store:
/// what `leadrelay offer|route|affiliate|key|employee` and the admin API both do, with the
/// same checks and refusals (`AdminError`).
///
///     let admin = Administration(store: store, routes: RouteSetup(names: ..., manifest: ...))
///     let (route, warnings) = try await admin.addRoute(RouteRequest(offerID: "7", integration: "irev", params: params))
public struct Administration: Sendable {
    public typealias Store = OfferStore & AccessStore & EmployeeStore
    let store: any Store
    let routes: RouteSetup
    let clock: @Sendable () -> Double
    /// The ports a postback URL template may use (`egress.postbacks.ports`).
    public var postbackPorts: [Int] = [80, 443]

    public init(store: any Store, routes: RouteSetup, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.routes = routes
        self.clock = clock
    }

    /// The time now (epoch seconds), as this administration reads it.
    public var now: Double { clock() }

    /// Runs a store operation, its failure as `AdminError.store` (a taken id: `exists`).
    func stored<T>(_ work: () async throws(StoreError) -> T) async throws(AdminError) -> T {
        do { return try await work() } catch {
            if case .exists(let what) = error { throw .exists("\(what) exists already") }
            throw .store(error)
        }
    }

    // MARK: Offers and routes

    /// A new offer, never replacing one; `id` nil takes the next free number (1, 2, ...).
    /// `payout`: what the affiliate earns per lead (`AdminInput.payout` reads it);
    /// `registrationWait`: seconds a post without `?wait=` waits (`AdminInput.registrationWait`).
    public func createOffer(
        id: String?, name: String, fallThrough: Set<Outcome.Reason>? = nil, duplicateWindow: Double? = nil, payout: Payout? = nil,
        registrationWait: Double = 0
    ) async throws(AdminError) -> StoredOffer {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalid(field: "name", detail: "the offer needs a name") }
        let chosen = try id.map { text throws(AdminError) in try AdminInput.identifier(text, field: "id") } ?? ""
        var offer = StoredOffer(
            id: chosen, name: name, fallThrough: fallThrough ?? StoredOffer.defaultFallThrough, duplicateWindow: duplicateWindow,
            payout: payout)
        offer.registrationWait = try AdminInput.registrationWait(registrationWait)
        let made = offer
        return try await stored { () async throws(StoreError) in try await store.add(made) }
    }

    public func offers() async throws(AdminError) -> [StoredOffer] {
        try await stored { () async throws(StoreError) in try await store.offers() }
    }

    /// The offer, or `notFound`.
    public func offer(_ id: String) async throws(AdminError) -> StoredOffer {
        guard let offer = try await stored({ () async throws(StoreError) in try await store.offer(id: id) }) else {
            throw .notFound("no offer \(id) (leadrelay offer list shows them)")
        }
        return offer
    }

    /// The offer's routes, by priority (secrets in clear: show them with `displayed`).
    public func routes(offerID: String) async throws(AdminError) -> [OfferRoute] {
        _ = try await offer(offerID)
        return try await stored { () async throws(StoreError) in try await store.routes(offerID: offerID) }
    }

    /// A new route, its parameters checked against the integration's manifest; the stored
    /// route and the warnings to show (secrets too short to mask).
    public func addRoute(_ request: RouteRequest) async throws(AdminError) -> (route: OfferRoute, warnings: [String]) {
        _ = try await offer(request.offerID)
        if request.onApprove,
            let existing = try await stored({ () async throws(StoreError) in try await store.routes(offerID: request.offerID) })
                .first(where: \.onApprove)
        {
            throw .invalid(
                field: "on_approve",
                detail: "offer \(request.offerID) has an on-approve route already (route \(existing.id)); remove it first")
        }
        let made: (route: OfferRoute, warnings: [String])
        do { made = try routes.route(for: request) } catch { throw .route(error) }
        let saved = try await stored { () async throws(StoreError) in try await store.save(made.route) }
        return (saved, made.warnings)
    }

    /// Enables or disables a route.
    public func setRoute(_ id: Int64, enabled: Bool) async throws(AdminError) -> OfferRoute {
        var change = RouteChange()
        change.enabled = enabled
        return try await changeRoute(id, change).route
    }

    public func removeRoute(_ id: Int64) async throws(AdminError) {
        do { try await store.removeRoute(id: id) } catch {
            if case .noSuchRoute = error { throw .notFound("no route \(id)") }
            throw .store(error)
        }
    }
}

extension Administration {
    /// The route, or `notFound`.
    public func route(_ id: Int64) async throws(AdminError) -> OfferRoute {
        guard let route = try await stored({ () async throws(StoreError) in try await store.route(id: id) }) else {
            throw .notFound("no route \(id) (leadrelay route list --offer ID shows them)")
        }
        return route
    }

    /// Changes a route in place (`RouteChange`): its id, integration, postback token,
    /// attempts and statuses stay. The dispatcher routes with it from its next claim round.
    /// The stored route and the warnings to show (secrets too short to mask).
    public func changeRoute(_ id: Int64, _ change: RouteChange) async throws(AdminError) -> (route: OfferRoute, warnings: [String]) {
        guard !change.isEmpty else {
            throw .invalid(
                field: "route", detail: "give at least one of params, priority, daily_cap, countries, hours, status, enabled")
        }
        let current = try await route(id)
        let made: (route: OfferRoute, warnings: [String])
        do { made = try routes.route(current, changedBy: change) } catch { throw .route(error) }
        let saved = try await stored { () async throws(StoreError) in try await store.save(made.route) }
        return (saved, made.warnings)
    }
}
