import Foundation
import HTTPTypes
import Hummingbird
import IntegrationRuntime
import LeadJSON

/// The reports (Track360's "Leads via API" and "Reports via API"): `GET /api/v1/reports/leads`
/// (JSON or CSV, cursor pages), `GET /api/v1/reports/summary` (per day and offer), and
/// `GET /api/v1/leads/{id}/attempts` (employees only). An affiliate's key with
/// `reports:read` reads its own leads, neutrally; an employee's key whose role has the
/// `reports` right reads everything, with the buyer's side (`ReportAudience`).
struct ReportRoutes: Sendable {
    let store: any ReportStore & OfferStore & LeadStore
    let keys: KeyCheck
    let employees: EmployeeCheck
    /// The changes of delivered leads, whose attempts `/attempts` lists too (nil: leads' only).
    var changes: (any ChangeStore)? = nil

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/api/v1/reports/leads") { request, context in try await leads(request, context) }
        router.get("/api/v1/reports/summary") { request, context in try await summary(request, context) }
        router.get("/api/v1/leads/{id}/attempts") { request, context in try await attempts(request, context) }
    }

    /// Who asks: an affiliate key with `reports:read`, else an employee key whose role has
    /// `reports`; or the refusal to answer (401 unknown to both, 403 as the key's check says).
    func audience(_ request: Request, _ context: ServiceRequestContext, now: Double) async throws -> Access {
        let token = IntakeRoutes.token(request)
        let address = context.clientAddress ?? ""
        switch try await keys.authorize(token: token, address: address, needs: .readReports, now: now) {
        case .success(let affiliate): return .granted(.affiliate(id: affiliate.id))
        case .failure(.unauthenticated): break
        case .failure(let refusal): return .refused(IntakeRoutes.refused(refusal, context))
        }
        switch try await employees.authorize(token: token, address: address, needs: .reports, now: now) {
        case .success(let employee): return .granted(.employee(employee))
        case .failure(let refusal): return .refused(IntakeRoutes.refused(refusal, context))
        }
    }

    /// A report's reader, or the answer refusing it.
    enum Access {
        case granted(ReportAudience)
        case refused(Response)
    }

    /// The query read for `audience`: an affiliate reads its own leads only (another
    /// affiliate's id is 403).
    func query(_ request: Request, _ audience: ReportAudience, paged: Bool, now: Double) throws(ReportRefusal) -> ReportQuery {
        let pairs = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        let accepts = request.headers[.accept]?.lowercased().contains("text/csv") ?? false
        var query: ReportQuery
        do { query = try ReportQuery.read(pairs, paged: paged, acceptsCSV: accepts, now: now) } catch { throw .invalid(error) }
        if case .affiliate(let id) = audience {
            if let asked = query.filter.affiliateID, asked != id { throw .otherAffiliate }
            query.filter.affiliateID = id
        }
        return query
    }

    func leads(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let now = Date().timeIntervalSince1970
        let audience: ReportAudience
        switch try await self.audience(request, context, now: now) {
        case .granted(let who): audience = who
        case .refused(let refusal): return refusal
        }
        let query: ReportQuery
        do { query = try self.query(request, audience, paged: true, now: now) } catch { return error.response(context) }
        var page = try await store.reportLeads(query.filter, afterSeq: query.afterSeq, limit: query.limit + 1)
        let more = page.count > query.limit
        if more { page.removeLast() }
        let next = more ? page.last.map { ReportCursor.after($0.seq) } : nil
        let offers = try await offersByID()
        let rows = page.map { LeadReportRow.values($0, offers: offers, audience: audience) }
        if query.csv {
            var table = CSVTable(columns: audience.leadColumns)
            for row in rows { table.append(row) }
            return Self.csv(table.csv, next: next, context: context)
        }
        return JSONAnswer.make(
            .ok,
            [
                "from": .string(ISO8601.format(Int64(query.filter.from))), "to": .string(ISO8601.format(Int64(query.filter.to))),
                "columns": .array(audience.leadColumns.map(JSONValue.string)), "leads": .array(rows.map(JSONValue.object)),
                "next_cursor": next.map(JSONValue.string) ?? .null,
            ], context: context)
    }

    func summary(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let now = Date().timeIntervalSince1970
        let audience: ReportAudience
        switch try await self.audience(request, context, now: now) {
        case .granted(let who): audience = who
        case .refused(let refusal): return refusal
        }
        let query: ReportQuery
        do { query = try self.query(request, audience, paged: false, now: now) } catch { return error.response(context) }
        let (counts, revenue) = try await store.reportSummary(query.filter)
        let (rows, totals) = LeadSummary.json(counts: counts, revenue: revenue, offers: try await offersByID(), audience: audience)
        if query.csv { return Self.csv(LeadSummary.csv(rows, audience: audience), next: nil, context: context) }
        return JSONAnswer.make(
            .ok,
            [
                "from": .string(ISO8601.format(Int64(query.filter.from))), "to": .string(ISO8601.format(Int64(query.filter.to))),
                "rows": .array(rows), "totals": totals,
            ], context: context)
    }

    func offersByID() async throws -> [String: StoredOffer] {
        Dictionary(try await store.offers().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A CSV answer; the next page's cursor in `X-Next-Cursor` when there is one.
    static func csv(_ text: String, next: String?, context: ServiceRequestContext) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[HTTPField.Name("X-Request-Id")!] = context.requestID
        if let next { headers[HTTPField.Name("X-Next-Cursor")!] = next }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Why a report's query is refused.
enum ReportRefusal: Error {
    /// 422: a parameter the report does not know or cannot use, named.
    case invalid(AdminError)
    /// 403: an affiliate's key asked for another affiliate's leads.
    case otherAffiliate

    func response(_ context: ServiceRequestContext) -> Response {
        switch self {
        case .invalid(let error): return AdminRoutes.refusal(error, context)
        case .otherAffiliate:
            return JSONAnswer.error(.forbidden, code: "forbidden", "an affiliate's key reads its own leads only", context: context)
        }
    }
}
