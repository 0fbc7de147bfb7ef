import Host
import OutboundHTTP

extension IntegrationInstance {
    /// Starts a call: runs `prepare` (or, for a postback, `parse_status` at once) and
    /// stops at the first request that needs the network.
    public func start(_ input: CallInput) -> (PendingCall, CallStep) {
        let call = PendingCall(input: input, host: HostCall(now: input.now))
        guard manifest.supports(input.action) else {
            let supported = manifest.actions.map(\.rawValue).joined(separator: ", ")
            return (
                call,
                finish(
                    call, .failed(failure(.actions, "does not support the action \"\(input.action.rawValue)\" (it supports: \(supported))"))
                )
            )
        }
        let params: PreparedParams
        if let cached = paramsCache, cached.given == input.params {
            params = cached
        } else {
            switch PreparedParams.make(input.params, manifest: manifest, vm: vm) {
            case .success(let p):
                if let old = paramsCache?.template { vm.unref(old) }
                paramsCache = p
                params = p
            case .failure(let missing):
                call.host.masker = SecretParameters(manifest: manifest, params: input.params).masker
                return (
                    call, finish(call, .failed(failure(.params, "missing required parameter \"\(missing.name)\" (set it on the offer)")))
                )
            }
        }
        call.host.cacheNamespace = "\(manifest.name)/\(input.offer.id)"
        call.host.credentials = input.credentials
        call.host.masker = params.masker
        call.credential = params.credential
        let s = LuaState(vm.L)
        ContextBuilder(s: s, manifest: manifest).push(input) { params.push(on: vm) }
        call.contextRef = vm.ref()
        if input.action == .postback {
            s.push(input.subject.inbound ?? .object([:]))
            call.phase = .parsing
            return (call, parse(call))
        }
        if case .lead = input.subject, input.action.deliversLead {
            // prepare's `lead` is the very table of ctx.lead: built once, not twice.
            vm.push(ref: call.contextRef)
            s.rawField(-1, "lead")
            s.rotate(-2, 1)
            s.pop()
        } else {
            s.pushNil()
        }
        return (call, prepare(call))
    }

    /// Resumes a call with the response to the request its last step asked for.
    public func resume(_ call: PendingCall, with response: OutboundResponse) -> CallStep {
        guard case .awaitingHTTP(let request, let receiver) = call.phase else {
            return .finished(
                failure(nil, "the call was resumed after it finished").result(exchanges: call.exchanges, masker: call.host.masker))
        }
        call.exchanges.append(Exchange(request: request, response: response))
        if response.failure == .egressRefused {
            return finish(call, .failed(answerFailure(receiver, response.failureDetail ?? "egress refused")))
        }
        if response.failure == .responseTooLarge {
            return finish(
                call,
                .failed(
                    answerFailure(
                        receiver,
                        "\(LuaLimit.responseSize.rawValue) exceeded: the response to \(requestName(call)) is larger than \(vm.limits.responseBytes) bytes"
                    )))
        }
        switch receiver {
        case .parseStatus:
            guard ResponseWriter(s: LuaState(vm.L)).push(response) else {
                LuaState(vm.L).pop()
                return finish(call, .failed(answerOverMemory(call, receiver)))
            }
            call.phase = .parsing
            return parse(call)
        case .send(let thread):
            call.phase = .sending(thread)
            guard ResponseWriter(s: LuaState(thread.L)).push(response) else {
                return finish(call, .failed(answerOverMemory(call, receiver)))
            }
            return continueSend(call, thread: thread, arguments: 1)
        }
    }

    /// The `error` of an answer whose JSON, decoded, would take the VM past its memory cap.
    private func answerOverMemory(_ call: PendingCall, _ receiver: PendingCall.Receiver) -> CallFailure {
        answerFailure(
            receiver,
            "\(LuaLimit.memory.rawValue) exceeded: the JSON answer to \(requestName(call)) does not fit under the VM's \(vm.limits.memoryBytes)-byte cap"
        )
    }

    /// A failure of the call's request or of its answer (refused by the egress policy, over
    /// a limit), placed where the request was made: at the `http.request` line in `send`,
    /// or at `prepare`, which returned the request.
    private func answerFailure(_ receiver: PendingCall.Receiver, _ what: String) -> CallFailure {
        if case .send(let thread) = receiver { return failure(.send, what, suspendedIn: thread) }
        return failure(.prepare, what)
    }

    private func requestName(_ call: PendingCall) -> String {
        call.exchanges.last.map { "\($0.request.method) \($0.request.url)" } ?? "the request"
    }

    /// Ends a call that will not be resumed (its VM is going away, or its driver gave up):
    /// gives back the coroutine its phase holds (once: the phase is then `.finished`) and
    /// its context.
    public func cancel(_ call: PendingCall) {
        if let thread = call.thread { vm.release(thread) }
        call.phase = .finished
        if call.contextRef >= 0 { vm.unref(call.contextRef); call.contextRef = -1 }
    }

    // MARK: Hooks

    static let strayYield = "stray coroutine.yield (only http.request may wait inside a hook)"

    /// Why a request the script built is refused: an exceeded limit as it is, any other
    /// problem as a request of the wrong shape (`shape` says whose).
    static func refusal(_ error: RequestReader.ShapeError, _ shape: String) -> String {
        error.limit != nil ? error.description : "\(shape): \(error)"
    }

