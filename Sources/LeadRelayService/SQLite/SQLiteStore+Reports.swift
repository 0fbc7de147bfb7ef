import GRDB
import IntegrationRuntime
import LeadJSON

extension SQLiteStore: ReportStore {
    /// The buyer revenue's amount or currency (`column`) of the lead `l` joined with its
    /// stage `s`: the newest applied `approve` update carrying an amount, while the stage is
    /// `approve`; none for a test lead.
    static func revenueColumn(_ column: String) -> String {
        """
        CASE WHEN s.stage = 'approve' AND l.is_test = 0 THEN (
            SELECT u.\(column) FROM status_updates u
            WHERE u.lead_id = l.id AND u.applied = 1 AND u.stage = 'approve' AND u.amount IS NOT NULL
            ORDER BY u.seq DESC LIMIT 1) END
        """
    }

    public func reportLeads(_ filter: LeadReportFilter, afterSeq: Int64?, limit: Int) async throws(StoreError) -> [ReportedLead] {
        var (condition, paging) = Self.reportCondition(filter)
        if let afterSeq {
            condition += " AND l.seq > ?"
            paging += [afterSeq]
        }
        paging += [limit]
        let arguments = paging
        let sql = """
            SELECT l.seq, l.id, l.offer_id, l.affiliate_id, l.fields, l.state, l.outcome, l.is_test, l.sent_again,
                   l.received_at, l.updated_at, l.anonymised_at, s.stage,
                   (SELECT count(*) FROM attempts a WHERE a.lead_id = l.id) AS attempt_count,
                   (SELECT a.route_id FROM attempts a WHERE a.lead_id = l.id ORDER BY a.number DESC LIMIT 1) AS last_route,
                   (SELECT a.integration FROM attempts a WHERE a.lead_id = l.id ORDER BY a.number DESC LIMIT 1) AS last_integration,
                   \(Self.revenueColumn("amount")) AS revenue_amount,
                   \(Self.revenueColumn("currency")) AS revenue_currency
            FROM leads l LEFT JOIN lead_stages s ON s.lead_id = l.id
            WHERE \(condition)
            ORDER BY l.seq
            LIMIT ?
            """
        return try await reading { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row throws(StoreError) in
                try Self.reportedLead(StoredRow(row: row, table: "leads"))
            }
        }
    }

    public func reportSummary(_ filter: LeadReportFilter) async throws(StoreError) -> (counts: [SummaryCount], revenue: [SummaryRevenue]) {
        let (condition, arguments) = Self.reportCondition(filter)
        let countsSQL = """
            SELECT date(l.received_at, 'unixepoch') AS day, l.offer_id, l.state, json_extract(l.outcome, '$.reason') AS reason,
                   s.stage, EXISTS (SELECT 1 FROM attempts a WHERE a.lead_id = l.id AND a.route_id IS NOT NULL) AS sent,
                   l.is_test, count(*) AS leads
            FROM leads l LEFT JOIN lead_stages s ON s.lead_id = l.id
            WHERE \(condition)
            GROUP BY 1, 2, 3, 4, 5, 6, 7
            ORDER BY 1, 2
            """
        let revenueSQL = """
            SELECT day, offer_id, revenue_amount, revenue_currency FROM (
                SELECT date(l.received_at, 'unixepoch') AS day, l.offer_id,
                       \(Self.revenueColumn("amount")) AS revenue_amount, \(Self.revenueColumn("currency")) AS revenue_currency
                FROM leads l JOIN lead_stages s ON s.lead_id = l.id AND s.stage = 'approve'
                WHERE \(condition))
            WHERE revenue_amount IS NOT NULL
            """
        return try await reading { db in
            let counts = try Row.fetchAll(db, sql: countsSQL, arguments: arguments).map { row throws(StoreError) in
                let stored = StoredRow(row: row, table: "leads")
                return SummaryCount(
                    day: try stored.value("day"), offerID: try stored.value("offer_id"), state: try Self.state(stored),
                    reason: try stored.optional("reason"), stage: try Self.stage(stored), sent: try stored.value("sent", as: Bool.self),
                    leads: try stored.value("leads"), isTest: try stored.value("is_test", as: Bool.self))
            }
            let revenue = try Row.fetchAll(db, sql: revenueSQL, arguments: arguments).map { row throws(StoreError) in
                let stored = StoredRow(row: row, table: "status_updates")
                return SummaryRevenue(
                    day: try stored.value("day"), offerID: try stored.value("offer_id"),
                    amount: Amount(
                        value: Money.decimal(try stored.value("revenue_amount", as: Double.self)),
                        currency: try stored.optional("revenue_currency") ?? "XXX"))
            }
            return (counts, revenue)
        }
    }

    /// The WHERE clause of `filter` over `leads l` joined with `lead_stages s`.
    static func reportCondition(_ filter: LeadReportFilter) -> (String, StatementArguments) {
        var clauses = ["l.received_at >= ?", "l.received_at < ?"]
        var arguments: StatementArguments = [filter.from, filter.to]
        func add(_ clause: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            clauses.append(clause)
            arguments += [value]
        }
        add("l.offer_id = ?", filter.offerID)
        add("l.affiliate_id = ?", filter.affiliateID)
        add("upper(json_extract(l.fields, '$.country')) = upper(?)", filter.country)
        add("l.state = ?", filter.state?.rawValue)
        add("json_extract(l.outcome, '$.reason') = ?", filter.reason?.rawValue)
        switch filter.stage {
        case nil: break
        case .none?: clauses.append("s.stage IS NULL")
        case .stage(let stage)?: add("s.stage = ?", stage.rawValue)
        }
        if !filter.includeTest { clauses.append("l.is_test = 0") }
        return (clauses.joined(separator: " AND "), arguments)
    }

    static func state(_ stored: StoredRow) throws(StoreError) -> LeadReportFilter.State {
        let word: String = try stored.value("state")
        guard let state = LeadReportFilter.State(rawValue: word) else {
            throw .corruptRow(table: "leads", detail: "state \(word) is not a delivery state")
        }
        return state
    }

    static func stage(_ stored: StoredRow) throws(StoreError) -> StatusUpdate.Stage? {
        guard let word: String = try stored.optional("stage") else { return nil }
        guard let stage = StatusUpdate.Stage(rawValue: word) else {
            throw .corruptRow(table: "lead_stages", detail: "stage \(word) is not a stage")
        }
        return stage
    }

    static func reportedLead(_ stored: StoredRow) throws(StoreError) -> ReportedLead {
        guard var fields = try stored.parsedJSON("fields").objectValue else {
            throw .corruptRow(table: "leads", detail: "fields is not an object")
        }
        fields["password"] = nil
        var revenue: Amount?
        if let amount: Double = try stored.optional("revenue_amount") {
            revenue = Amount(value: Money.decimal(amount), currency: try stored.optional("revenue_currency") ?? "XXX")
        }
        return ReportedLead(
            seq: try stored.value("seq"), id: try stored.value("id"), offerID: try stored.value("offer_id"),
            affiliateID: try stored.optional("affiliate_id"), fields: fields, state: try state(stored),
            outcome: try stored.outcome("outcome"), stage: try stage(stored), isTest: try stored.value("is_test", as: Bool.self),
            sentAgain: try stored.value("sent_again", as: Bool.self), receivedAt: try stored.value("received_at"),
            updatedAt: try stored.value("updated_at"), anonymisedAt: try stored.optional("anonymised_at"),
            attempts: try stored.value("attempt_count"), routeID: try stored.optional("last_route"),
            integration: try stored.optional("last_integration"), revenue: revenue)
    }
}
