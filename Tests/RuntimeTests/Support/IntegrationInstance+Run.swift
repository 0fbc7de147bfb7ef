import IntegrationRuntime
import OutboundHTTP

extension IntegrationInstance {
    /// Runs a call to its end on the test's thread, answering each request with `transport`.
    /// A test harness for one instance: the product runs calls on pools (`IntegrationPool`),
    /// whose workers drive `start` and `resume` the same way.
    func run(_ input: CallInput, transport: (OutboundRequest) -> OutboundResponse) -> CallResult {
        var (call, step) = start(input)
        while case .needsHTTP(let request) = step {
            step = resume(call, with: transport(request))
        }
        guard case .finished(let result) = step else { preconditionFailure("a call ends finished") }
        return result
    }
}
