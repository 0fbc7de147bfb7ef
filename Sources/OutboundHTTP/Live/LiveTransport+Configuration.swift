extension LiveTransport {
    /// Which HTTP version `LiveTransport` asks for.
    public enum HTTPVersion: Sendable, Equatable {
        /// HTTP/1.1 only (the default): one request at a time per kept-alive connection.
        case http1_1
        /// HTTP/2 where TLS negotiates it (ALPN), HTTP/1.1 otherwise (cleartext `http://`).
        case http2
    }

    /// Which HTTP client carries the requests.
    public enum Engine: Sendable, Equatable {
        /// LeadRelay's own HTTP/1.1 client: one epoll loop, keep-alive, TLS through
        /// OpenSSL. The default, and the cheapest per request. Requests go to libcurl
        /// instead when a `proxy` is set or `httpVersion` is `.http2`.
        case native
        /// libcurl's multi interface on one I/O thread, for every request.
        case curl
    }

    /// Connection and TLS settings shared by every request of one `LiveTransport`.
    ///
    /// Per-request settings (method, headers, body, timeout, response size cap) come from
    /// `OutboundRequest`. Defaults suit a worker talking to many partner APIs at once:
    ///
    /// ```swift
    /// var config = LiveTransport.Configuration()
    /// config.proxy = "http://10.0.0.5:3128"
    /// config.egressPolicy = .allowingLocalNetworks   // the proxy's own address is private
    /// let transport = LiveTransport(configuration: config)
    /// ```
    public struct Configuration: Sendable, Equatable {
        /// Open connections to one host (scheme, name and port) at most; further requests
        /// to it wait for a free connection. Default 256.
        public var maxConnectionsPerHost: Int
        /// Open connections in total at most; also the size of the idle keep-alive cache.
        /// Default 1024.
        public var maxTotalConnections: Int
        /// Seconds allowed for DNS, TCP connect and the TLS handshake; the request's own
        /// `timeout` still bounds the whole exchange. Default 10.
        public var connectTimeout: Double
        /// Proxy URL as libcurl understands it (`http://host:port`, `socks5h://host:port`),
        /// or nil for direct connections (the default). Environment proxies are ignored.
        /// The egress policy then checks the proxy's address, not the targets'.
        public var proxy: String?
        /// Verify the server's certificate chain and host name. Default true; turn off
        /// only for a partner's staging host with a self-signed certificate.
        public var verifyTLS: Bool
        /// `User-Agent` sent when the request sets none. Default `LeadRelay/0.1`.
        public var userAgent: String
        /// Default `.http1_1`.
        public var httpVersion: HTTPVersion
        /// Default `.native`.
        public var engine: Engine
        /// A PEM file of certificates to trust instead of the system's store (for a
        /// partner's private CA, or a test's own certificate). Default nil.
        public var trustedCertificatesFile: String?
        /// Which addresses requests may connect to. Default `.publicOnly` (the service's
        /// policy); `.allowingLocalNetworks` for local partners (`leadrelay run`, the
        /// sandbox, tests).
        public var egressPolicy: EgressPolicy

        /// Caps on heads, interim answers, chunk extensions and trailers (documented
        /// defaults; tests raise one to reach what lies behind it).
        var responseLimits = ResponseLimits()

        /// The engine that will carry requests under these settings.
        var effectiveEngine: Engine {
            engine == .native && proxy == nil && httpVersion == .http1_1 ? .native : .curl
        }

        public init(
            maxConnectionsPerHost: Int = 256,
            maxTotalConnections: Int = 1024,
            connectTimeout: Double = 10,
            proxy: String? = nil,
            verifyTLS: Bool = true,
            userAgent: String = "LeadRelay/0.1",
            httpVersion: HTTPVersion = .http1_1,
            engine: Engine = .native,
            trustedCertificatesFile: String? = nil,
            egressPolicy: EgressPolicy = .publicOnly
        ) {
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxTotalConnections = maxTotalConnections
            self.connectTimeout = connectTimeout
            self.proxy = proxy
            self.verifyTLS = verifyTLS
            self.userAgent = userAgent
            self.httpVersion = httpVersion
            self.engine = engine
            self.trustedCertificatesFile = trustedCertificatesFile
            self.egressPolicy = egressPolicy
        }
    }
}
