extension Administration {
    /// Sets how many seconds a post to the offer without `?wait=` waits for its registration
    /// (0: asynchronous); the changed offer.
    public func setOffer(_ id: String, registrationWait: Double) async throws(AdminError) -> StoredOffer {
        var offer = try await offer(id)
        offer.registrationWait = try AdminInput.registrationWait(registrationWait)
        let changed = offer
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
