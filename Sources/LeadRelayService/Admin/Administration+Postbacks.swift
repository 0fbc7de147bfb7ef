extension Administration {
    // MARK: Affiliate postbacks

    /// Checks a postback URL template against `postbackPorts` (`egress.postbacks.ports`).
    public func postbackTemplate(_ text: String) throws(AdminError) -> PostbackTemplate {
        do { return try PostbackTemplate(text, allowedPorts: postbackPorts) } catch {
            throw .invalid(field: "postback_url", detail: error.description)
        }
    }

    /// Sets the affiliate's postback URL template once it is checked; nil removes it (the
    /// postbacks already queued are still sent).
    public func setPostbackURL(affiliateID: String, template text: String?) async throws(AdminError) -> Affiliate {
        let checked = try text.map { text throws(AdminError) in try postbackTemplate(text).text }
        do { return try await store.setPostbackURL(affiliateID: affiliateID, template: checked) } catch {
            if case .noSuchAffiliate = error { throw .notFound("no affiliate \(affiliateID) (leadrelay affiliate list shows them)") }
            throw .store(error)
        }
    }

    /// A new affiliate with a postback URL template (checked before anything is stored).
    public func createAffiliate(id: String?, name: String, postbackURL: String?) async throws(AdminError) -> Affiliate {
        guard let postbackURL else { return try await createAffiliate(id: id, name: name) }
        _ = try postbackTemplate(postbackURL)
        let affiliate = try await createAffiliate(id: id, name: name)
        return try await setPostbackURL(affiliateID: affiliate.id, template: postbackURL)
    }
}
