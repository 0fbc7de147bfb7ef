import ArgumentParser
import LeadRelayService

/// `leadrelay offer create|set|list|show`: ops' offers in the service's store.
struct OfferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offer",
        abstract: "Create, change, list and show offers (exit 0 done, 1 refused, 2 usage).",
        subcommands: [OfferCreateCommand.self, OfferSetCommand.self, OfferListCommand.self, OfferShowCommand.self]
    )
}

/// One line for an offer in text output.
enum OfferText {
    static func line(_ offer: StoredOffer) -> String {
        var line = "offer \(offer.id) \"\(offer.name)\"  fall-through: "
        line += offer.fallThrough.isEmpty ? "none" : offer.fallThrough.map(\.rawValue).sorted().joined(separator: ",")
        if let window = offer.duplicateWindow { line += "  duplicate window: \(Int(window)) s" }
        if let payout = offer.payout { line += "  payout: \(payout.amountText) \(payout.currency) per \(payout.basis.rawValue) lead" }
        let wait = offer.registrationWait
        if wait > 0 { line += "  registration wait: \(wait == wait.rounded() ? String(Int(wait)) : String(wait)) s" }
        return line
    }

    static func line(_ route: OfferRoute) -> String {
        let params = route.displayedParams.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.stringValue ?? $0.value.encoded())" }
        var line = "route \(route.id)  \(route.integration)  priority \(route.priority)  \(route.enabled ? "enabled" : "disabled")"
        if route.onApprove { line += "  on-approve (gets approved leads, no pushes)" }
        line += "  countries: " + (route.countries.isEmpty ? "all" : route.countries.sorted().joined(separator: ","))
        line += "  daily cap: " + (route.dailyCap.map(String.init) ?? "none")
        line += "\n    params: " + (params.isEmpty ? "none" : params.joined(separator: " "))
        line += "\n    postback: /postback/\(route.integration)/\(route.postbackToken)"
        let checks = route.status.orderedChecks.map(\.rawValue).joined(separator: ",")
        line += "\n    status checks: " + (checks.isEmpty ? "none" : "\(checks) every \(Int(route.status.intervalSeconds)) s")
        return line
    }
}
