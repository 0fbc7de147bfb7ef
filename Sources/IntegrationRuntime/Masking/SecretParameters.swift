import Host
import LeadJSON
import OutboundHTTP

/// The secret values of an offer's parameters, the one place they are collected: every
/// parameter declared `secret = true`, its `default` when the offer leaves it out, numbers
/// as their JSON text, the strings and numbers inside a table. Booleans and null are not
/// secrets. A secret shorter than `SecretMasker.minimumBytes` gives a warning naming the
/// parameter (never its value): it can be masked only where it stands alone.
///
/// Calls get theirs through `PreparedParams`; `leadrelay run` and `check` read the
/// warnings when they read an offer's parameters; the service should when ops set them.
public struct SecretParameters: Sendable {
    /// A masker for these values.
    public let masker: SecretMasker
    /// One line per secret parameter too short to mask safely.
    public let warnings: [String]
    /// The identity of these secret values (per-credential rate limits), nil without any.
    public let credential: CredentialID?

    public init(manifest: IntegrationManifest, params: [String: JSONValue]) {
        var masker = SecretMasker()
        var warnings: [String] = []
        var all: [[UInt8]] = []
        for spec in manifest.params where spec.secret {
            var value = params[spec.name]
            if value == nil || value == .null { value = spec.defaultValue }
            guard let value else { continue }
            var values: [[UInt8]] = []
            Self.collect(value, into: &values)
            for bytes in values { masker.add(bytes, name: spec.name) }
            all += values
            if values.contains(where: { $0.count < SecretMasker.minimumBytes }) {
                warnings.append(
                    "parameter \"\(spec.name)\" is a secret shorter than \(SecretMasker.minimumBytes) bytes, too short to mask safely: "
                        + "it is masked only where it stands alone as a value (give it at least \(SecretMasker.minimumBytes) bytes)")
            }
        }
        self.masker = masker
        self.warnings = warnings
        credential = CredentialID(secrets: all)
    }

    private static func collect(_ value: JSONValue, into values: inout [[UInt8]]) {
        switch value {
        case .string(let s) where !s.isEmpty: values.append(Array(s.utf8))
        case .integer, .number: values.append(Array(value.encoded().utf8))
        case .array(let items): for item in items { collect(item, into: &values) }
        case .object(let fields): for key in fields.keys.sorted() { collect(fields[key]!, into: &values) }
        default: break
        }
    }
}
