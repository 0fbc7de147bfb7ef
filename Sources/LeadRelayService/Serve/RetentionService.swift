import Foundation
import Logging
import ServiceLifecycle

/// The retention period as a lifecycle service of `leadrelay serve` (when `retention.days`
/// is set): a run when the service starts, then every `interval` (an hour), each logged
/// with how many leads it anonymised; a failed run is logged and tried at the next one.
struct RetentionService: Service {
    let retention: Retention
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            repeat {
                do {
                    let cleared = try await retention.run(now: Date().timeIntervalSince1970)
                    if cleared > 0 {
                        logger.notice(
                            "retention: leads anonymised", metadata: ["leads": "\(cleared)", "days": "\(retention.days)"])
                    }
                } catch {
                    logger.error("retention: the run failed; it runs again later", metadata: ["error": "\(error)"])
                }
            } while (try? await Task.sleep(for: interval)) != nil
        }
    }
}
