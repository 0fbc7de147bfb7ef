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
    /// `--param NAME=VALUE`: strings in place of the params file's values.
    var paramOverrides: [String: String] = [:]
    var action: String
    var check: String?
    var dryRun: Bool
    var integrations: String
    /// `--credentials FILE`: where the script's `credentials` module keeps its values.
    var credentialsFile: String = FileCredentialStore.defaultPath()
    var transport: any HTTPTransport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var limits: LuaLimits = .default
    /// The host modules the script sees (the contract's; a test may add one).
    var modules: [HostModule] = StandardModules.all

    /// What `execute` printed as JSON, with what `--expect` and `--format curl` read.
    struct Output {
        /// The report `run` prints: masked.
        var json: JSONValue
        /// The call's result (a status check's calls merged): unmasked.
        var result: CallResult
        /// The requests made (a dry run's, one per status batch): unmasked.
        var requests: [OutboundRequest]
        /// Masks the call's secrets.
        var masker: SecretMasker
        /// The call as asked for (a status check split in batches: all its leads).
        var input: CallInput
        /// The parameters the script declares.
        var declared: Set<String>
    }

    func execute() async throws(ScriptLoadError) -> JSONValue { try await perform().json }

    func perform() async throws(ScriptLoadError) -> Output {
        guard let action = Action(rawValue: action) else {
            throw ScriptLoadError(
                file: "--action",
                message: "unknown action \"\(self.action)\" (known: \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let catalog = try IntegrationCatalog.scan(integrations)
        guard case .object(var params) = try JSONInputFile.read(paramsFile) else {
            throw ScriptLoadError(file: paramsFile, message: "the parameters must be a JSON object")
        }
        for (name, value) in paramOverrides { params[name] = .string(value) }
        let subject = try readSubject(for: action)
        let input = CallInput(
            action: action, subject: subject, params: params, now: Int64(SystemClock.epochSeconds()),
            credentials: FileCredentialStore(path: credentialsFile))
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
        // A status check goes out in batches of the script's `limits.batch`, as the service sends it.
        let calls = StatusBatches.split(input, size: StatusBatches.size(declared: pool.manifest.limits.batch))
        var delivery: DeliveryEvent?
        var result: CallResult
        var made = 1
        var requests: [OutboundRequest] = []
        if action.deliversLead && !dryRun {
            let final = await DeliveryEngine.attemptOnce(input, through: pool)
            delivery = final
            result = final.result ?? CallResult(value: .outcome(final.outcome ?? .error("no outcome")))
        } else if dryRun {
            // Each batch ends where it would have sent: its first request is what it would send.
            result = await pool.run(calls[0])
            requests = result.exchanges.prefix(1).map(\.request)
            for call in calls.dropFirst() {
                let next = await pool.run(call)
                requests += next.exchanges.prefix(1).map(\.request)
                result.masker = result.masker.merging(next.masker)
            }
        } else {
            (result, made) = await StatusBatches.run(calls) { await pool.run($0) }
        }
        let report = CallReport(result)
        if !dryRun { requests = result.exchanges.map(\.request) }
        var output: [String: JSONValue] = [
            "integration": .string(integration), "action": .string(action.rawValue), "dry_run": .bool(dryRun),
        ]
        // What the service would record for the lead after this one attempt.
        if let delivery { output["delivery"] = .string(delivery.state.description) }
        if calls.count > 1 {
            output["batch"] = .integer(Int64(StatusBatches.size(declared: pool.manifest.limits.batch)))
            output["calls"] = .integer(Int64(dryRun ? calls.count : made))
        }
        if !parameters.warnings.isEmpty { output["warnings"] = .array(parameters.warnings.map(JSONValue.string)) }
        if dryRun {
            // The call ended where it would have sent: what it made of the refusal is not shown.
            if let request = report.firstRequest {
                output["request"] = request
                if let logs = report.json["logs"] { output["logs"] = logs }
                if requests.count > 1 { output["requests"] = .array(requests.map(CallReport.json)) }
            } else {
                output.merge(report.json.objectValue ?? [:]) { a, _ in a }
            }
        } else {
            output.merge(report.json.objectValue ?? [:]) { a, _ in a }
        }
        return Output(
            json: report.masker.mask(JSONValue.object(output)), result: result, requests: requests, masker: report.masker,
            input: input, declared: Set(pool.manifest.params.map(\.name)))
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
