/// One thing wrong with the parameters ops gave a route, against the script's manifest.
public enum RouteParameterProblem: Sendable, Equatable, CustomStringConvertible {
    /// The script declares no parameter of this name; `suggestion` is a declared one close to it.
    case unknown(name: String, suggestion: String?)
    /// A parameter the script declares `required = true` (with no default) is missing or empty.
    case missing(name: String, description: String?)
    /// The value is not of the type the manifest says: the JSON type of the parameter's
    /// declared `default`, and text for a secret (it is stored encrypted as text).
    case wrongType(name: String, expected: String, given: String)

    /// The parameter the problem is about.
    public var name: String {
        switch self {
        case .unknown(let name, _), .missing(let name, _), .wrongType(let name, _, _): return name
        }
    }

    /// A short code for API answers: `unknown`, `required` or `type`.
    public var code: String {
        switch self {
        case .unknown: return "unknown"
        case .missing: return "required"
        case .wrongType: return "type"
        }
    }

    public var description: String {
        switch self {
        case .unknown(let name, let suggestion):
            return "unknown parameter \"\(name)\"" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
        case .missing(let name, let description):
            return "missing required parameter \"\(name)\"" + (description.map { ": \($0)" } ?? "")
        case .wrongType(let name, let expected, let given):
            return "parameter \"\(name)\" must be \(expected), not \(given)"
        }
    }
}

/// Why a route could not be set up, naming each thing to fix.
public enum RouteSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No integration of this name is loaded; `known` lists those that are.
    case unknownIntegration(String, suggestion: String?, known: [String])
    /// The parameters do not fit the integration's manifest: every problem, sorted by name.
    case invalidParameters(integration: String, problems: [RouteParameterProblem])
    /// A route setting outside what it may be (a country code, a cap, a priority).
    case invalidSetting(name: String, detail: String)

    public var description: String {
        switch self {
        case .unknownIntegration(let name, let suggestion, let known):
            let hint = suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""
            let list = known.isEmpty ? "none is loaded: check the integrations directory" : "known: \(known.joined(separator: ", "))"
            return "unknown integration \"\(name)\"\(hint); \(list)"
        case .invalidParameters(let integration, let problems):
            return "the parameters do not fit integration \(integration):" + problems.map { "\n  - \($0.description)" }.joined()
        case .invalidSetting(let name, let detail):
            return "\(name): \(detail)"
        }
    }
}
