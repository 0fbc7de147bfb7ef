/// What the delivery engine bounds concurrency for and keeps one circuit for: an integration as
/// configured for one offer.
///
/// Not the host of the request URL: the delivery engine decides whether to start an attempt before
/// the script has built its request, and each offer carries its own `base_url` and
/// credentials, so two offers of one integration may well be two different endpoints
/// (and one failing offer account should not stop the others).
public struct DeliveryTarget: Hashable, Sendable, CustomStringConvertible {
    public var integration: String
    public var offer: String

    public init(integration: String, offer: String) {
        self.integration = integration
        self.offer = offer
    }

    public var description: String { "\(integration)/offer \(offer)" }
}
