import IntegrationRuntime

/// What ops change of an offer after it was created (CLI `offer set`, admin API `PATCH
/// /api/v1/admin/offers/{id}`): each field given replaces the offer's, each nil one keeps it.
///
/// The payout's three parts change one by one: a new amount keeps the currency and basis
/// (`payout_on`) the offer has, and an offer without a payout needs an amount and a
/// currency. `removePayout` takes the payout away (reports then show none for the offer).
public struct OfferChange: Sendable, Equatable {
    public var name: String?
    /// The rejection reasons that fall through to the next route; empty: none.
    public var fallThrough: Set<Outcome.Reason>?
    /// Seconds of the duplicate check; `.some(nil)`: no check.
    public var duplicateWindow: Double??
    /// The payout's amount as typed (`25`, `12.50`).
    public var payout: String?
    public var currency: String?
    /// `accepted` or `approved`.
    public var payoutOn: String?
    public var removePayout = false
    /// Seconds a post without `?wait=` waits for its registration (0: asynchronous).
    public var registrationWait: Double?
    /// How the caller spells the payout's three parts and the duplicate window, for the refusals.
    public var fieldNames = (payout: "payout", currency: "currency", payoutOn: "payout_on", duplicateWindow: "duplicate_window")

    public init() {}

    /// Nothing to change.
    public var isEmpty: Bool {
        name == nil && fallThrough == nil && duplicateWindow == nil && payout == nil && currency == nil && payoutOn == nil
            && !removePayout && registrationWait == nil
    }

    public static func == (lhs: OfferChange, rhs: OfferChange) -> Bool {
        lhs.name == rhs.name && lhs.fallThrough == rhs.fallThrough && lhs.duplicateWindow == rhs.duplicateWindow
            && lhs.payout == rhs.payout && lhs.currency == rhs.currency && lhs.payoutOn == rhs.payoutOn
            && lhs.removePayout == rhs.removePayout && lhs.registrationWait == rhs.registrationWait
    }

    /// `offer` with this change applied, every value checked.
    func applied(to offer: StoredOffer) throws(AdminError) -> StoredOffer {
        var changed = offer
        if let name {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .invalid(field: "name", detail: "the offer needs a name")
            }
            changed.name = name
        }
        if let fallThrough { changed.fallThrough = fallThrough }
        if let window = duplicateWindow {
            if let seconds = window, !(seconds > 0) {
                throw .invalid(field: fieldNames.duplicateWindow, detail: "must be seconds above 0 (remove it for no duplicate check)")
            }
            changed.duplicateWindow = window
        }
        let names = (fieldNames.payout, fieldNames.currency, fieldNames.payoutOn)
        if removePayout {
            if payout != nil || currency != nil || payoutOn != nil {
                throw .invalid(field: fieldNames.payout, detail: "is either removed or given, not both")
            }
            changed.payout = nil
        } else if payout != nil || currency != nil || payoutOn != nil {
            changed.payout = try AdminInput.payout(
                amount: payout ?? offer.payout?.amountText, currency: currency ?? offer.payout?.currency,
                basis: payoutOn ?? offer.payout?.basis.rawValue, fields: names)
        }
        if let registrationWait { changed.registrationWait = try AdminInput.registrationWait(registrationWait) }
        return changed
    }
}
