import IntegrationRuntime

/// Why `leadrelay serve` cannot start; each says what to fix.
public enum ServeError: Error, CustomStringConvertible {
    case settings(SettingsError)
    case secrets(SecretKeyError)
    case store(StoreError)
    case integrations(path: String, ScriptLoadError)
    case listen(host: String, port: Int)

    public var description: String {
        switch self {
        case .settings(let error): return "\(error)"
        case .secrets(let error): return "secrets key: \(error)"
        case .store(let error): return "store: \(error)"
        case .integrations(let path, let error):
            return "integrations folder \(path): \(error) (set integrations.directory or LEADRELAY_INTEGRATIONS_DIRECTORY)"
        case .listen(let host, let port):
            return "cannot listen on \(host):\(port): the address is in use or not this machine's (set http.host and http.port)"
        }
    }
}
