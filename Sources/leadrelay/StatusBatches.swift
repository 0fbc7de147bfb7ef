import IntegrationRuntime
import LeadJSON
import LeadRelayService

/// A `processing` or `approved` check of `leadrelay run` split as the service's status
/// scheduler splits it: at most `limits.batch` leads per call (the scheduler's default
/// when the script declares none), calls one after another, stopping at the first call
/// that returns an outcome instead of updates. The results merge into one.
enum StatusBatches {
    /// The leads per call for a script declaring `batch` (nil: none).
    static func size(declared batch: Int?) -> Int { batch ?? StatusScheduler.Configuration().defaultBatch }

    /// `input` split into calls of at most `size` leads; a range, or a check with no more
    /// leads than `size`, is one call.
    static func split(_ input: CallInput, size: Int) -> [CallInput] {
        guard case .status(let scope) = input.subject, let leads = scope.leads, leads.count > size else { return [input] }
        return stride(from: 0, to: leads.count, by: size).map { start in
            let part = Array(leads[start..<min(start + size, leads.count)])
            var call = input
            call.subject = .status(scope.check == .approved ? .approved(leads: part) : .processing(leads: part))
            return call
        }
    }

    /// Runs `calls` in order with `perform`, stopping after a call without updates, and
    /// merges what they did: the updates of all (or the stopping call's outcome), every
    /// exchange and log line; the count of calls made.
    static func run(_ calls: [CallInput], _ perform: (CallInput) async -> CallResult) async -> (result: CallResult, calls: Int) {
        var merged: CallResult?
        var made = 0
        for call in calls {
            let result = await perform(call)
            made += 1
            merged = merged.map { merge($0, result) } ?? result
            if result.updates == nil { break }
        }
        return (merged ?? CallResult(value: .updates([])), made)
    }

    /// `first` then `next`: the updates of both, or `next`'s value when it has none.
    static func merge(_ first: CallResult, _ next: CallResult) -> CallResult {
        var merged = next
        if let before = first.updates, let after = next.updates { merged.value = .updates(before + after) }
        merged.exchanges = first.exchanges + next.exchanges
        merged.logs = first.logs + next.logs
        merged.masker = first.masker.merging(next.masker)
        return merged
    }
}
