import Foundation
import LeadJSON

/// `GET /api/v1/reports/summary`: per UTC day and offer, the leads counted by delivery
/// state (`outcomes`), by rejection reason (`reasons`) and by stage (`stages`, `none`: no
/// word from the network yet), how many went to a buyer (`sent`), the conversion rates
/// (`accepted_rate` = accepted / sent, `approved_rate` = approved / accepted; null when
/// nothing to divide by), the affiliate's payouts and, for employees, the buyer's revenue,
/// each per currency as exact decimal text.
public enum LeadSummary {
    struct Group {
        var leads = 0
        var sent = 0
        var outcomes: [String: Int] = [:]
        var reasons: [String: Int] = [:]
        var stages: [String: Int] = [:]
        var revenue: [String: Decimal] = [:]
        /// Leads that are not test leads, accepted and at stage approve: what payouts count.
        var paidAccepted = 0
        var paidApproved = 0
    }

    /// The rows, by day then offer, and the totals over them.
    public static func json(
        counts: [SummaryCount], revenue: [SummaryRevenue], offers: [String: StoredOffer], audience: ReportAudience
    ) -> (rows: [JSONValue], totals: JSONValue) {
        var groups: [String: [String: Group]] = [:]
        for count in counts {
            var group = groups[count.day, default: [:]][count.offerID, default: Group()]
            group.leads += count.leads
            if count.sent { group.sent += count.leads }
            group.outcomes[count.state.rawValue, default: 0] += count.leads
            if let reason = count.reason { group.reasons[reason, default: 0] += count.leads }
            group.stages[count.stage?.rawValue ?? "none", default: 0] += count.leads
            if !count.isTest {
                if count.state == .accepted { group.paidAccepted += count.leads }
                if count.stage == .approve { group.paidApproved += count.leads }
            }
            groups[count.day, default: [:]][count.offerID] = group
        }
        for entry in revenue {
            groups[entry.day, default: [:]][entry.offerID, default: Group()].revenue[entry.amount.currency, default: 0] +=
                entry.amount.value
        }
        var rows: [JSONValue] = []
        var total = Group()
        var totalPayouts: [String: Decimal] = [:]
        for day in groups.keys.sorted() {
            for (offerID, group) in groups[day, default: [:]].sorted(by: { $0.key < $1.key }) {
                let payouts = Self.payouts(group, offer: offers[offerID])
                var row = Self.body(group, payouts: payouts, audience: audience)
                row["day"] = .string(day)
                row["offer_id"] = .string(offerID)
                rows.append(.object(row))
                total.leads += group.leads
                total.sent += group.sent
                total.outcomes.merge(group.outcomes, uniquingKeysWith: +)
                total.reasons.merge(group.reasons, uniquingKeysWith: +)
                total.stages.merge(group.stages, uniquingKeysWith: +)
                total.revenue.merge(group.revenue, uniquingKeysWith: +)
                totalPayouts.merge(payouts, uniquingKeysWith: +)
            }
        }
        return (rows, .object(Self.body(total, payouts: totalPayouts, audience: audience)))
    }

    /// The payout per currency: the offer's amount per lead that meets its basis
    /// (`Payout.earns`: test leads earn nothing).
    static func payouts(_ group: Group, offer: StoredOffer?) -> [String: Decimal] {
        guard let payout = offer?.payout else { return [:] }
        let earning =
            switch payout.basis {
            case .accepted: group.paidAccepted
            case .approved: group.paidApproved
            }
        return earning == 0 ? [:] : [payout.currency: payout.amount * Decimal(earning)]
    }

    static func body(_ group: Group, payouts: [String: Decimal], audience: ReportAudience) -> [String: JSONValue] {
        func counts(_ map: [String: Int]) -> JSONValue { .object(map.mapValues { .integer(Int64($0)) }) }
        func money(_ map: [String: Decimal]) -> JSONValue { .object(map.mapValues { .string(Money.text($0)) }) }
        func rate(_ part: Int, _ whole: Int) -> JSONValue {
            whole == 0 ? .null : .number((Double(part) / Double(whole) * 10_000).rounded() / 10_000)
        }
        let accepted = group.outcomes["accepted", default: 0]
        var body: [String: JSONValue] = [
            "leads": .integer(Int64(group.leads)), "sent": .integer(Int64(group.sent)), "outcomes": counts(group.outcomes),
            "reasons": counts(group.reasons), "stages": counts(group.stages),
            "accepted_rate": rate(accepted, group.sent), "approved_rate": rate(group.stages["approve", default: 0], accepted),
            "payouts": money(payouts),
        ]
        if audience.seesBuyer { body["revenue"] = money(group.revenue) }
        return body
    }
}