    /// Runs `prepare(lead, ctx)` with the lead (or nil) on top of the main stack.
    private func prepare(_ call: PendingCall) -> CallStep {
        switch runHook(hooks.prepare, .prepare, call: call) {
        case .failure(let failure): return finish(call, .failed(failure))
        case .success:
            let s = LuaState(vm.L)
            let reader = ResultReader(s: s)
            if reader.isOutcome(at: -1) {
                defer { s.pop() }
                do { return finish(call, .returned(.outcome(try reader.outcome(at: -1)), from: .prepare)) } catch {
                    return finish(call, .failed(failure(.prepare, "returned an outcome of the wrong shape: \(error)")))
                }
            }
            guard s.isTable(-1) else {
                let got = s.typeName(at: -1)
                s.pop()
                return finish(
                    call, .failed(failure(.prepare, "returned a request of the wrong shape: a request must be a table, got \(got)")))
            }
            // ctx.request = the table prepare returned.
            vm.push(ref: call.contextRef)
            s.pushValue(-2)
            s.setRawField(-2, "request")
            s.pop()
            guard let send = hooks.send else {
                var request: OutboundRequest
                do { request = try requestReader().read(at: -1) } catch {
                    s.pop()
                    return finish(call, .failed(failure(.prepare, Self.refusal(error, "returned a request of the wrong shape"))))
                }
                s.pop()
                request.credential = call.credential
                call.phase = .awaitingHTTP(request, receiver: .parseStatus)
                return .needsHTTP(request)
            }
            // With `send`, the table is read when send hands it to http.request (it may
            // change it first): reading it here as well would encode its body twice.
            let thread = vm.makeThread()
            vm.push(ref: send, onto: thread.L)
            s.move(1, to: LuaState(thread.L))
            vm.push(ref: call.contextRef, onto: thread.L)
            call.phase = .sending(thread)
            return continueSend(call, thread: thread, arguments: 2)
        }
    }

    /// Resumes `send` (the call is `.sending(thread)`) until it waits for HTTP or returns.
    /// The coroutine belongs to the phase: `finish` gives it back, once.
    private func continueSend(_ call: PendingCall, thread: LuaThread, arguments: Int32) -> CallStep {
        runningHook.current = .send
        let result = vm.resume(thread, arguments: arguments, budget: &call.sendBudget, for: HookRun(call: call.host, httpThread: thread.L))
        runningHook.current = nil
        switch result {
        case .failed(let error):
            return finish(call, .failed(failure(.send, error)))
        case .yielded(.stray):
            return finish(call, .failed(failure(.send, Self.strayYield, suspendedIn: thread)))
        case .yielded(.httpRequest):
            var request: OutboundRequest
            do { request = try requestReader(on: thread.L).read(at: -1) } catch {
                return finish(
                    call, .failed(failure(.send, Self.refusal(error, "http.request got a request of the wrong shape"), suspendedIn: thread))
                )
            }
            LuaState(thread.L).top = 0
            request.credential = call.credential
            call.phase = .awaitingHTTP(request, receiver: .send(thread))
            return .needsHTTP(request)
        case .returned(let n):
            let t = LuaState(thread.L)
            if n == 0 { t.pushNil() }
            // The first result goes on, not the last (`return response, extra`).
            t.top = t.top - max(n, 1) + 1
            t.move(1, to: LuaState(vm.L))
            vm.release(thread)
            call.phase = .parsing
            return parse(call)
        }
    }

    /// Runs `parse_status(response, ctx)` with the response on top of the main stack.
    private func parse(_ call: PendingCall) -> CallStep {
        switch runHook(hooks.parseStatus, .parseStatus, call: call) {
        case .failure(let failure): return finish(call, .failed(failure))
        case .success:
            let s = LuaState(vm.L)
            defer { s.pop() }
            let reader = ResultReader(s: s)
            do {
                if call.input.action.deliversLead {
                    return finish(call, .returned(.outcome(try reader.outcome(at: -1)), from: .parseStatus))
                }
                if reader.isOutcome(at: -1) {
                    let outcome = try reader.outcome(at: -1)
                    guard outcome.kind != .accepted else {
                        return finish(
                            call,
                            .failed(
                                failure(
                                    .parseStatus,
                                    "returned an accepted outcome for a \(call.input.action.rawValue) call (it returns { updates = ... }, or a retry or rejected outcome)"
                                )))
                    }
                    return finish(call, .returned(.outcome(outcome), from: .parseStatus))
                }
                return finish(call, .returned(.updates(try reader.updates(at: -1)), from: .parseStatus))
            } catch {
                return finish(call, .failed(failure(.parseStatus, "returned a result of the wrong shape: \(error)")))
            }
        }
    }

    /// Runs a hook that must not wait, with its argument on top of the main stack; leaves
    /// its first result there.
    private func runHook(_ ref: Int32, _ hook: CallHook, call: PendingCall) -> Result<Void, CallFailure> {
        let thread = vm.makeThread()
        vm.push(ref: ref, onto: thread.L)
        LuaState(vm.L).move(1, to: LuaState(thread.L))
        vm.push(ref: call.contextRef, onto: thread.L)
        var budget = CallBudget()
        runningHook.current = hook
        let result = vm.resume(thread, arguments: 2, budget: &budget, for: HookRun(call: call.host))
        runningHook.current = nil
        switch result {
        case .failed(let error):
            vm.release(thread)
            return .failure(failure(hook, error))
        case .yielded:
            // http.request raises outside send (no HTTP thread in this run), so any yield
            // here is the script's own.
            let stray = failure(hook, Self.strayYield, suspendedIn: thread)
            vm.release(thread)
            return .failure(stray)
        case .returned(let n):
            let t = LuaState(thread.L)
            if n == 0 { t.pushNil() }
            t.top = t.top - max(n, 1) + 1
            t.move(1, to: LuaState(vm.L))
            vm.release(thread)
            return .success(())
        }
    }
}
