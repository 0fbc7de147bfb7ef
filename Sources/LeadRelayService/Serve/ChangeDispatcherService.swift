import ServiceLifecycle

/// The change dispatcher as a lifecycle service: it delivers changes until the graceful
/// shutdown, then stops claiming and writes back the attempts in flight.
struct ChangeDispatcherService: Service {
    let changes: ChangeDispatcher

    func run() async throws {
        await withGracefulShutdownHandler {
            await changes.run()
        } onGracefulShutdown: {
            changes.stop()
        }
    }
}
