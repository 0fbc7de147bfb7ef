import Foundation
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// `leadrelay serve`'s configuration: defaults, a JSON file, `LEADRELAY_*` overrides, and
/// the errors for unknown keys and wrong values.
final class ServiceSettingsTests: XCTestCase {
    private func write(_ text: String, in folder: TemporaryDirectory) throws -> String {
        let path = folder.path + "/leadrelay.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func error(file: String?, environment: [String: String]) async -> SettingsError? {
        do {
            _ = try await ServiceSettings.read(file: file, environment: environment)
            return nil
        } catch { return error }
    }

    func testWithNoConfigurationTheDefaultsHold() async throws {
        let settings = try await ServiceSettings.read(file: nil, environment: [:])
        XCTAssertEqual(settings.host, "127.0.0.1")
        XCTAssertEqual(settings.port, 8080)
        XCTAssertEqual(settings.storePath, "leadrelay.sqlite")
        XCTAssertEqual(settings.integrationsDirectory, "integrations")
        XCTAssertEqual(settings.scriptEgress, [])
        XCTAssertEqual(settings.scriptEgressPolicy.allowedBlocks, [])
        XCTAssertFalse(settings.scriptEgressPolicy.allowsLocalNetworks)
        XCTAssertEqual(settings.trustedProxies, [])
        XCTAssertEqual(settings.postbackPorts, [80, 443])
    }

    func testTheFileIsReadAndTheEnvironmentOverridesIt() async throws {
        let folder = try TemporaryDirectory("settings")
        defer { folder.remove() }
        let file = try write(
            """
            {"http": {"host": "0.0.0.0", "port": 9000, "client": {"engine": "curl"}},
             "store": {"path": "/var/lib/leadrelay/leads.sqlite"},
             "egress": {"scripts": {"allow": ["127.0.0.0/8", "::1"]}, "postbacks": {"ports": [443]}},
             "proxies": {"trusted": ["10.0.0.0/8"]},
             "dispatch": {"batch": 16, "attemptTimeoutSeconds": 12.5},
             "log": {"format": "json", "level": "debug"}}
            """, in: folder)
        let settings = try await ServiceSettings.read(
            file: file, environment: ["LEADRELAY_HTTP_PORT": "9090", "LEADRELAY_DISPATCH_MAX_IN_FLIGHT": "40", "PATH": "/bin"])
        XCTAssertEqual(settings.host, "0.0.0.0")
        XCTAssertEqual(settings.port, 9090, "the environment wins over the file")
        XCTAssertEqual(settings.engine, .curl)
        XCTAssertEqual(settings.storePath, "/var/lib/leadrelay/leads.sqlite")
        XCTAssertEqual(settings.scriptEgress.map(\.description), ["127.0.0.0/8", "::1/128"])
        XCTAssertEqual(settings.postbackPorts, [443])
        XCTAssertEqual(settings.trustedProxies.map(\.description), ["10.0.0.0/8"])
        XCTAssertEqual(settings.batch, 16)
        XCTAssertEqual(settings.maxInFlight, 40)
        XCTAssertEqual(settings.attemptTimeout, 12.5)
        XCTAssertEqual(settings.logFormat, .json)
        XCTAssertEqual(settings.logLevel, .debug)
    }

    func testListsComeFromTheEnvironmentCommaSeparated() async throws {
        let settings = try await ServiceSettings.read(
            file: nil,
            environment: ["LEADRELAY_EGRESS_SCRIPTS_ALLOW": "127.0.0.0/8, 192.168.0.0/16", "LEADRELAY_SECRETS_KEY_FILE": "/etc/k"])
        XCTAssertEqual(settings.scriptEgress.map(\.description), ["127.0.0.0/8", "192.168.0.0/16"])
        XCTAssertEqual(settings.keyFile, "/etc/k")
    }

    func testAnUnknownKeyInTheFileIsAnErrorWithTheNearestKnownKey() async throws {
        let folder = try TemporaryDirectory("settings")
        defer { folder.remove() }
        let file = try write(#"{"http": {"prot": 9000}}"#, in: folder)
        let failure = await error(file: file, environment: [:])
        XCTAssertEqual(failure, .unknownKey("http.prot", file: file, suggestion: "http.port"))
        XCTAssertEqual(failure?.description, "configuration file \(file): unknown key \"http.prot\"; did you mean \"http.port\"?")
        let far = try write(#"{"database": {"url": "postgres://"}}"#, in: folder)
        let other = await error(file: far, environment: [:])
        XCTAssertEqual(other, .unknownKey("database.url", file: far, suggestion: nil))
    }

    func testWrongValuesNameTheKeyAndTheVariable() async throws {
        let port = await error(file: nil, environment: ["LEADRELAY_HTTP_PORT": "eighty"])
        XCTAssertEqual(port?.description, "configuration http.port (or LEADRELAY_HTTP_PORT): \"eighty\" is not a port number (0-65535)")
        let range = await error(file: nil, environment: ["LEADRELAY_HTTP_PORT": "70000"])
        XCTAssertEqual(range, .invalid(.port, value: "70000"))
        let block = await error(file: nil, environment: ["LEADRELAY_PROXIES_TRUSTED": "10.0.0.0/8,proxy.local"])
        XCTAssertEqual(block, .invalid(.trustedProxies, value: "\"proxy.local\" in the list"))
        let level = await error(file: nil, environment: ["LEADRELAY_LOG_LEVEL": "loud"])
        XCTAssertEqual(level, .invalid(.logLevel, value: "\"loud\""))
        let timeout = await error(file: nil, environment: ["LEADRELAY_DISPATCH_ATTEMPT_TIMEOUT_SECONDS": "0"])
        XCTAssertEqual(timeout, .invalid(.attemptTimeout, value: "0.0"))
    }

    func testABrokenFileIsAnErrorNamingIt() async throws {
        let folder = try TemporaryDirectory("settings")
        defer { folder.remove() }
        let file = try write(#"{"http": {"port": 90"#, in: folder)
        guard case .unreadableFile(let path, let detail) = await error(file: file, environment: [:]) else { return XCTFail("no error") }
        XCTAssertEqual(path, file)
        XCTAssertTrue(detail.hasPrefix("not JSON"), detail)
        let array = try write("[1]", in: folder)
        guard case .unreadableFile(_, let shape) = await error(file: array, environment: [:]) else { return XCTFail("no error") }
        XCTAssertTrue(shape.hasPrefix("must hold a JSON object"), shape)
        let missing = await error(file: folder.path + "/none.json", environment: [:])
        XCTAssertEqual(missing?.description.contains("cannot read it"), true, missing?.description ?? "")
    }

    /// Every key is in docs/configuration.md with its environment variable.
    func testTheDocsListEveryKey() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for key in SettingKey.all {
            XCTAssertTrue(text.contains("`\(key.name)`"), "docs/configuration.md lacks \(key.name)")
            XCTAssertTrue(text.contains("`\(key.environmentVariable)`"), "docs/configuration.md lacks \(key.environmentVariable)")
        }
    }
}
