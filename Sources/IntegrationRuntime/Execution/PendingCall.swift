import Host
import OutboundHTTP

/// The state of one call while it runs on an instance: which hook it is in, the
/// coroutine waiting for HTTP, the budget each hook has used, the exchanges so far.
/// Owned by the instance's thread; other threads only carry it around.
public final class PendingCall: @unchecked Sendable {
    enum Phase {
        /// The host performs the request `prepare` built, then runs `parse_status`.
        case awaitingPreparedRequest
        /// `send` is suspended in `http.request`.
        case awaitingSend(LuaThread)
        case done
    }

    let input: CallInput
    let host: HostCall
    var phase: Phase = .done
    var contextRef: Int32 = -1
    var sendBudget = CallBudget()
    var inFlight: OutboundRequest?
    /// The offer credential the call's requests are made with (per-credential rate limits).
    var credential: CredentialID?
    var exchanges: [Exchange] = []

    init(input: CallInput, host: HostCall) {
        self.input = input
        self.host = host
    }

    /// Masks the call's secrets so far (for printing a request it asked for).
    public var masker: SecretMasker { host.masker }

    /// The hook whose request the call waits for: `send` while suspended in it, `prepare`
    /// for the request `prepare` returned.
    var waitingStage: CallStage? {
        switch phase {
        case .awaitingSend: return .send
        case .awaitingPreparedRequest: return .prepare
        case .done: return nil
        }
    }
}

/// What a call needs next: the response to a request, or nothing more.
public enum CallStep: Sendable {
    case needsHTTP(OutboundRequest)
    case finished(CallResult)
}
