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
    /// The durable store behind the `credentials` module, scoped like the cache
    /// (`cacheNamespace`); nil: the module raises (no store was given to this call).
    public var credentials: (any CredentialStore)?

    public init(now: Int64, cacheNamespace: String = "", secrets: [String] = []) {
        self.now = now
        self.cacheNamespace = cacheNamespace
        self.masker = SecretMasker(secrets: secrets)
    }

    /// Registers `bytes` as a secret of this call (`log.secret`, every value `credentials`
    /// reads or writes); returns what is wrong instead, when the value is too long or the
    /// call holds `LogModule.maxSecretsPerCall` secrets already.
    public func registerSecret(_ bytes: [UInt8]) -> String? {
        if bytes.count > LogModule.maxSecretBytes {
            return "the value is \(bytes.count) bytes, more than the \(LogModule.maxSecretBytes) allowed"
        }
        if masker.secrets.count >= LogModule.maxSecretsPerCall && !masker.secrets.contains(bytes) {
            return "a call holds at most \(LogModule.maxSecretsPerCall) secrets"
        }
        masker.add(bytes)
        return nil
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
