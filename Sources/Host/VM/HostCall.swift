/// What host functions know about the hook call that is running: its clock, its cache
/// scope, the values to mask in logs, and where `http.request` may wait.
public final class HostCall {
    /// Epoch seconds the call sees as "now" (`time.now()`, `os.time()`); fixed in fixtures.
    public var now: Int64
    /// Cache entries are scoped to one integration and offer.
    public var cacheNamespace: String
    /// Secret parameter values, shown as `***` in logs.
    public var secrets: [String]
    /// The only coroutine in which `http.request` may wait (the `send` hook's), if any.
    public var httpThread: OpaquePointer?
    /// Set by `http.request` as it yields, so the runtime can tell a wait for HTTP from a
    /// stray `coroutine.yield`.
    public var yieldedForHTTP = false
    /// Log lines the script wrote during the call, secrets already masked.
    public var logs: [LogRecord] = []
    /// Receives each log line as it is written (e.g. to swift-log), after masking.
    public var logSink: (@Sendable (LogRecord) -> Void)?

    public init(now: Int64, cacheNamespace: String = "", secrets: [String] = [], httpThread: OpaquePointer? = nil) {
        self.now = now
        self.cacheNamespace = cacheNamespace
        self.secrets = secrets
        self.httpThread = httpThread
    }

    /// `text` with every secret value replaced by `***`.
    public func mask(_ text: String) -> String {
        var out = text
        for secret in secrets where !secret.isEmpty {
            out = out.replacingAll(secret, with: "***")
        }
        return out
    }
}

/// One line a script logged.
public struct LogRecord: Sendable, Equatable {
    public enum Level: String, Sendable { case debug, info, warn, error }
    public var level: Level
    public var message: String
    public init(level: Level, message: String) {
        self.level = level
        self.message = message
    }
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, self.contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let r = rest.firstRange(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        result += rest
        return result
    }
}
