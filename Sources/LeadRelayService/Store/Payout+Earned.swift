import IntegrationRuntime

extension Payout {
    /// Whether a lead earns this payout as it stands: its delivery ended `accepted` (basis
    /// `accepted`), or its current stage is `approve` (basis `approved`; a later `cancel` or
    /// `trash` takes it back). A test lead (the test window's) earns nothing. The one rule the
    /// leads report, the summary and affiliate postbacks' `{payout}` share.
    public func earns(accepted: Bool, stage: StatusUpdate.Stage?, isTest: Bool) -> Bool {
        guard !isTest else { return false }
        switch basis {
        case .accepted: return accepted
        case .approved: return stage == .approve
        }
    }

    /// What the affiliate's postback says the lead earns after an event: the amount when it
    /// earns it, else 0, in the offer's currency.
    public func postbackAmount(accepted: Bool, stage: StatusUpdate.Stage?, isTest: Bool) -> Amount {
        Amount(value: earns(accepted: accepted, stage: stage, isTest: isTest) ? amount : 0, currency: currency)
    }
}
