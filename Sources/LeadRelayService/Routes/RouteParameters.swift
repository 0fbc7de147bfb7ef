import IntegrationRuntime
import LeadJSON

/// A route's parameters checked against its script's manifest (`params` in the script's
/// table): every name declared, every `required` one given, each value of the type the
/// manifest says. The secret names come from the manifest (`secret = true`), never from
/// the caller, so a secret cannot be stored in clear by leaving it off a list.
///
///     let checked = try RouteParameters(["base_url": "https://crm.example", "api_token": "t-1"], manifest: pool.manifest)
///     route.params = checked.params; route.secretParams = checked.secretNames
public struct RouteParameters: Sendable, Equatable {
    /// The values given, `null` ones left out (a declared default then applies at call time).
    public let params: [String: JSONValue]
    /// The parameters the manifest declares `secret = true`.
    public let secretNames: Set<String>
    /// One line per secret too short to mask safely (`SecretParameters`), naming it, never its value.
    public let warnings: [String]

    /// Checks `given` against `manifest`; every problem at once, sorted by parameter name.
    public init(_ given: [String: JSONValue], manifest: IntegrationManifest) throws(RouteSetupError) {
        var problems: [RouteParameterProblem] = []
        var params: [String: JSONValue] = [:]
        let declared = Set(manifest.params.map(\.name))
        for (name, value) in given where !value.isNull {
            guard let spec = manifest.param(name) else {
                problems.append(.unknown(name: name, suggestion: NearestName.among(declared.subtracting(given.keys), to: name)))
                continue
            }
            if let expected = Self.expectedType(spec), Self.typeName(value) != expected {
                problems.append(.wrongType(name: name, expected: Self.article(expected), given: Self.article(Self.typeName(value))))
                continue
            }
            params[name] = value
        }
        for spec in manifest.params where spec.required && spec.defaultValue == nil {
            let value = given[spec.name] ?? .null
            if value.isNull || value == .string("") { problems.append(.missing(name: spec.name, description: spec.description)) }
        }
        guard problems.isEmpty else {
            throw .invalidParameters(integration: manifest.name, problems: problems.sorted { ($0.name, $0.code) < ($1.name, $1.code) })
        }
        self.params = params
        secretNames = Set(manifest.params.filter(\.secret).map(\.name))
        warnings = SecretParameters(manifest: manifest, params: params).warnings
    }

    /// The type a parameter's value must have: text for a secret (sealed as text), else
    /// the JSON type of its `default`; nil when the manifest says none.
    static func expectedType(_ spec: ParamSpec) -> String? {
        if spec.secret { return "string" }
        guard let value = spec.defaultValue, !value.isNull else { return nil }
        return typeName(value)
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func article(_ type: String) -> String {
        type == "array" || type == "object" ? "an \(type)" : "a \(type)"
    }
}
