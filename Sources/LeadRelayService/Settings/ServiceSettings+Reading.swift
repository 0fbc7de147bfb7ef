import Configuration
import Foundation
import Logging
import OutboundHTTP
import SystemPackage

extension ServiceSettings {
    /// The environment variable naming the configuration file when `--config` is not given.
    public static let fileVariable = "LEADRELAY_CONFIG"

    /// Reads the settings through swift-configuration: `LEADRELAY_*` environment variables
    /// first (`LEADRELAY_HTTP_PORT=9090` overrides `http.port`), then the JSON `file` if one
    /// is given, then the defaults. Unknown keys in the file and values of the wrong type or
    /// out of range are errors naming the key, never silently ignored.
    public static func read(file: String?, environment: [String: String]) async throws(SettingsError) -> ServiceSettings {
        let variables = KeyMappingProvider(upstream: EnvironmentVariablesProvider(environmentVariables: environment)) { key in
            key.prepending(["leadrelay"])
        }
        var providers: [any ConfigProvider] = [variables]
        if let file {
            try SettingsFileCheck.check(file)
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(file)))
            } catch {
                throw .unreadableFile(path: file, detail: "\(error)")
            }
        }
        return try ServiceSettings(reader: SettingsReader(ConfigReader(providers: providers)))
    }

    init(reader: SettingsReader) throws(SettingsError) {
        self.init()
        host = try reader.string(.host) ?? host
        port = try reader.int(.port, in: 0...65535) ?? port
        if let name = try reader.string(.engine) {
            switch name {
            case "native": engine = .native
            case "curl": engine = .curl
            default: throw .invalid(.engine, value: name.debugDescription)
            }
        }
        storePath = try reader.string(.storePath) ?? storePath
        keyFile = try reader.string(.keyFile) ?? keyFile
        integrationsDirectory = try reader.string(.integrations) ?? integrationsDirectory
        reloadSeconds = try reader.seconds(.reload, allowingZero: true) ?? reloadSeconds
        scriptEgress = try reader.blocks(.scriptEgress) ?? scriptEgress
        postbackEgress = try reader.blocks(.postbackEgress) ?? postbackEgress
        postbackPorts = try reader.ports(.postbackPorts) ?? postbackPorts
        trustedProxies = try reader.blocks(.trustedProxies) ?? trustedProxies
        owner = try reader.string(.owner) ?? owner
        batch = try reader.int(.batch, in: 1...100_000) ?? batch
        maxInFlight = try reader.int(.maxInFlight, in: 1...1_000_000) ?? maxInFlight
        attemptTimeout = try reader.seconds(.attemptTimeout, allowingZero: false) ?? attemptTimeout
        leaseSeconds = try reader.seconds(.lease, allowingZero: false)
        if let lease = leaseSeconds, lease <= attemptTimeout {
            throw .invalid(.lease, value: "\(lease) (the attempt timeout is \(attemptTimeout))")
        }
        shutdownGraceSeconds = try reader.seconds(.shutdownGrace, allowingZero: true) ?? shutdownGraceSeconds
        if let level = try reader.string(.logLevel) {
            guard let parsed = Logger.Level(rawValue: level) else { throw .invalid(.logLevel, value: level.debugDescription) }
            logLevel = parsed
        }
        retentionDays = try reader.int(.retentionDays, in: 1...36_500)
        if let format = try reader.string(.logFormat) {
            guard let parsed = LogFormat(rawValue: format) else { throw .invalid(.logFormat, value: format.debugDescription) }
            logFormat = parsed
        }
    }

    /// The egress policy of scripts' requests.
    public var scriptEgressPolicy: EgressPolicy { .allowing(scriptEgress) }

    /// The lease owner: the configured name, or host name and process id.
    public var effectiveOwner: String {
        owner ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }
}

/// Typed reads over a `ConfigReader` that tell "absent" (nil: keep the default) from
/// "present but wrong" (an error naming the key): swift-configuration's own getters return
/// nil for both.
struct SettingsReader {
    let config: ConfigReader

    init(_ config: ConfigReader) { self.config = config }

    /// Whether the key has a value of any type.
    private func present(_ key: SettingKey) -> Bool {
        let name = ConfigKey(key.name)
        return config.string(forKey: name) != nil || config.int(forKey: name) != nil || config.double(forKey: name) != nil
            || config.bool(forKey: name) != nil || config.stringArray(forKey: name) != nil || config.intArray(forKey: name) != nil
    }

    private func shown(_ key: SettingKey) -> String {
        let name = ConfigKey(key.name)
        if let text = config.string(forKey: name) { return text.debugDescription }
        if let number = config.double(forKey: name) { return "\(number)" }
        if let flag = config.bool(forKey: name) { return "\(flag)" }
        if let list = config.stringArray(forKey: name) { return "\(list)" }
        return "this value"
    }

    func string(_ key: SettingKey) throws(SettingsError) -> String? {
        if let text = config.string(forKey: ConfigKey(key.name)) {
            guard !text.isEmpty else { throw .invalid(key, value: "an empty string") }
            return text
        }
        if present(key) { throw .invalid(key, value: shown(key)) }
        return nil
    }

    func int(_ key: SettingKey, in range: ClosedRange<Int>) throws(SettingsError) -> Int? {
        if let number = config.int(forKey: ConfigKey(key.name)) {
            guard range.contains(number) else { throw .invalid(key, value: "\(number)") }
            return number
        }
        if present(key) { throw .invalid(key, value: shown(key)) }
        return nil
    }

    func seconds(_ key: SettingKey, allowingZero: Bool) throws(SettingsError) -> Double? {
        let name = ConfigKey(key.name)
        guard let value = config.double(forKey: name) ?? config.int(forKey: name).map(Double.init) else {
            if present(key) { throw .invalid(key, value: shown(key)) }
            return nil
        }
        guard value.isFinite, value > 0 || (allowingZero && value == 0) else { throw .invalid(key, value: "\(value)") }
        return value
    }

    func blocks(_ key: SettingKey) throws(SettingsError) -> [AddressBlock]? {
        guard let texts = config.stringArray(forKey: ConfigKey(key.name)) else {
            if present(key) { throw .invalid(key, value: shown(key)) }
            return nil
        }
        var blocks: [AddressBlock] = []
        for text in texts.map({ $0.trimmingCharacters(in: .whitespaces) }) where !text.isEmpty {
            guard let block = AddressBlock(text) else { throw .invalid(key, value: "\(text.debugDescription) in the list") }
            blocks.append(block)
        }
        return blocks
    }

    func ports(_ key: SettingKey) throws(SettingsError) -> [Int]? {
        guard let numbers = config.intArray(forKey: ConfigKey(key.name)) else {
            if present(key) { throw .invalid(key, value: shown(key)) }
            return nil
        }
        for number in numbers where !(1...65535).contains(number) { throw .invalid(key, value: "\(number) in the list") }
        return numbers
    }
}
