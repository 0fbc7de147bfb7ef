import ArgumentParser
import Foundation
import LeadRelayService
import Logging

/// `leadrelay serve`: the service. Affiliates post leads to its API; its dispatcher delivers
/// them through the integrations of their offers' routes (docs/service.md,
/// docs/configuration.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Take leads over HTTP and deliver them through the integrations (see docs/service.md).",
        discussion: """
            With no configuration it listens on 127.0.0.1:8080, keeps leadrelay.sqlite and leadrelay.key in the \
            working directory, loads ./integrations, and lets scripts reach public addresses only. Settings come \
            from a JSON file (--config, or LEADRELAY_CONFIG) and LEADRELAY_* environment variables, which win; \
            docs/configuration.md lists them. SIGTERM or Ctrl-C stops it gracefully (exit 0).
            """
    )

    @Option(name: .customLong("config"), help: "A JSON configuration file (default: $LEADRELAY_CONFIG, else none).")
    var configFile: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let settings: ServiceSettings
        do {
            settings = try await ServiceSettings.read(
                file: configFile ?? environment[ServiceSettings.fileVariable], environment: environment)
        } catch {
            FileHandle.standardError.write(Data("leadrelay serve: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let level = settings.logLevel
        switch settings.logFormat {
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        var logger = Logger(label: "leadrelay")
        logger.logLevel = level
        do {
            try await ServiceRunner.run(settings, environment: environment, logger: logger) { port in
                FileHandle.standardOutput.write(Data("leadrelay serve: listening on http://\(settings.host):\(port)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("leadrelay serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
