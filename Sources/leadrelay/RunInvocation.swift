import Foundation
import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP

/// The work of `leadrelay run`: load the files, make the call the way production does (on
/// a pool under its watchdog; a lead through the delivery engine with one attempt and the
/// script's rate limit; a status check or postback through the rate-limited pool), or
/// only prepare it (`--dry-run`: nothing is sent), and describe it as JSON (`CallReport`)
/// with every secret masked, and a warning per secret too short to mask.
struct RunInvocation {
    var integration: String
    var leadFile: String
    var paramsFile: String
    var action: String
    var check: String?
    var dryRun: Bool
    var integrations: String
    var transport: any HTTPTransport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var limits: LuaLimits = .default
    /// The host modules the script sees (the contract's; a test may add one).
    var modules: [HostModule] = StandardModules.all

    func execute() async throws(ScriptLoadError) -> JSONValue {
        guard let action = Action(rawValue: action) else {
            throw ScriptLoadError(
                file: "--action",
                message: "unknown action \"\(self.action)\" (known: \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let catalog = try IntegrationCatalog.scan(integrations)
        guard case .object(let params) = try JSONInputFile.read(paramsFile) else {
            throw ScriptLoadError(file: paramsFile, message: "the parameters must be a JSON object")
        }
        let subject = try readSubject(for: action)
        let input = CallInput(action: action, subject: subject, params: params, now: Int64(SystemClock.epochSeconds()))
        let pool =
            dryRun
            ? try IntegrationPool(
                catalog: catalog, name: integration, limits: limits, modules: modules,
                transport: DryRunTransport(), workers: 1)
            : try IntegrationPool.rateLimited(
                catalog: catalog, name: integration, limits: limits, modules: modules,
                transport: transport, workers: 1)
        defer { pool.shutdown() }
        let parameters = SecretParameters(manifest: pool.manifest, params: params)
        var delivery: DeliveryEvent?
        let result: CallResult
        if action.deliversLead && !dryRun {
            let final = await DeliveryEngine.attemptOnce(input, through: pool)
            delivery = final
            result = final.result ?? CallResult(value: .outcome(final.outcome ?? .error("no outcome")))
        } else {
            result = await pool.run(input)
        }
        let report = CallReport(result)
        var output: [String: JSONValue] = [
            "integration": .string(integration), "action": .string(action.rawValue), "dry_run": .bool(dryRun),
        ]
        // What the service would record for the lead after this one attempt.
        if let delivery { output["delivery"] = .string(delivery.state.description) }
        if !parameters.warnings.isEmpty { output["warnings"] = .array(parameters.warnings.map(JSONValue.string)) }
        if dryRun {
            // The call ended where it would have sent: what it made of the refusal is not shown.
            if let request = report.firstRequest {
                output["request"] = request
                if let logs = report.json["logs"] { output["logs"] = logs }
            } else {
                output.merge(report.json.objectValue ?? [:]) { a, _ in a }
            }
        } else {
            output.merge(report.json.objectValue ?? [:]) { a, _ in a }
        }
        return report.masker.mask(JSONValue.object(output))
    }

    /// The call's subject from the `--lead` file, read as a fixture's is: the file is the
    /// lead, the status check's scope (with `--check`), or the inbound postback request.
    private func readSubject(for action: Action) throws(ScriptLoadError) -> CallSubject {
        let file = try JSONInputFile.read(leadFile)
        var fields: [String: JSONValue]
        switch action {
        case .push, .register, .update, .approved: fields = ["lead": file]
        case .postback: fields = ["inbound": file]
        case .status:
            fields = file.objectValue ?? [:]
            guard let check = check ?? fields["check"]?.stringValue, StatusCheck(rawValue: check) != nil else {
                throw ScriptLoadError(file: "--check", message: "a status run needs --check processing|approved|range")
            }
            fields["check"] = .string(check)
        }
        return try CallSubject.read(fields, for: action, file: leadFile)
    }
}
