extension AffiliatePostbackSender {
    /// An operator's test call of the affiliate's template, now: `{lead_id}` is `test`,
    /// `{status}` is `test`, `{stage}`, `{payout}` and `{currency}` are empty, `{sub_id}` and
    /// `{click_id}` as given (so the affiliate's tracker can match a real click). One
    /// attempt, never retried, recorded as event `test`.
    public func test(affiliateID: String, subID: String?, clickID: String?) async throws(AdminError) -> PostbackCall {
        let found: Affiliate?
        do { found = try await store.affiliate(id: affiliateID) } catch { throw .store(error) }
        guard let affiliate = found else { throw .notFound("no affiliate \(affiliateID) (leadrelay affiliate list shows them)") }
        guard let text = affiliate.postbackURL else {
            throw .invalid(
                field: "postback_url", detail: "affiliate \(affiliateID) has no postback URL (leadrelay affiliate set-postback)")
        }
        let template: PostbackTemplate
        do { template = try PostbackTemplate(stored: text) } catch { throw .invalid(field: "postback_url", detail: error.description) }
        let url = template.render(PostbackEvent.test.values(leadID: "test", subID: subID, clickID: clickID))
        let (call, _) = await attempt(
            url: url, attempt: 1, retrying: false, postbackID: nil, affiliateID: affiliateID, leadID: nil, event: PostbackEvent.test.word)
        do { try await store.recordPostbackCall(call) } catch { throw .store(error) }
        return call
    }
}
