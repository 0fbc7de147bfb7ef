/// Who reads a report, which decides the rows and the columns (issue 12, point 4; the
/// roles' columns are in docs/service.md):
///
/// - an affiliate (a key with `reports:read`) reads only its own leads, with its payout and
///   neutral reasons: never the route, the integration, the network's id, the buyer's
///   wording or the buyer's revenue;
/// - an employee whose role has the `reports` right (admin, analyst) reads every lead, with
///   those columns too.
public enum ReportAudience: Sendable, Equatable {
    case affiliate(id: String)
    case employee(Employee)

    /// Whether the buyer's side (route, integration, external id, message, revenue) shows.
    public var seesBuyer: Bool {
        if case .employee = self { return true }
        return false
    }

    /// The columns of `GET /api/v1/reports/leads`, in the CSV's order.
    public var leadColumns: [String] {
        seesBuyer ? LeadReportRow.affiliateColumns + LeadReportRow.buyerColumns : LeadReportRow.affiliateColumns
    }
}
