import LeadRelayService
import XCTest

extension AccessStoreContract {
    /// An affiliate's postback URL template is kept, read back, replaced and removed; an
    /// unknown affiliate is `noSuchAffiliate`.
    func anAffiliatesPostbackURLIsKeptAndRemoved() async throws {
        let store = try await make()
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        let template = "https://tracker.example/pb?click={click_id}&status={status}"
        let set = try await store.setPostbackURL(affiliateID: "A1", template: template)
        XCTAssertEqual(set, Affiliate(id: "A1", name: "Media Buyer", offers: ["7"], postbackURL: template))
        let read = try await store.affiliate(id: "A1")
        XCTAssertEqual(read?.postbackURL, template)
        let listed = try await store.affiliates()
        XCTAssertEqual(listed.map(\.postbackURL), [template])
        let removed = try await store.setPostbackURL(affiliateID: "A1", template: nil)
        XCTAssertNil(removed.postbackURL)
        XCTAssertEqual(removed.offers, ["7"], "the rest of the affiliate is kept")
        do {
            _ = try await store.setPostbackURL(affiliateID: "A9", template: template)
            XCTFail("an unknown affiliate")
        } catch {
            XCTAssertEqual(error, .noSuchAffiliate("A9"))
        }
        try await store.add(Affiliate(id: "B1", name: "Second", postbackURL: template))
        let added = try await store.affiliate(id: "B1")
        XCTAssertEqual(added?.postbackURL, template, "a new affiliate keeps the template it is added with")
    }
}
