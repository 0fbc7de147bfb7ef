import IntegrationRuntime
import LeadJSON

/// One run of a route's status checks, in the order processing, approved, range: the
/// leads a check covers go to the script's `status` action in batches of `batch` (the
/// script's `limits.batch`), a range as one call over the route's range window ending now;
/// each call's updates are stored before the next call. A call that returns an outcome
/// instead of updates (the network failed the check, or the script did) ends that check
/// for this run.
struct StatusCheckRun {
    let route: OfferRoute
    let pool: IntegrationPool
    let store: any StatusStore & OfferStore
    let batch: Int
    /// Whether the scheduler is stopping: no further call starts.
    let stopping: @Sendable () -> Bool

    func run(now: Double) async -> StatusRun {
        var run = StatusRun(routeID: route.id, integration: route.integration)
        let offerName = (try? await store.offer(id: route.offerID))?.name ?? ""
        let offer = Offer(id: route.offerID, name: offerName)
        for check in route.status.orderedChecks where !stopping() {
            run.checks.append(await self.check(check, offer: offer, now: now))
        }
        return run
    }

    private func check(_ check: StatusCheck, offer: Offer, now: Double) async -> StatusRun.Check {
        var report = StatusRun.Check(check: check)
        if check == .range {
            let scope = StatusScope.range(
                from: ISO8601.format(Int64(now - route.status.rangeSeconds)), to: ISO8601.format(Int64(now)))
            await call(scope, offer: offer, now: now, into: &report)
            return report
        }
        var cursor: CheckedLead?
        while !stopping() {
            let leads: [CheckedLead]
            do {
                leads = try await store.checkable(
                    routeID: route.id, check: check, acceptedSince: now - route.status.windowSeconds, after: cursor, limit: batch)
            } catch {
                report.failure = .error("the store could not list the leads to check: \(error)")
                return report
            }
            guard let last = leads.last else { break }
            cursor = last
            report.leads += leads.count
            let listed = leads.map { lead -> JSONValue in
                .object([
                    "id": .string(lead.id), "external_id": .string(lead.externalID),
                    "created_at": .string(ISO8601.format(Int64(lead.createdAt))),
                ])
            }
            let scope: StatusScope = check == .approved ? .approved(leads: listed) : .processing(leads: listed)
            guard await call(scope, offer: offer, now: now, into: &report) else { break }
            if leads.count < batch { break }
        }
        return report
    }

    /// One call of the `status` action and the storing of its updates; false when the check
    /// must stop (the call or the store failed).
    @discardableResult
    private func call(_ scope: StatusScope, offer: Offer, now: Double, into report: inout StatusRun.Check) async -> Bool {
        report.calls += 1
        let input = CallInput(action: .status, subject: .status(scope), params: route.params, offer: offer, now: Int64(now))
        let result = await pool.run(input)
        guard let updates = result.updates else {
            report.failure = result.outcome ?? .error("the status call returned neither updates nor an outcome")
            return false
        }
        do {
            let recorded = try await store.record(updates, routeID: route.id, source: StatusSource(scope.check), now: now)
            report.recording.stored += recorded.stored
            report.recording.duplicates += recorded.duplicates
            report.recording.unknown += recorded.unknown
            report.recording.changes += recorded.changes
        } catch {
            report.failure = .error("the store could not record the updates: \(error)")
            return false
        }
        return true
    }
}
