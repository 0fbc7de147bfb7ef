import Foundation
import Hummingbird
import IntegrationRuntime
import LeadJSON

extension ReportRoutes {
    /// `GET /api/v1/leads/{id}/attempts`: the lead's attempts as stored (each exchange masked,
    /// secrets as `***<param>***`), for employees of any role (admin and analyst through the
    /// reports right, manager through the offers right: it sets up the routes these went
    /// through). An affiliate's key is refused (403): attempts show the buyer's side.
    func attempts(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let now = Date().timeIntervalSince1970
        let token = IntakeRoutes.token(request)
        let address = context.clientAddress ?? ""
        var access = try await employees.authorize(token: token, address: address, needs: .reports, now: now)
        if case .failure(.roleNotAllowed) = access {
            access = try await employees.authorize(token: token, address: address, needs: .offers, now: now)
        }
        if case .failure(.unauthenticated) = access,
            try await keys.authorize(token: token, address: address, needs: .readReports, now: now) != .failure(.unauthenticated)
        {
            return JSONAnswer.error(
                .forbidden, code: "forbidden", "attempts are for employees; an affiliate reads its leads in /api/v1/reports/leads",
                context: context)
        }
        if case .failure(let refusal) = access { return IntakeRoutes.refused(refusal, context) }
        guard let id = context.parameters.get("id"), let lead = try await store.lead(id: id) else {
            return JSONAnswer.error(.notFound, code: "not_found", "no such lead", context: context)
        }
        var attempts = try await store.attempts(leadID: id).map { Self.json($0, action: lead.action) }
        if let changes { attempts += try await changes.changeAttempts(leadID: id).map(Self.json) }
        return JSONAnswer.make(.ok, ["lead_id": .string(id), "attempts": .array(attempts)], context: context)
    }

    /// A change's attempt: an attempt with its `action` (`update`, `approved`) and `change_id`.
    static func json(_ change: ChangeAttempt) -> JSONValue {
        guard case .object(var object) = json(change.attempt, action: change.action) else { return .null }
        object["change_id"] = .string(change.changeID)
        return .object(object)
    }

    static func json(_ attempt: AttemptRecord, action: Action) -> JSONValue {
        .object([
            "action": .string(action.rawValue),
            "number": .integer(Int64(attempt.number)), "integration": .string(attempt.integration),
            "route_id": attempt.routeID.map { .integer($0) } ?? .null,
            "started_at": .string(ISO8601.format(Int64(attempt.startedAt))), "ended_at": .string(ISO8601.format(Int64(attempt.endedAt))),
            "outcome": attempt.outcome.json, "sent_again": .bool(attempt.sentAgain), "report": attempt.report,
        ])
    }
}
