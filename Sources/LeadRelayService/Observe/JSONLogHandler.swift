import Foundation
import LeadJSON
import Logging
import Synchronization

/// Writes one JSON object per log line (`log.format = json`), for log collectors:
/// `{"timestamp":"2026-12-07T10:00:00.123Z","level":"info","label":"leadrelay","message":"attempt","lead":"...",...}`.
/// Metadata keys sit beside the fixed ones (a metadata key named like a fixed one is
/// written as `meta.<key>`); nested metadata becomes nested JSON.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let label: String
    private let write: @Sendable (String) -> Void

    /// Lines go to `write` (standard error by default).
    public init(label: String, level: Logger.Level = .info, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: JSONValue] = [
            "timestamp": .string(Self.timestamp()), "level": .string(event.level.rawValue), "label": .string(label),
            "message": .string(event.message.description),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for (key, value) in merged {
            object[object[key] == nil ? key : "meta.\(key)"] = Self.json(value)
        }
        if let error = event.error { object["error"] = .string("\(error)") }
        write(JSONValue.object(object).encoded() + "\n")
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let convertible): return .string(convertible.description)
        case .array(let values): return .array(values.map(json))
        case .dictionary(let values): return .object(values.mapValues(json))
        }
    }

    private static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Writes to standard error, one line at a time.
    public static let standardError: @Sendable (String) -> Void = { line in
        lock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }
    private static let lock = Mutex(())
}
