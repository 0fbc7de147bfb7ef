import CEpoll

/// Names the calling OS thread as `top -H` and `perf` show it (at most 15 bytes are kept):
/// Foundation does not do it on Linux. Here because this module owns the Linux shim
/// (CEpoll); the runtime's pool workers and watchdog use it too.
public func nameCurrentThread(_ name: String) {
    cepoll_name_this_thread(String(name.prefix(15)))
}
