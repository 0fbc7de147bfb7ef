import Foundation
import GRDB
import LeadJSON
import LeadRelayService
import LoopbackTesting

/// The end-to-end benchmark's steps around `leadrelay serve` (`make bench-e2e`,
/// scripts/bench-e2e.sh, issue 12 point 13b): `e2e-target DIR` serves an instant IREV and
/// seeds the store with an offer routed to it through integrations/irev.lua, and
/// `e2e-wait DIR LEADS` waits until LEADS leads are stored, each with a final outcome, and says when.
enum EndToEndSteps {
    static let offerID = IntakeSeed.offerID
    static let affiliateID = IntakeSeed.affiliateID

    /// IREV's answer to an accepted push (seed 004): 200 with the lead's `lead_uuid`.
    /// Every push gets the same one: the script takes it as `accepted`, external id this uuid.
    static let acceptedPush = #"{"lead_uuid":"0f1b8398-e144-4fa6-93e0-1d7dce7b74db","auto_login_url":"https://brand.example/go/1"}"#

    /// Starts the target on a free loopback port, seeds `DIR` like `intake-seed` plus a
    /// route of the offer (irev, `base_url` the target, no status checks), writes the key's
    /// token to `DIR/token`, and serves until the process is stopped.
    static func target(_ directory: String) async throws -> Never {
        let server = LoopbackHTTPServer { request in
            guard request.method == "POST" else { return LoopbackResponse(status: 404, headers: [], text: "{}") }
            return LoopbackResponse(status: 200, headers: [("Content-Type", "application/json")], text: acceptedPush)
        }
        try server.start()
        let token = try await IntakeSeed.seed(directory)
        let key = try SecretKey.load(environment: [:], file: IntakeSeed.keyPath(directory))
        let store = try SQLiteStore(path: IntakeSeed.storePath(directory), sealer: SecretSealer(key: key))
        _ = try await store.save(
            OfferRoute(
                offerID: offerID, integration: "irev",
                params: [
                    "base_url": .string(server.url("")), "api_token": .string("bench-token"),
                    "affiliate_id": .string("2"), "offer_id": .string("1"),
                ],
                secretParams: ["api_token"], postbackToken: "bench-postback", status: StatusSchedule(checks: [])))
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/token"), options: .atomic)
        FileHandle.standardOutput.write(Data("target \(server.url(""))\n".utf8))
        while true { try? await Task.sleep(nanoseconds: 3_600_000_000_000) }
    }

    /// Polls the store (read-only) until it holds at least `leads` leads, none of them
    /// pending, sending or in retry, and two polls 50 ms apart find the same; or until
    /// `timeout` seconds pass without a change. One line: the leads by state, when the first
    /// and the last were received and when the last final outcome was written (the store's
    /// own times), and the sizes of the database file and its WAL.
    static func wait(_ directory: String, leads: Int, timeout: Double = 60) throws -> String {
        let path = IntakeSeed.storePath(directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw IntakeSeed.SeedError("\(path) does not exist; run e2e-target first")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        var last: [String: Int] = [:]
        var changedAt = Date()
        while true {
            let counts = try database.read { db in
                try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM leads GROUP BY state")
                    .reduce(into: [String: Int]()) { $0[$1["state"]] = $1["n"] }
            }
            let total = counts.values.reduce(0, +)
            let open = ["pending", "sending", "retry"].reduce(0) { $0 + (counts[$1] ?? 0) }
            let settled = counts == last && total >= leads && open == 0
            if counts != last {
                last = counts
                changedAt = Date()
            }
            if settled || Date().timeIntervalSince(changedAt) > timeout {
                let times = try database.read { db in
                    try Row.fetchOne(
                        db,
                        sql: """
                            SELECT min(received_at) AS first, max(received_at) AS last,
                                   (SELECT max(updated_at) FROM leads WHERE state IN ('accepted', 'rejected', 'error')) AS final
                            FROM leads
                            """)
                }
                func time(_ name: String) -> String { String(format: "%.3f", (times?[name] as Double?) ?? 0) }
                return "leads=\(total) accepted=\(counts["accepted"] ?? 0) rejected=\(counts["rejected"] ?? 0) "
                    + "error=\(counts["error"] ?? 0) open=\(open) first_received=\(time("first")) last_received=\(time("last")) "
                    + "last_final=\(time("final")) db_bytes=\(IntakeSeed.size(path)) wal_bytes=\(IntakeSeed.size(path + "-wal"))"
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
