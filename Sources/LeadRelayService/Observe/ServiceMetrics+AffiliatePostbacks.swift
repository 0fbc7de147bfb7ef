import CoreMetrics

extension ServiceMetrics {
    /// An affiliate postback call ended: `leadrelay_affiliate_postbacks_total` by `event`
    /// (accepted, rejected, stage, test) and `result` (sent, retry, failed).
    public func affiliatePostback(_ call: PostbackCall) {
        let event = call.event.hasPrefix("stage:") ? "stage" : call.event
        Counter(
            label: "leadrelay_affiliate_postbacks_total", dimensions: [("event", event), ("result", call.result.rawValue)],
            factory: factory
        ).increment()
    }
}
