import Foundation
import GRDB
import LeadRelayService

/// The intake benchmark's two steps around `leadrelay serve` (`make bench-intake`,
/// scripts/bench-intake.sh): `intake-seed DIR` makes the store the server then opens, and
/// `intake-count DIR` counts what reached it.
enum IntakeSeed {
    /// The offer the load generator posts to. It has no route: the dispatcher ends each lead
    /// `error` at once ("no route"), so the benchmark measures the intake, not a delivery.
    static let offerID = "bench"
    static let affiliateID = "bench-affiliate"

    static func storePath(_ directory: String) -> String { directory + "/leadrelay.sqlite" }
    static func keyPath(_ directory: String) -> String { directory + "/leadrelay.key" }

    /// Creates `DIR/leadrelay.sqlite` (an offer with a 24 h duplicate window, so the intake's
    /// duplicate check runs on every lead; an affiliate granted it; a key with
    /// `leads:create` and open access) and `DIR/leadrelay.key`, and answers the key's token.
    static func seed(_ directory: String) async throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = try SecretKey.load(environment: [:], file: keyPath(directory))
        let store = try SQLiteStore(path: storePath(directory), sealer: SecretSealer(key: key))
        try await store.save(StoredOffer(id: offerID, name: "intake benchmark", duplicateWindow: 86_400))
        try await store.save(Affiliate(id: affiliateID, name: "load generator", offers: [offerID]))
        guard let open = IPRange(from: "0.0.0.0", to: "255.255.255.255") else { throw SeedError("no open-access range") }
        let (_, token) = try await store.issueKey(
            affiliateID: affiliateID, permissions: [.createLeads], allowlist: [open],
            expiresAt: Date().timeIntervalSince1970 + 86_400)
        return token.text
    }

    /// One line: the leads on disk, and the sizes of the database file and its WAL.
    static func count(_ directory: String) throws -> String {
        let path = storePath(directory)
        guard FileManager.default.fileExists(atPath: path) else { throw SeedError("\(path) does not exist; run intake-seed first") }
        var configuration = Configuration()
        configuration.readonly = true
        let leads = try DatabaseQueue(path: path, configuration: configuration).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM leads") ?? 0
        }
        return "leads=\(leads) db_bytes=\(size(path)) wal_bytes=\(size(path + "-wal"))"
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    struct SeedError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
