import ArgumentParser
import Foundation
import LeadRelayService

/// Where a postback URL template's allowed ports come from: the service's configuration
/// (`egress.postbacks.ports`, from `--config`, `$LEADRELAY_CONFIG` and
/// `LEADRELAY_EGRESS_POSTBACKS_PORTS`, as `leadrelay serve` reads them; 80 and 443 by default).
struct PostbackOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: "The service's JSON configuration file, for egress.postbacks.ports (default: $LEADRELAY_CONFIG, else none).")
    var configFile: String?

    /// The administration of `options`' store, checking templates against the configured ports.
    func administration(_ options: StoreOptions) async throws -> Administration {
        let environment = ProcessInfo.processInfo.environment
        let settings: ServiceSettings
        do {
            settings = try await ServiceSettings.read(
                file: configFile ?? environment[ServiceSettings.fileVariable], environment: environment)
        } catch {
            throw ValidationError("\(error)")
        }
        var admin = try options.administration()
        admin.postbackPorts = settings.postbackPorts
        return admin
    }
}
