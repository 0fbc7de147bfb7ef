import Foundation
import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP

/// The work of `leadrelay run`: load the files, make the call (live or dry) under the
/// watchdog, and describe it as JSON with every secret masked by the call's masker (secret
/// parameters, values the script registered, credential headers), and a warning per secret
/// too short to mask.
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
            throw ScriptLoadError(file: "--action", message: "unknown action \"\(self.action)\" (known: \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let catalog = try IntegrationCatalog.scan(integrations)
        let instance = try catalog.instance(integration, limits: limits, modules: modules)
        let leadJSON = try Self.readJSON(leadFile)
        guard case .object(let params) = try Self.readJSON(paramsFile) else {
            throw ScriptLoadError(file: paramsFile, message: "the parameters must be a JSON object")
        }
        let subject: CallSubject
        switch action {
        case .status:
            guard let c = check ?? leadJSON["check"]?.stringValue, let statusCheck = StatusCheck(rawValue: c) else {
                throw ScriptLoadError(file: "--check", message: "a status run needs --check processing|approved|range")
            }
            // The same shapes a fixture must have (FixtureLoader).
            if statusCheck == .range {
                guard let from = leadJSON["from"]?.stringValue, let to = leadJSON["to"]?.stringValue,
                      ISO8601.parse(from) != nil, ISO8601.parse(to) != nil else {
                    throw ScriptLoadError(file: leadFile, message: "a range check needs \"from\" and \"to\" (ISO 8601 UTC, such as 2025-12-31T00:00:00Z)")
                }
                subject = .status(.range(from: from, to: to))
            } else {
                guard let leads = leadJSON["leads"]?.arrayValue, leads.allSatisfy({ $0.objectValue != nil }) else {
                    throw ScriptLoadError(file: leadFile, message: "a \(statusCheck.rawValue) check needs \"leads\": [{id, external_id, created_at}]")
                }
                subject = .status(statusCheck == .processing ? .processing(leads: leads) : .approved(leads: leads))
            }
        case .postback:
            guard leadJSON.objectValue != nil else {
                throw ScriptLoadError(file: leadFile, message: "a postback run needs the inbound request as a JSON object")
            }
            subject = .postback(inbound: leadJSON)
        default:
            guard leadJSON.objectValue != nil else {
                throw ScriptLoadError(file: leadFile, message: "the lead must be a JSON object")
            }
            subject = .lead(leadJSON)
        }
        let input = CallInput(action: action, subject: subject, params: params, now: Int64(SystemClock.epochSeconds()))
        var output: [String: JSONValue] = [
            "integration": .string(integration), "action": .string(action.rawValue), "dry_run": .bool(dryRun),
        ]
        let warnings = SecretParameters(manifest: instance.manifest, params: params).warnings
        if !warnings.isEmpty { output["warnings"] = .array(warnings.map(JSONValue.string)) }
        // Under the watchdog: a VM stuck inside C ends the call with the time limit.
        let watched = WatchedInstance(instance)
        let (call, first) = await watched.start(input)
        var masker = call.masker
        var step = first
        var exchanges: [JSONValue] = []
        loop: while true {
            switch step {
            case .finished(let result):
                masker = result.masker
                output.merge(result.json.objectValue ?? [:]) { a, _ in a }
                if !result.logs.isEmpty {
                    output["logs"] = .array(result.logs.map { .string("[\($0.level.rawValue)] \($0.message)") })
                }
                if let l = result.location { output["location"] = .string(l) }
                break loop
            case .needsHTTP(let request):
                if dryRun {
                    output["request"] = Self.describe(request)
                    masker = call.masker
                    await watched.cancel(call)
                    break loop
                }
                let response = await transport.perform(request)
                exchanges.append(.object(["request": Self.describe(request), "response": Self.describe(response)]))
                step = await watched.resume(call, with: response)
            }
        }
        if !exchanges.isEmpty { output["exchanges"] = .array(exchanges) }
        return masker.mask(JSONValue.object(output))
    }

    static func readJSON(_ path: String) throws(ScriptLoadError) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptLoadError(file: path, message: "cannot read the file")
        }
        do { return try JSONValue.parse(Array(data)) } catch {
            throw ScriptLoadError(file: path, line: error.line > 0 ? error.line : nil, message: "not valid JSON: \(error)")
        }
    }

    static func describe(_ r: OutboundRequest) -> JSONValue {
        var o: [String: JSONValue] = [
            "method": .string(r.method), "url": .string(r.url),
            "headers": .object(Dictionary(r.headers.map { ($0.name, JSONValue.string($0.value)) }, uniquingKeysWith: { a, _ in a })),
            "timeout": .number(r.timeout),
        ]
        if !r.body.isEmpty {
            if r.header("content-type")?.contains("json") == true, let json = try? JSONValue.parse(r.body) {
                o["json"] = json
            } else {
                o["body"] = .string(String(decoding: r.body, as: UTF8.self))
            }
        }
        return .object(o)
    }

    static func describe(_ r: OutboundResponse) -> JSONValue {
        var o: [String: JSONValue] = ["status": .integer(Int64(r.status)), "elapsed": .number(r.elapsed)]
        if let f = r.failure { o["error"] = .string(f.rawValue) }
        if let d = r.failureDetail { o["detail"] = .string(d) }
        o["headers"] = .object(Dictionary(r.headers.map { ($0.name, JSONValue.string($0.value)) }, uniquingKeysWith: { a, b in .string((a.stringValue ?? "") + ", " + (b.stringValue ?? "")) }))
        if let json = try? JSONValue.parse(r.body), !r.body.isEmpty { o["json"] = json } else if !r.body.isEmpty {
            o["body"] = .string(String(decoding: r.body.prefix(64 * 1024), as: UTF8.self))
        }
        return .object(o)
    }
}
