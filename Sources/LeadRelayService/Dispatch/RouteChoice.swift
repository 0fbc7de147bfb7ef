import IntegrationRuntime

/// What routing decided for a lead's next attempt.
public enum RouteDecision: Sendable {
    /// Deliver through this route.
    case deliver(LeadRoute)
    /// Every route that could take the lead is outside its working hours: due again at
    /// `until`, when the first of them opens.
    case hold(until: Double)
    /// No route will take it: the lead ends with this outcome (`cap_reached` when every route
    /// reached its daily cap, `blocked_country` when none takes its country, the last route's
    /// own rejection when every route has rejected it).
    case reject(Outcome)
    /// The offer has no route to deliver through (none enabled with a loaded integration):
    /// the lead ends `error`, kept for redelivery once there is one.
    case noRoute(String)
}

/// The choice among an offer's routes, with no I/O (`StoreRouting` reads what it needs):
/// the first route by priority that is enabled, is not the offer's on-approve route, whose integration is loaded, that takes the
/// lead's country, that has not rejected this lead already (the offer's fall-through), that
/// is under its daily cap and inside its working hours.
struct RouteChoice {
    struct Candidate {
        var route: OfferRoute
        /// Whether its integration is loaded.
        var loaded: Bool
        /// Leads it accepted since the start of its day, plus leads being sent through it now.
        var load: Int
    }

    /// `candidates` by priority; `tried`: routes that rejected the lead already;
    /// `lastOutcome`: the lead's last outcome (the last route's rejection).
    static func decide(
        offerID: String, _ candidates: [Candidate], country: String?, tried: Set<Int64>, lastOutcome: Outcome?, now: Double
    ) -> Choice {
        // The on-approve route gets approved leads only (`ChangeDispatcher`), never a push.
        let usable = candidates.filter { $0.route.enabled && $0.loaded && !$0.route.onApprove }
        guard !usable.isEmpty else {
            return .noRoute("offer \(offerID) has no enabled route whose integration is loaded; the lead is kept for redelivery")
        }
        let forCountry = usable.filter { $0.route.countries.isEmpty || country.map($0.route.countries.contains) == true }
        guard !forCountry.isEmpty else {
            return .reject(
                Outcome(.rejected, reason: .blockedCountry, message: "no route of the offer takes country \(country ?? "(none)")"))
        }
        let untried = forCountry.filter { !tried.contains($0.route.id) }
        guard !untried.isEmpty else {
            return .reject(lastOutcome ?? Outcome(.rejected, reason: .filtered, message: "every route of the offer rejected the lead"))
        }
        var opensAt: Double?
        for candidate in untried {
            if let cap = candidate.route.dailyCap, candidate.load >= cap { continue }
            if let hours = candidate.route.hours, !hours.isOpen(at: now) {
                let opening = hours.nextOpening(after: now)
                opensAt = min(opensAt ?? opening, opening)
                continue
            }
            return .deliver(candidate.route)
        }
        if let opensAt { return .hold(until: opensAt) }
        return .reject(Outcome(.rejected, reason: .capReached, message: "every route of the offer reached its daily cap"))
    }

    /// `RouteDecision` before the route is bound to its runner.
    enum Choice: Equatable {
        case deliver(OfferRoute)
        case hold(until: Double)
        case reject(Outcome)
        case noRoute(String)
    }

    /// Where a route's day starts for its daily cap: midnight in its working hours' time
    /// zone, or UTC midnight.
    static func dayStart(of route: OfferRoute, at now: Double) -> Double {
        route.hours?.dayStart(at: now) ?? (now - now.truncatingRemainder(dividingBy: 86_400))
    }
}
