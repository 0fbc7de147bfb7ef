extension Administration {
    /// Sets how many seconds a post to the offer without `?wait=` waits for its registration
    /// (0: asynchronous); the changed offer.
    public func setOffer(_ id: String, registrationWait: Double) async throws(AdminError) -> StoredOffer {
        var change = OfferChange()
        change.registrationWait = registrationWait
        return try await changeOffer(id, change)
    }

    /// Changes an offer in place (`OfferChange`); the changed offer. The intake and the
    /// dispatcher use it from their next read (the intake keeps offers a few seconds; the
    /// admin API's changes clear that at once). Reports price every lead with the offer's
    /// payout as it is when they run; affiliate postbacks already queued keep their values.
    public func changeOffer(_ id: String, _ change: OfferChange) async throws(AdminError) -> StoredOffer {
        guard !change.isEmpty else {
            throw .invalid(
                field: "offer",
                detail:
                    "give at least one of name, fall_through, duplicate_window, payout, currency, payout_on, registration_wait_seconds")
        }
        let changed = try change.applied(to: try await offer(id))
        try await stored { () async throws(StoreError) in try await store.save(changed) }
        return changed
    }
}

extension AdminInput {
    /// An offer's registration wait: 0 (asynchronous) up to the longest `?wait=` a post may ask.
    public static func registrationWait(_ seconds: Double, field: String = "registration_wait_seconds") throws(AdminError) -> Double {
        guard seconds.isFinite, seconds >= 0, seconds <= RegistrationAnswer.maxWait else {
            throw .invalid(
                field: field, detail: "must be seconds from 0 (asynchronous) to \(Int(RegistrationAnswer.maxWait)), not \(seconds)")
        }
        return seconds
    }
}
