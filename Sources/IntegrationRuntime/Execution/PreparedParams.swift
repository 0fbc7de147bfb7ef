import Host
import LeadJSON
import OutboundHTTP

/// An offer's parameters as a call needs them: defaults applied, a masker of the secret values, and
/// (when every value is a scalar) a Lua table each call's `ctx.params` is copied from.
/// An instance keeps the last one: consecutive calls for the same offer reuse it instead of
/// resolving and converting the same values again. A class: each call takes it with one
/// retain instead of copying its five fields.
final class PreparedParams {
    /// The parameters as the caller gave them (the cache key).
    let given: [String: JSONValue]
    let resolved: [String: JSONValue]
    /// Masks the secret values (see `SecretParameters`), built once per change of parameters.
    let masker: SecretMasker
    /// The identity of the secret values (see `CredentialID`), nil without any.
    let credential: CredentialID?
    /// Registry reference of a table holding `resolved`, or nil when a value is a table
    /// (a shallow copy would share it between calls).
    let template: Int32?

    init(
        given: [String: JSONValue], resolved: [String: JSONValue], masker: SecretMasker,
        credential: CredentialID?, template: Int32?
    ) {
        self.given = given
        self.resolved = resolved
        self.masker = masker
        self.credential = credential
        self.template = template
    }

    static func make(_ given: [String: JSONValue], manifest: IntegrationManifest, vm: LuaVM)
        -> Result<PreparedParams, ContextBuilder.MissingParameter>
    {
        let resolved: [String: JSONValue]
        switch ContextBuilder.resolvedParams(given, manifest: manifest) {
        case .success(let p): resolved = p
        case .failure(let missing): return .failure(missing)
        }
        let secrets = SecretParameters(manifest: manifest, params: resolved)
        let masker = secrets.masker
        var template: Int32?
        if resolved.values.allSatisfy({ $0.arrayValue == nil && $0.objectValue == nil }) {
            LuaState(vm.L).push(JSONValue.object(resolved))
            template = vm.ref()
        }
        return .success(
            PreparedParams(
                given: given, resolved: resolved, masker: masker,
                credential: secrets.credential, template: template))
    }

    /// Pushes a fresh `ctx.params` table: a raw copy of the template, or built from the values.
    func push(on vm: LuaVM) {
        let s = LuaState(vm.L)
        guard let template else { return s.push(JSONValue.object(resolved)) }
        s.newTable(recordCount: Int32(clamping: resolved.count))
        vm.push(ref: template)
        s.pushNil()
        while s.next(-2) {
            s.pushValue(-2)  // key
            s.rotate(-2, 1)  // ... template key key value
            s.rawSet(-5)
        }
        s.pop()
    }
}
