import Host
import LeadJSON
import OutboundHTTP

/// What one call of an integration produced: an outcome or status updates, plus the
/// exchanges it made and what the script logged.
public struct CallResult: Sendable {
    public enum Value: Sendable, Equatable {
        case outcome(Outcome)
        case updates([StatusUpdate])
    }

    public var value: Value
    public var exchanges: [Exchange]
    public var logs: [LogRecord]
    /// The line of the script's own file where the call failed (`clixnow.lua:42`), when
    /// known (for a failure in `lib/` code, the script's line that led there).
    public var location: String?
    /// The hook that produced the result or failed (`params` or `actions` when the call
    /// failed before any hook ran), when known.
    public var hook: CallHook?
    /// Masks the call's secrets (its parameters' and those it registered with
    /// `log.secret`): apply it to whatever of `exchanges` is printed or stored. The
    /// outcome's message and `logs` are masked already.
    public var masker: SecretMasker

    public init(
        value: Value, exchanges: [Exchange] = [], logs: [LogRecord] = [], location: String? = nil,
        hook: CallHook? = nil, masker: SecretMasker = SecretMasker()
    ) {
        self.value = value
        self.exchanges = exchanges
        self.logs = logs
        self.location = location
        self.hook = hook
        self.masker = masker
    }

    public var outcome: Outcome? {
        if case .outcome(let o) = value { return o }
        return nil
    }

    public var updates: [StatusUpdate]? {
        if case .updates(let u) = value { return u }
        return nil
    }

    /// The result as fixtures' `expect` compares it.
    public var json: JSONValue {
        switch value {
        case .outcome(let o): return o.json
        case .updates(let u): return .object(["updates": .array(u.map(\.json))])
        }
    }
}

/// A request the script made and what came back.
public struct Exchange: Sendable {
    public var request: OutboundRequest
    public var response: OutboundResponse
    public init(request: OutboundRequest, response: OutboundResponse) {
        self.request = request
        self.response = response
    }
}
