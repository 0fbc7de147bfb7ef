import IntegrationRuntime

/// `leadrelay run --expect OUTCOME`: the outcome a smoke test wants, and whether a call
/// gave it. `accepted`, `rejected`, `retry` or `error`, optionally with a reason for
/// `rejected` and `retry` (`rejected:duplicate`); `updates` for a status check that
/// returned updates rather than an outcome.
struct RunExpectation: Equatable {
    /// What a call ended with: an outcome's kind or `updates`.
    var kind: String
    /// The reason required (`rejected` and `retry` only); nil: any.
    var reason: Outcome.Reason?

    static let kinds = Outcome.Kind.allCases.map(\.rawValue) + ["updates"]

    /// Reads `text`; the error names what is wrong and what is allowed.
    init(parsing text: String) throws(RunUsageError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let kind = parts.first, Self.kinds.contains(kind) else {
            throw RunUsageError(
                "--expect: \(text.debugDescription) is not an outcome (one of \(Self.kinds.joined(separator: ", ")), "
                    + "optionally rejected:REASON or retry:REASON)")
        }
        self.kind = kind
        guard parts.count == 2 else { return }
        guard kind == "rejected" || kind == "retry" else {
            throw RunUsageError("--expect: \(kind) has no reason (only rejected:REASON and retry:REASON do), not \(text.debugDescription)")
        }
        guard let reason = Outcome.Reason(rawValue: parts[1]) else {
            throw RunUsageError(
                "--expect: \(parts[1].debugDescription) is not a reason (one of "
                    + "\(Outcome.Reason.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.reason = reason
    }

    /// Whether `result` is what was expected.
    func matches(_ result: CallResult) -> Bool {
        if let outcome = result.outcome {
            return outcome.kind.rawValue == kind && (reason == nil || outcome.reason == reason)
        }
        return kind == "updates"
    }

    /// The expectation as the user wrote it, spaced: `rejected duplicate`.
    var description: String { reason.map { "\(kind) \($0.rawValue)" } ?? kind }

    /// What `result` ended with, in the same words: `rejected duplicate`, `updates (3)`.
    static func describe(_ result: CallResult) -> String {
        if let outcome = result.outcome { return outcome.reason.map { "\(outcome.kind.rawValue) \($0.rawValue)" } ?? outcome.kind.rawValue }
        return "updates (\(result.updates?.count ?? 0))"
    }
}

/// A usage error of `leadrelay run` found while running (exit 64, or 2 with `--expect`).
struct RunUsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
