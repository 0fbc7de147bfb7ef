import CLua
import Host

extension IntegrationInstance {
    /// Starts a call: runs `prepare` (or, for a postback, `parse_status` at once) and
    /// stops at the first request that needs the network.
    public func start(_ input: CallInput) -> (PendingCall, CallStep) {
        let call = PendingCall(input: input, host: HostCall(now: input.now))
        guard manifest.supports(input.action) else {
            let supported = manifest.actions.map(\.rawValue).joined(separator: ", ")
            return (call, finish(call, .error("\(manifest.name) does not support the action \"\(input.action.rawValue)\" (it supports: \(supported))")))
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
                return (call, finish(call, .error("missing required parameter \"\(missing.name)\" for \(manifest.name) (set it on the offer)")))
            }
        }
        call.host.cacheNamespace = "\(manifest.name)/\(input.offer.id)"
        call.host.masker = params.masker
        let s = LuaState(vm.L)
        ContextBuilder(s: s, manifest: manifest).push(input) { params.push(on: vm) }
        call.contextRef = vm.ref()
        if input.action == .postback {
            s.push(input.inbound ?? .object([:]))
            return (call, parse(call))
        }
        if input.lead != nil, input.action.deliversLead {
            // prepare's `lead` is the very table of ctx.lead: built once, not twice.
            vm.push(ref: call.contextRef)
            s.rawField(-1, "lead")
            lua_rotate(vm.L, -2, 1)
            s.pop()
        } else {
            s.pushNil()
        }
        return (call, prepare(call))
    }

    /// Resumes a call with the response to the request its last step asked for.
    public func resume(_ call: PendingCall, with response: HTTPResponse) -> CallStep {
        if let request = call.inFlight {
            call.exchanges.append(Exchange(request: request, response: response))
            call.inFlight = nil
        }
        if response.failure == .egressRefused {
            return finish(call, .error(response.failureDetail ?? "egress refused"))
        }
        if response.failure == .responseTooLarge {
            return finish(call, .error("\(LuaLimit.responseSize.rawValue) exceeded: the response to \(call.exchanges.last.map { "\($0.request.method) \($0.request.url)" } ?? "the request") is larger than \(vm.limits.responseBytes) bytes"))
        }
        switch call.phase {
        case .awaitingPreparedRequest:
            guard ResponseWriter(s: LuaState(vm.L)).push(response) else {
                LuaState(vm.L).pop()
                return finish(call, answerOverMemory(call))
            }
            return parse(call)
        case .awaitingSend(let thread):
            guard ResponseWriter(s: LuaState(thread.L)).push(response) else { return finish(call, answerOverMemory(call)) }
            return continueSend(call, thread: thread, arguments: 1)
        case .done:
            return .finished(CallResult(value: .outcome(.error("the call was resumed after it finished")), exchanges: call.exchanges, masker: call.host.masker))
        }
    }

    /// The `error` of an answer whose JSON, decoded, would take the VM past its memory cap.
    private func answerOverMemory(_ call: PendingCall) -> Outcome {
        let request = call.exchanges.last.map { "\($0.request.method) \($0.request.url)" } ?? "the request"
        return .error("\(LuaLimit.memory.rawValue) exceeded: the JSON answer to \(request) does not fit under the VM's \(vm.limits.memoryBytes)-byte cap")
    }

    /// Ends a call that will not be resumed (its VM is going away, or its driver gave up).
    public func cancel(_ call: PendingCall) {
        if case .awaitingSend(let thread) = call.phase { vm.release(thread) }
        call.phase = .done
        if call.contextRef >= 0 { vm.unref(call.contextRef); call.contextRef = -1 }
    }

    // MARK: Hooks

    /// Runs `prepare(lead, ctx)` with the lead (or nil) on top of the main stack.
    private func prepare(_ call: PendingCall) -> CallStep {
        switch runHook(hooks.prepare, "prepare", call: call) {
        case .failure(let result): return finish(call, result)
        case .success:
            let s = LuaState(vm.L)
            let reader = ResultReader(s: s)
            if reader.isOutcome(at: -1) {
                defer { s.pop() }
                do { return finish(call, try reader.outcome(at: -1)) } catch {
                    return finish(call, .error("prepare returned an outcome of the wrong shape: \(error)"))
                }
            }
            guard s.isTable(-1) else {
                let got = s.typeName(at: -1)
                s.pop()
                return finish(call, .error("prepare returned a request of the wrong shape: a request must be a table, got \(got)"))
            }
            // ctx.request = the table prepare returned.
            vm.push(ref: call.contextRef)
            lua_pushvalue(vm.L, -2)
            s.setRawField(-2, "request")
            s.pop()
            guard let send = hooks.send else {
                let request: HTTPRequest
                do { request = try requestReader().read(at: -1) } catch {
                    s.pop()
                    return finish(call, .error("prepare returned a request of the wrong shape: \(error)"))
                }
                s.pop()
                call.phase = .awaitingPreparedRequest
                call.inFlight = request
                return .needsHTTP(request)
            }
            // With `send`, the table is read when send hands it to http.request (it may
            // change it first): reading it here as well would encode its body twice.
            let thread = vm.makeThread()
            vm.push(ref: send, onto: thread.L)
            lua_xmove(vm.L, thread.L, 1)
            vm.push(ref: call.contextRef, onto: thread.L)
            call.host.httpThread = thread.L
            return continueSend(call, thread: thread, arguments: 2)
        }
    }

    /// Resumes `send` until it waits for HTTP or returns.
    private func continueSend(_ call: PendingCall, thread: LuaThread, arguments: Int32) -> CallStep {
        call.host.yieldedForHTTP = false
        vm.call = call.host
        let result = vm.resume(thread, arguments: arguments, budget: &call.sendBudget)
        vm.call = nil
        switch result {
        case .failed(let error):
            vm.release(thread)
            return finish(call, hookFailure("send", error))
        case .yielded:
            guard call.host.yieldedForHTTP else {
                vm.release(thread)
                return finish(call, .error("send: stray coroutine.yield (only http.request may wait inside a hook)"))
            }
            let request: HTTPRequest
            do { request = try requestReader(on: thread.L).read(at: -1) } catch {
                vm.release(thread)
                return finish(call, .error("send: http.request got a request of the wrong shape: \(error)"))
            }
            lua_settop(thread.L, 0)
            call.phase = .awaitingSend(thread)
            call.inFlight = request
            return .needsHTTP(request)
        case .returned(let n):
            if n == 0 { lua_pushnil(thread.L) }
            lua_xmove(thread.L, vm.L, 1)
            vm.release(thread)
            call.host.httpThread = nil
            return parse(call)
        }
    }

    /// Runs `parse_status(response, ctx)` with the response on top of the main stack.
    private func parse(_ call: PendingCall) -> CallStep {
        call.phase = .done
        switch runHook(hooks.parseStatus, "parse_status", call: call) {
        case .failure(let result): return finish(call, result)
        case .success:
            let s = LuaState(vm.L)
            defer { s.pop() }
            let reader = ResultReader(s: s)
            do {
                if call.input.action.deliversLead {
                    return finish(call, try reader.outcome(at: -1))
                }
                if reader.isOutcome(at: -1) {
                    let outcome = try reader.outcome(at: -1)
                    guard outcome.kind != .accepted else {
                        return finish(call, .error("parse_status of a \(call.input.action.rawValue) returns { updates = ... } or a retry/rejected outcome, not accepted"))
                    }
                    return finish(call, outcome)
                }
                return finish(call, .updates(try reader.updates(at: -1)))
            } catch {
                return finish(call, .error("parse_status returned a result of the wrong shape: \(error)"))
            }
        }
    }

    /// Runs a hook that must not wait, with its argument on top of the main stack; leaves
    /// its first result there.
    private func runHook(_ ref: Int32, _ name: String, call: PendingCall) -> Result<Void, FinishedResult> {
        let thread = vm.makeThread()
        vm.push(ref: ref, onto: thread.L)
        lua_xmove(vm.L, thread.L, 1)
        vm.push(ref: call.contextRef, onto: thread.L)
        var budget = CallBudget()
        vm.call = call.host
        let result = vm.resume(thread, arguments: 2, budget: &budget)
        vm.call = nil
        switch result {
        case .failed(let error):
            vm.release(thread)
            return .failure(FinishedResult(hookFailure(name, error)))
        case .yielded:
            vm.release(thread)
            let what = call.host.yieldedForHTTP ? "http.request is only available in send" : "stray coroutine.yield"
            return .failure(FinishedResult(.error("\(name): \(what)")))
        case .returned(let n):
            if n == 0 { lua_pushnil(thread.L) }
            lua_settop(thread.L, lua_gettop(thread.L) - max(n, 1) + 1)
            lua_xmove(thread.L, vm.L, 1)
            vm.release(thread)
            return .success(())
        }
    }
}
