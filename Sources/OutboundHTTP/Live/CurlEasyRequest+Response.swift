import CCurl

extension CurlEasyRequest {
    /// The response (or failure) for a finished transfer. Takes the body buffer.
    func response(for code: CURLcode) -> OutboundResponse {
        var micros: curl_off_t = 0
        ccurl_easy_getinfo_off(handle, CURLINFO_TOTAL_TIME_T, &micros)
        let elapsed = Double(micros) / 1_000_000
        if let refusal { return .failed(.other, detail: refusal, elapsed: elapsed) }
        if code == CURLE_OK {
            var status = 0
            ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            let received = body
            body = []
            return OutboundResponse(status: status, headers: responseHeaderFields(headerBytes), body: received, elapsed: elapsed)
        }
        if let egressRefusal, socketsOpened == 0 {
            return .failed(.egressRefused, detail: egressRefusal, elapsed: elapsed)
        }
        if exceededMaxResponseBytes || code == CURLE_FILESIZE_EXCEEDED {
            return .failed(.responseTooLarge, detail: "response body over \(maxResponseBytes) bytes", elapsed: elapsed)
        }
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : curlDescription(code)
        return .failed(TransportFailure(curlCode: code), detail: detail, elapsed: elapsed)
    }
}
