import ArgumentParser
import Foundation
import IntegrationRuntime
import LeadJSON
import LeadRelayService

/// The options every administration command shares: the store the service uses, its
/// secrets key, the integrations directory and the output format.
struct StoreOptions: ParsableArguments {
    @Option(help: "The SQLite file of the service.")
    var store = "leadrelay.sqlite"

    @Option(help: "Directory of the integration scripts (route parameters are checked against their manifests).")
    var integrations = "integrations"

    @Option(
        help: ArgumentHelp(
            "The secrets key file, created with mode 0600 when missing; LEADRELAY_SECRET_KEY (base64) takes precedence.",
            valueName: "path"))
    var keyFile = "leadrelay.key"

    @Option(help: "Output: text for people, json for scripts.")
    var format: OutputFormat = .text

    /// The administration of the store, with route parameters checked by `routes`.
    func administration(routes: RouteSetup = .none) throws -> Administration {
        let key: SecretKey
        do { key = try SecretKey.load(file: keyFile) } catch { throw AdminExit.refused("\(error)") }
        do {
            return Administration(store: try SQLiteStore(path: store, sealer: SecretSealer(key: key)), routes: routes)
        } catch {
            throw AdminExit.refused("\(error)")
        }
    }

    /// The store itself, for lead operations (`redeliver`).
    func leadStore() throws -> SQLiteStore {
        let key: SecretKey
        do { key = try SecretKey.load(file: keyFile) } catch { throw AdminExit.refused("\(error)") }
        do { return try SQLiteStore(path: store, sealer: SecretSealer(key: key)) } catch { throw AdminExit.refused("\(error)") }
    }

    /// The manifest of one integration, loaded from `--integrations` (a script that does
    /// not load is refused with its error).
    func routeSetup(for integration: String) throws -> RouteSetup {
        let catalog: IntegrationCatalog
        do { catalog = try IntegrationCatalog.scan(integrations) } catch { throw AdminExit.refused("\(error)") }
        var manifest: IntegrationManifest?
        if catalog.scripts[integration] != nil {
            do { manifest = try catalog.instance(integration).manifest } catch { throw AdminExit.refused("\(error)") }
        }
        let names = catalog.scripts.keys.sorted()
        let loaded = manifest
        return RouteSetup(names: { names }, manifest: { $0 == integration ? loaded : nil })
    }

    /// Runs an operation: `AdminError` is a refusal (exit 1), with its message on stderr.
    func perform(_ work: () async throws(AdminError) -> Void) async throws {
        do { try await work() } catch { throw AdminExit.refused(error.description) }
    }

    /// Prints `json` (json format) or `text` (text format).
    func emit(_ json: JSONValue, text: @autoclosure () -> String) {
        switch format {
        case .json: print(json.prettyEncoded())
        case .text: print(text())
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// How an administration command ends when it cannot do what it was asked: its message
/// on standard error and exit status 1 (exit 2 is a usage error, ArgumentParser's).
enum AdminExit: Error, CustomStringConvertible {
    case refused(String)

    var description: String {
        switch self {
        case .refused(let message): return message
        }
    }

    static func usage<T>(_ read: () throws(AdminError) -> T) throws -> T {
        do { return try read() } catch { throw ValidationError(error.description) }
    }
}
