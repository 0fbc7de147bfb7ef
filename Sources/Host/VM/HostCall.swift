/// What host functions know about the hook call that is running: its clock, its cache
/// scope, the secrets to mask in what it logs and reports. Host functions reach it through
/// the `HookRun` the runtime resumes the hook with.
public final class HostCall {
    /// Epoch seconds the call sees as "now" (`time.now()`, `os.time()`); fixed in fixtures.
    public var now: Int64
    /// Cache entries are scoped to one integration and offer.
    public var cacheNamespace: String
    /// The call's secrets (its secret parameters', and what the script registered with
    /// `log.secret`), shown as `***` in its logs and its outcome's message.
    public var masker: SecretMasker
    /// Log lines the script wrote during the call, secrets already masked.
    public var logs: [LogRecord] = []
    /// Receives each log line as it is written (e.g. to swift-log), after masking.
    public var logSink: (@Sendable (LogRecord) -> Void)?

    public init(now: Int64, cacheNamespace: String = "", secrets: [String] = []) {
        self.now = now
        self.cacheNamespace = cacheNamespace
        self.masker = SecretMasker(secrets: secrets)
    }

    /// A log line as it is stored: credentials of headers written in it and every
    /// secret replaced by `***`.
    public func mask(_ text: String) -> String {
        masker.mask(CredentialHeaders.maskedInText(text))
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
