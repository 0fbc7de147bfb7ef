import Foundation
import IntegrationRuntime
import Logging
import ServiceLifecycle

/// The dispatcher as a lifecycle service: it delivers until the graceful shutdown, then stops
/// claiming, hands back what it had not started and writes back the attempts in flight.
struct DispatcherService: Service {
    let dispatcher: Dispatcher

    func run() async throws {
        await withGracefulShutdownHandler {
            await dispatcher.run()
        } onGracefulShutdown: {
            dispatcher.stop()
        }
    }
}

/// Looks at the integration scripts every `interval` and swaps in what changed (the
/// runtime's hot reload), logging each change; a broken new version leaves the old one
/// serving. When a script is reloaded and leads it failed, or changes of delivered leads
/// through it, are held, the log offers them for redelivery (`leadrelay redeliver
/// --integration <name>`).
struct ScriptReloadService: Service {
    let scripts: IntegrationDirectory
    let interval: Duration
    let store: any LeadStore & ChangeStore
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // Cancelled at the graceful shutdown: the loop ends, the service returns.
                guard (try? await Task.sleep(for: interval)) != nil else { return }
                do throws(ScriptLoadError) {
                    for change in try scripts.rescan() {
                        ScriptChangeLog.log(change, to: logger)
                        if case .reloaded(let name) = change { await offerRedelivery(name) }
                    }
                } catch {
                    logger.error("integrations: cannot read the folder", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

extension ScriptReloadService {
    /// Logs how many leads and changes of `integration` are held, and the command that
    /// sends them again.
    func offerRedelivery(_ integration: String) async {
        let which = HeldLeads(integration: integration)
        let held = (try? await store.held(which).count) ?? 0
        let changes = (try? await store.heldChanges(which).count) ?? 0
        guard held + changes > 0 else { return }
        logger.notice(
            "leads held in error can be redelivered now that the script changed",
            metadata: [
                "integration": "\(integration)", "held": "\(held)", "held_changes": "\(changes)",
                "command": "leadrelay redeliver --integration \(integration)",
            ])
    }
}

/// Marks the service not ready as soon as a graceful shutdown begins, before the server
/// stops taking requests: a load balancer polling `/health/ready` moves traffic away.
struct StoppingMarker: Service {
    let health: ServiceHealth

    func run() async throws {
        try? await gracefulShutdown()
        health.markStopping()
    }
}

/// One log line per change of the integration scripts.
enum ScriptChangeLog {
    static func log(_ change: IntegrationDirectory.Change, to logger: Logger) {
        switch change {
        case .added(let name): logger.info("integration loaded", metadata: ["integration": "\(name)"])
        case .reloaded(let name): logger.notice("integration reloaded", metadata: ["integration": "\(name)"])
        case .failed(let name, let error):
            logger.error("integration not loaded", metadata: ["integration": "\(name)", "error": "\(error)"])
        case .missing(let name):
            logger.warning("integration file gone; the loaded version keeps serving", metadata: ["integration": "\(name)"])
        }
    }
}
