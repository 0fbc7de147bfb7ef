import ServiceLifecycle

/// The affiliate postback sender as a lifecycle service: it sends due postbacks until the
/// graceful shutdown. A call under way then is left to its lease: the postback is claimed
/// again (by this process restarted, or another) once the lease runs out.
struct AffiliatePostbackService: Service {
    let sender: AffiliatePostbackSender

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await sender.run()
        }
    }
}
