import IntegrationRuntime

extension AdminBody {
    /// A route's `"status": {"checks": [...], "interval": s, "window": s, "range": s}` (the
    /// shape routes are shown in); absent fields keep their defaults.
    func statusSchedule() throws(AdminError) -> StatusSchedule {
        let schedule = try statusScheduleChange().applied(to: StatusSchedule())
        if let problem = schedule.problem { throw .invalid(field: "status", detail: problem) }
        return schedule
    }

    /// The same object read as a change (`PATCH` of a route): absent fields are left as they are.
    func statusScheduleChange() throws(AdminError) -> StatusScheduleChange {
        guard let value = fields["status"], !value.isNull else { return StatusScheduleChange() }
        guard let object = value.objectValue else {
            throw .invalid(field: "status", detail: "must be an object {\"checks\": [...], \"interval\", \"window\", \"range\"} (seconds)")
        }
        do throws(AdminError) {
            let inner = AdminBody(fields: object)
            var change = StatusScheduleChange()
            if let checks = try inner.optionalStrings("checks") { change.checks = try AdminInput.statusChecks(checks, field: "checks") }
            change.intervalSeconds = try inner.optionalNumber("interval")
            change.windowSeconds = try inner.optionalNumber("window")
            change.rangeSeconds = try inner.optionalNumber("range")
            return change
        } catch {
            guard case .invalid(let field, let detail) = error, field != "status" else { throw error }
            throw .invalid(field: "status.\(field)", detail: detail)
        }
    }
}
