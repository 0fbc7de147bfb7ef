import IntegrationRuntime

extension AdminBody {
    /// A route's `"status": {"checks": [...], "interval": s, "window": s, "range": s}` (the
    /// shape routes are shown in); absent fields keep their defaults.
    func statusSchedule() throws(AdminError) -> StatusSchedule {
        guard let value = fields["status"], !value.isNull else { return StatusSchedule() }
        guard let object = value.objectValue else {
            throw .invalid(field: "status", detail: "must be an object {\"checks\": [...], \"interval\", \"window\", \"range\"} (seconds)")
        }
        do throws(AdminError) {
            let inner = AdminBody(fields: object)
            var schedule = StatusSchedule()
            if let checks = try inner.optionalStrings("checks") { schedule.checks = try AdminInput.statusChecks(checks, field: "checks") }
            if let interval = try inner.optionalNumber("interval") { schedule.intervalSeconds = interval }
            if let window = try inner.optionalNumber("window") { schedule.windowSeconds = window }
            if let range = try inner.optionalNumber("range") { schedule.rangeSeconds = range }
            if let problem = schedule.problem { throw AdminError.invalid(field: "status", detail: problem) }
            return schedule
        } catch {
            guard case .invalid(let field, let detail) = error, field != "status" else { throw error }
            throw .invalid(field: "status.\(field)", detail: detail)
        }
    }
}
