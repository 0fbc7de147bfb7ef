/// Caps on what an answer may send besides its body (`OutboundRequest.maxResponseBytes` caps
/// that), so that a server flooding heads, interim answers, chunk extensions or trailers
/// ends its request at once, as the transport failure `other`, instead of being read
/// until the deadline. Both engines apply them; libcurl skips chunk extensions itself, so
/// that cap is the native engine's alone.
struct ResponseLimits: Sendable, Equatable {
    /// Status lines and header fields of the final answer and its interim answers together.
    var headBytes = 64 * 1024
    /// Interim (1xx) answers before the final one.
    var interimAnswers = 16
    /// Trailer fields after the last chunk.
    var trailerBytes = 64 * 1024
    /// Chunk extensions (`;name=value` after a chunk's size) of one answer together.
    var chunkExtensionBytes = 64 * 1024
}

/// What one answer has spent of its `ResponseLimits`. Each step returns the failure's
/// detail once a cap is passed, nil while the answer stays within them.
struct ResponseBudget {
    let limits: ResponseLimits
    private var headBytes = 0
    private var interimAnswers = 0
    private var trailerBytes = 0
    private var chunkExtensionBytes = 0

    init(_ limits: ResponseLimits) {
        self.limits = limits
    }

    mutating func spendHead(_ bytes: Int) -> String? {
        headBytes += bytes
        return headBytes > limits.headBytes ? "the response head is larger than \(size(limits.headBytes))" : nil
    }

    mutating func countInterimAnswer() -> String? {
        interimAnswers += 1
        return interimAnswers > limits.interimAnswers
            ? "the server sent more than \(limits.interimAnswers) interim (1xx) answers" : nil
    }

    mutating func spendTrailer(_ bytes: Int) -> String? {
        trailerBytes += bytes
        return trailerBytes > limits.trailerBytes ? "the response's trailer is larger than \(size(limits.trailerBytes))" : nil
    }

    mutating func spendChunkExtension(_ bytes: Int) -> String? {
        chunkExtensionBytes += bytes
        return chunkExtensionBytes > limits.chunkExtensionBytes
            ? "the response's chunk extensions are larger than \(size(limits.chunkExtensionBytes))" : nil
    }

    private func size(_ bytes: Int) -> String {
        bytes % 1024 == 0 ? "\(bytes / 1024) KiB" : "\(bytes) bytes"
    }
}
