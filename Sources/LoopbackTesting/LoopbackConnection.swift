#if canImport(Glibc)
import Glibc
#endif

/// One accepted client socket and its buffers. Owned by one thread: the event loop's, or
/// for `LoopbackTLSServer` the connection's own (which reads with TLS and only parses here).
final class LoopbackConnection {
    let fd: Int32
    var input: [UInt8] = []
    /// Bytes of `input` already parsed as requests.
    var inputConsumed = 0
    var output: [UInt8] = []
    var outputSent = 0
    /// A delayed response is pending: later pipelined requests wait, to keep order.
    var awaitingDelayedResponse = false
    var closeAfterFlush = false
    var watchingWritable = false
    var closed = false

    init(fd: Int32) { self.fd = fd }

    /// The next complete request in `input`, or nil when more bytes are needed. A malformed
    /// head yields `.malformed`.
    func nextRequest() -> ParsedRequest? {
        let available = input.count - inputConsumed
        guard available >= 4 else { return nil }
        return input.withUnsafeBufferPointer { bytes -> ParsedRequest? in
            var i = inputConsumed
            let last = bytes.count - 4
            while i <= last {
                if bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { break }
                i += 1
            }
            guard i <= last else { return nil }
            let headBytes = UnsafeBufferPointer(rebasing: bytes[inputConsumed..<i])
            guard let head = LoopbackRequestHead(headBytes) else { return .malformed }
            let bodyStart = i + 4
            guard bytes.count - bodyStart >= head.contentLength else { return nil }
            let body = Array(bytes[bodyStart..<(bodyStart + head.contentLength)])
            inputConsumed = bodyStart + head.contentLength
            let request = LoopbackRequest(method: head.method, path: head.path, query: head.query, headers: head.headers, body: body)
            return .request(request, close: head.closeRequested)
        }
    }

    /// Drops parsed bytes from the front of `input`.
    func compactInput() {
        if inputConsumed == input.count {
            input.removeAll(keepingCapacity: true)
        } else if inputConsumed > 0 {
            input.removeFirst(inputConsumed)
        }
        inputConsumed = 0
    }

    /// Writes what it can; true when all output has gone out.
    func flush() -> Bool {
        while outputSent < output.count {
            let n = output.withUnsafeBytes { write(fd, $0.baseAddress! + outputSent, $0.count - outputSent) }
            if n > 0 {
                outputSent += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        output.removeAll(keepingCapacity: true)
        outputSent = 0
        return true
    }

    enum ParsedRequest {
        case request(LoopbackRequest, close: Bool)
        case malformed
    }
}
