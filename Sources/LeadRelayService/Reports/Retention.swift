import Foundation
import Logging

/// The retention period (`retention.days`): leads received longer ago than that, once they
/// are not being delivered, are anonymised (`ReportStore.anonymise`): their personal fields,
/// the requests and answers of their attempts, the buyer's messages and the status comments
/// are cleared; their counts, states, reasons, stages and money stay in the reports.
///
///     let retention = Retention(store: store, days: 90)
///     let cleared = try await retention.run(now: Date().timeIntervalSince1970)
public struct Retention: Sendable {
    let store: any ReportStore
    public let days: Int
    /// Leads anonymised per transaction (other writers take turns between batches).
    public var batch = 500

    public init(store: any ReportStore, days: Int) {
        self.store = store
        self.days = days
    }

    /// Anonymises every lead past the period at `now`, a batch at a time; how many.
    public func run(now: Double) async throws(StoreError) -> Int {
        let before = now - Double(days) * 86_400
        var total = 0
        while true {
            let done = try await store.anonymise(receivedBefore: before, now: now, limit: batch)
            total += done
            if done < batch { return total }
        }
    }
}
