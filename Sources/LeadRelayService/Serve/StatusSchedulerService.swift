import ServiceLifecycle

/// The status scheduler as a lifecycle service: it runs the routes' checks until the
/// graceful shutdown, then starts no further call and returns once the calls under way ended.
struct StatusSchedulerService: Service {
    let scheduler: StatusScheduler

    func run() async throws {
        await withGracefulShutdownHandler {
            await scheduler.run()
        } onGracefulShutdown: {
            scheduler.stop()
        }
    }
}
