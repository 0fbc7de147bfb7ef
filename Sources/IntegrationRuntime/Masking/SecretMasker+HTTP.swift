import Host
import OutboundHTTP

extension SecretMasker {
    /// `exchange` as a request log may store it: see the request and response forms.
    public func mask(_ exchange: Exchange) -> Exchange {
        Exchange(request: mask(exchange.request), response: mask(exchange.response))
    }

    /// `request` with its URL, header values (credential headers by name, see
    /// `CredentialHeaders`) and body masked. The body is masked as bytes: a JSON body whose
    /// number was a secret is no longer JSON.
    public func mask(_ request: OutboundRequest) -> OutboundRequest {
        var masked = request
        masked.url = mask(request.url)
        masked.headers = maskHeaders(request.headers)
        masked.body = mask(request.body)
        return masked
    }

    /// `response` with its header values, body and failure detail masked.
    public func mask(_ response: OutboundResponse) -> OutboundResponse {
        var masked = response
        masked.headers = maskHeaders(response.headers)
        masked.body = mask(response.body)
        masked.failureDetail = response.failureDetail.map { mask($0) }
        return masked
    }

    private func maskHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        headers.map { ($0.name, mask(CredentialHeaders.masked(name: $0.name, value: $0.value))) }
    }
}
