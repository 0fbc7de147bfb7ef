import Foundation
import Hummingbird

/// The context of one request to the service: Hummingbird's core, the client's address as
/// the socket gives it, and the request's id (every answer carries it).
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, when the socket has one.
    public let clientAddress: String?
    public let requestID: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
        requestID = UUID().uuidString.lowercased()
    }
}
