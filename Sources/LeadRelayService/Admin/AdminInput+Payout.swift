extension AdminInput {
    /// An offer's payout from its three parts (the CLI's `--payout`, `--currency`,
    /// `--payout-on`; the admin API's `payout`, `currency`, `payout_on`): all absent is no
    /// payout; an amount without a currency is refused; the basis defaults to `accepted`.
    /// `fields` names the three as the caller spells them, for the refusals.
    public static func payout(
        amount: String?, currency: String?, basis: String?, fields: (amount: String, currency: String, basis: String)
    ) throws(AdminError) -> Payout? {
        guard let amount else {
            if currency != nil || basis != nil {
                throw .invalid(field: fields.amount, detail: "is required with \(fields.currency) and \(fields.basis)")
            }
            return nil
        }
        guard let currency else {
            throw .invalid(field: fields.currency, detail: "is required with \(fields.amount): a three-letter code such as EUR")
        }
        do { return try Payout.parse(amount: amount, currency: currency, basis: basis ?? Payout.Basis.accepted.rawValue) } catch {
            switch error {
            case .amount(let detail): throw .invalid(field: fields.amount, detail: detail)
            case .currency(let detail): throw .invalid(field: fields.currency, detail: detail)
            case .basis(let detail): throw .invalid(field: fields.basis, detail: detail)
            }
        }
    }
}
