import IntegrationRuntime

extension AdminInput {
    /// A route's status schedule from what ops typed: `checks` as names separated by commas
    /// (`processing,range`; `none` for no polling), the interval, window and range as
    /// durations (`10m`, `30d`, `1d`); what is not given keeps its default.
    ///
    ///     let schedule = try AdminInput.statusSchedule(checks: "processing,approved", every: "5m")
    public static func statusSchedule(
        checks: String? = nil, every: String? = nil, window: String? = nil, range: String? = nil
    ) throws(AdminError) -> StatusSchedule {
        let schedule = try statusScheduleChange(checks: checks, every: every, window: window, range: range).applied(to: StatusSchedule())
        if let problem = schedule.problem { throw .invalid(field: "status", detail: problem) }
        return schedule
    }

    /// The same options read as a change of a schedule (`route set`): what is not given is
    /// left as it is. The changed schedule is checked where it is laid over the route's.
    public static func statusScheduleChange(
        checks: String? = nil, every: String? = nil, window: String? = nil, range: String? = nil
    ) throws(AdminError) -> StatusScheduleChange {
        var change = StatusScheduleChange()
        if let checks { change.checks = try statusChecks(checks.split(separator: ",").map(String.init)) }
        if let every { change.intervalSeconds = try duration(every, field: "status-every") }
        if let window { change.windowSeconds = try duration(window, field: "status-window") }
        if let range { change.rangeSeconds = try duration(range, field: "status-range") }
        return change
    }

    /// Check names (`processing`, `approved`, `range`); `none` alone for no check.
    public static func statusChecks(_ words: [String], field: String = "status-checks") throws(AdminError) -> Set<StatusCheck> {
        let trimmed = words.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if trimmed == ["none"] || trimmed.isEmpty { return [] }
        var checks: Set<StatusCheck> = []
        for word in trimmed {
            guard let check = StatusCheck(rawValue: word) else {
                let known = StatusCheck.allCases.map(\.rawValue)
                let hint = NearestName.among(known, to: word).map { " (did you mean \($0)?)" } ?? ""
                throw .invalid(
                    field: field, detail: "unknown status check \"\(word)\"\(hint); known: \(known.joined(separator: ", ")), or none")
            }
            checks.insert(check)
        }
        return checks
    }
}
