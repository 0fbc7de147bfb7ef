import Host
import LeadJSON
import OutboundHTTP

extension FixtureRecorder {
    /// A stored attempt as a fixture (`leadrelay fixture from-attempt`): `report` is the
    /// call as `CallReport.stored` kept it (secrets already shown as `***name***`), `input`
    /// the call (its secret parameters' values replaced by `***name***` by the caller, its
    /// lead's sensitive fields too), `outcome` the attempt's. Written as a live recording is
    /// (volatile values as `"{{any}}"`); a credential header the store masked without a
    /// name becomes `"{{any}}"`, and a body the store cut (`truncated`) is named in the
    /// warnings: that exchange cannot replay as stored.
    public static func record(
        stored report: JSONValue, input: CallInput, outcome: Outcome, declared: Set<String>, description: String
    ) -> Recording {
        var warnings: [String] = []
        var exchanges: [Exchange] = []
        for (i, item) in (report["exchanges"]?.arrayValue ?? []).enumerated() {
            let request = item["request"]?.objectValue ?? [:]
            let response = item["response"]?.objectValue ?? [:]
            if request["truncated"] != nil || response["truncated"] != nil {
                warnings.append("exchanges[\(i)]: the store kept only the first bytes of a body; that exchange will not replay as stored")
            }
            exchanges.append(Exchange(request: outbound(request), response: inbound(response)))
        }
        let result = CallResult(value: .outcome(outcome), exchanges: exchanges)
        var recording = record(input: input, result: result, declared: declared, description: description)
        recording.warnings = warnings + recording.warnings
        return recording
    }

    private static func headers(_ value: JSONValue?) -> [(name: String, value: String)] {
        (value?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, FixtureMatcher.scalarText($0.value)) }
    }

    private static func body(_ o: [String: JSONValue]) -> [UInt8] {
        if let json = o["json"] { return Array(json.encoded().utf8) }
        return Array((o["body"]?.stringValue ?? "").utf8)
    }

    private static func outbound(_ o: [String: JSONValue]) -> OutboundRequest {
        OutboundRequest(
            method: o["method"]?.stringValue ?? "POST", url: o["url"]?.stringValue ?? "", headers: headers(o["headers"]), body: body(o))
    }

    private static func inbound(_ o: [String: JSONValue]) -> OutboundResponse {
        if let error = o["error"]?.stringValue {
            return OutboundResponse(status: 0, failure: TransportFailure(rawValue: error) ?? .other)
        }
        return OutboundResponse(status: Int(o["status"]?.int64Value ?? 200), headers: headers(o["headers"]), body: body(o))
    }
}
