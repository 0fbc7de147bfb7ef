// TEMPORARY stand-in until the libcurl transport lands from the curl-transport branch.
public final class LiveTransport: HTTPTransport {
    public init() {}
    public func perform(_ request: HTTPRequest) async -> HTTPResponse { .failed(.other, detail: "live transport not built yet") }
}
