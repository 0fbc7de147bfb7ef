import Host
import OutboundHTTP

/// The state of one call while it runs on an instance: its phase (with the coroutine or
/// the request it holds), the budget `send` has used, the exchanges so far. Owned by the
/// instance's thread; other threads only carry it around.
public final class PendingCall: @unchecked Sendable {
    /// Where a call is. Each phase carries what only it has, so no flag or optional can
    /// disagree with it.
    enum Phase {
        /// `prepare` runs (or is about to).
        case preparing
        /// `send` runs in this coroutine.
        case sending(LuaThread)
        /// The host performs `request`; its response goes to `receiver`.
        case awaitingHTTP(OutboundRequest, receiver: Receiver)
        /// `parse_status` runs.
        case parsing
        /// The call has its result (or was cancelled): nothing may resume it.
        case finished
    }

    /// Who receives the response a call waits for.
    enum Receiver {
        /// `parse_status`: the request is the one `prepare` returned (no `send` hook).
        case parseStatus
        /// `send`, suspended in `http.request` in this coroutine.
        case send(LuaThread)
    }

    let input: CallInput
    let host: HostCall
    var phase: Phase = .preparing
    var contextRef: Int32 = -1
    var sendBudget = CallBudget()
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
    /// for the request `prepare` returned; nil when it waits for no request.
    var waitingHook: CallHook? {
        guard case .awaitingHTTP(_, let receiver) = phase else { return nil }
        switch receiver {
        case .send: return .send
        case .parseStatus: return .prepare
        }
    }

    /// The coroutine the call holds, if any (`send`'s, running or waiting).
    var thread: LuaThread? {
        switch phase {
        case .sending(let thread), .awaitingHTTP(_, .send(let thread)): return thread
        default: return nil
        }
    }
}

/// What a call needs next: the response to a request, or nothing more.
public enum CallStep: Sendable {
    case needsHTTP(OutboundRequest)
    case finished(CallResult)
}

/// How a call ends: with a failure the host found or the script raised, or with what a
/// hook returned.
enum CallEnd {
    case failed(CallFailure)
    case returned(CallResult.Value, from: CallHook)
}
