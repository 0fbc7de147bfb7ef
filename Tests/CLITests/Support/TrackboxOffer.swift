import Foundation
import LeadRelayService
import NetworkEmulators

/// A store in `folder` (the files `leadrelay serve` opens there) holding offer 7 with one
/// trackbox route to the sandbox's Trackbox, and affiliate A1 with a `leads:create` key
/// usable from 127.0.0.1: what the process tests post leads through.
enum TrackboxOffer {
    /// The store and the key's token.
    static func seed(in folder: String, emulators: EmulatorServer, postbackToken: String) async throws -> (SQLiteStore, String) {
        let key = try SecretKey.load(environment: [:], file: folder + "/leadrelay.key")
        let store = try SQLiteStore(path: folder + "/leadrelay.sqlite", sealer: SecretSealer(key: key))
        let c = emulators.configuration.credentials
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await store.save(
            OfferRoute(
                offerID: "7", integration: "trackbox",
                params: [
                    "base_url": .string(emulators.baseURL(.trackbox)), "username": .string(c.trackboxUsername),
                    "password": .string(c.trackboxPassword), "api_key": .string(c.trackboxAPIKey),
                    "pull_api_key": .string(c.trackboxPullAPIKey), "ai": .string("1"), "gi": .string("1"),
                ],
                secretParams: ["password", "api_key", "pull_api_key"], postbackToken: postbackToken))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        let token = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads], allowlist: [IPRange(from: "127.0.0.1")!],
            expiresAt: Date().timeIntervalSince1970 + 3600
        ).1.text
        return (store, token)
    }
}
