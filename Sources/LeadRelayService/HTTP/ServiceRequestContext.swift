import Foundation
import Hummingbird

/// The context of one request to the service: Hummingbird's core, the client's address (the
/// socket's peer, or what a trusted proxy says: `ForwardedClientMiddleware`), and the
/// request's id (every answer carries it).
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address: the socket's peer, or the address a trusted proxy forwarded.
    public var clientAddress: String?
    /// Whether the client came over TLS (through a trusted proxy that terminates it).
    public var isSecure = false
    public let requestID: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
        requestID = RandomID.uuid()
    }
}
