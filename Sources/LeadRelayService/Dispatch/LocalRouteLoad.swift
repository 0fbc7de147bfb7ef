/// What one dispatcher knows of its own load on each route, for daily caps: the leads it is
/// sending through a route now and those it saw the route accept since a time, both kept
/// in memory and changed together (an attempt leaves "sending" and joins "accepted" at the
/// same instant), so a cap is never passed between a write and the next claim. The store
/// adds what other dispatcher runs recorded (`acceptedCount(... excludingRun: run)`);
/// each run has its own id, so a restarted process counts its earlier attempts from the store.
public struct LocalRouteLoad: Sendable {
    /// This dispatcher run's id (stored on its attempts).
    public var run: String
    /// Leads of this run being sent through the route plus those the route accepted from
    /// this run since the given time.
    public var count: @Sendable (_ routeID: Int64, _ since: Double) -> Int

    public init(run: String, count: @escaping @Sendable (Int64, Double) -> Int) {
        self.run = run
        self.count = count
    }

    /// No local load (a routing asked outside a dispatcher).
    public static let none = LocalRouteLoad(run: "", count: { _, _ in 0 })
}
