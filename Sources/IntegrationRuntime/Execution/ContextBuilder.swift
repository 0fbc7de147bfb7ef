import Host
import LeadJSON

/// Builds the `ctx` table of a call (contract, section 4) on the VM's main stack.
struct ContextBuilder {
    let s: LuaState
    let manifest: IntegrationManifest

    /// The offer's parameters with declared defaults applied, or the name of the first
    /// required parameter that is missing.
    static func resolvedParams(_ given: [String: JSONValue], manifest: IntegrationManifest) -> Result<[String: JSONValue], MissingParameter>
    {
        var params = given
        for spec in manifest.params {
            let value = params[spec.name]
            if value == nil || value == .null {
                if let d = spec.defaultValue {
                    params[spec.name] = d
                } else if spec.required {
                    return .failure(MissingParameter(name: spec.name))
                }
            }
        }
        return .success(params)
    }

    struct MissingParameter: Error { let name: String }

    /// Pushes `ctx` for `input`; `pushParams` pushes its `params` table.
    func push(_ input: CallInput, params pushParams: () -> Void) {
        s.newTable(recordCount: 13)
        s.push(input.action.rawValue)
        s.setRawField(-2, "action")
        switch input.subject {
        case .lead(let lead):
            s.push(lead)
            s.setRawField(-2, "lead")
        case .status(let query):
            s.push(query.check.rawValue)
            s.setRawField(-2, "check")
            switch query {
            case .processing(let leads), .approved(let leads):
                s.push(JSONValue.array(leads))
                s.setRawField(-2, "leads")
            case .range(let from, let to):
                s.push(from)
                s.setRawField(-2, "from")
                s.push(to)
                s.setRawField(-2, "to")
            }
        case .postback, .none:
            // The inbound request is `parse`'s argument, not a field of ctx.
            break
        }
        pushParams()
        s.setRawField(-2, "params")
        s.newTable(recordCount: 2)
        s.push(input.offer.id)
        s.setRawField(-2, "id")
        s.push(input.offer.name)
        s.setRawField(-2, "name")
        s.setRawField(-2, "offer")
        s.push(input.attempt)
        s.setRawField(-2, "attempt")
        s.push(input.now)
        s.setRawField(-2, "now")
        s.push(input.test)
        s.setRawField(-2, "test")
        s.newTable()
        s.setRawField(-2, "state")
    }
}
