import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// Every `error` outcome's message reads `<script>.lua:<line>: <hook>: <what>` where the
/// script line is known and `<script>: <hook>: <what>` otherwise, naming the hook that
/// really ran (contract, section 3); `CallResult.location` is that script line. Inside
/// `lib/` code the line is the innermost one of the script itself, and the library's
/// position stays in `<what>`.
final class ErrorMessageTests: XCTestCase {
    struct Case {
        var name: String
        var prepare = "return { url = 'https://crm.example/x' }"
        var send: String?
        var parse = "return { outcome = 'accepted', external_id = '1' }"
        var action: Action = .push
        var params = "base_url = { default = 'https://crm.example' }"
        var limits = LuaLimits.default
        var response = OutboundResponse(status: 200)
        /// The exact message; `@` stands for the number of the script line marked `-- here`.
        var message: String
    }

    static let library = LuaSource(
        name: "lib/util.lua",
        code: """
            local U = {}
            function U.boom() error("boom") end
            function U.fetch(req) return http.request(req) end
            return U
            """)

    static func script(_ c: Case) -> String {
        var code = """
            local M = {
              name = "demo", title = "Demo", actions = { "push", "status" },
              params = { \(c.params) },
            }
            local util = require("lib.util")
            function M.prepare(lead, ctx)
            \(c.prepare)
            end

            """
        if let send = c.send {
            code += "function M.send(request, ctx)\n\(send)\nend\n"
        }
        code += "function M.parse_status(response, ctx)\n\(c.parse)\nend\nreturn M\n"
        return code
    }

    /// Limits with only `limit` in reach, so that no other one bites first on a slow machine.
    static func only(_ limit: LuaLimit) -> LuaLimits {
        var limits = LuaLimits()
        limits.instructions = 0
        limits.cpuSeconds = 3600
        switch limit {
        case .instructions: limits.instructions = 100_000
        case .time: limits.cpuSeconds = 0.05
        case .memory: limits.memoryBytes = 4 << 20
        case .responseSize: limits.responseBytes = 1024
        case .requestSize: limits.requestBytes = 1024
        }
        return limits
    }

    /// 900 KB of `[{},{},...]`: 300,000 tables, more than a 4 MiB VM holds once decoded.
    static let tooManyTables = OutboundResponse(
        status: 200, headers: [("content-type", "application/json")],
        body: Array(("[" + String(repeating: "{},", count: 300_000) + "{}]").utf8))

    /// What a transport answers for an address the egress policy refuses.
    static let refused = OutboundResponse.failed(.egressRefused, detail: "egress refused: 169.254.169.254 is link-local")

    static let cases: [Case] = [
        Case(
            name: "runtime error in prepare", prepare: "local x = nil\nreturn x.field -- here",
            message: "demo.lua:@: prepare: attempt to index a nil value (local 'x')"),
        Case(
            name: "runtime error in send", send: "error('send broke') -- here",
            message: "demo.lua:@: send: send broke"),
        Case(
            name: "runtime error in parse_status", parse: "return { outcome = response.json.outcome } -- here",
            message: "demo.lua:@: parse_status: attempt to index a nil value (field 'json')"),
        Case(
            name: "error object without a position", prepare: "error({ message = 'no position' }) -- here",
            message: "demo.lua:@: prepare: no position"),
        Case(
            name: "error raised in lib code", prepare: "util.boom() -- here",
            message: "demo.lua:@: prepare: lib/util.lua:2: boom"),
        Case(
            name: "host function raising in lib code", prepare: "local r = util.fetch({ url = 'https://x.example' }) -- here",
            message:
                "demo.lua:@: prepare: lib/util.lua:3: http.request: only available inside send (not in prepare, parse_status or a coroutine the script created)"
        ),
        Case(
            name: "http.request in prepare", prepare: "local r = http.request({ url = 'https://x.example' }) -- here",
            message:
                "demo.lua:@: prepare: http.request: only available inside send (not in prepare, parse_status or a coroutine the script created)"
        ),
        Case(
            name: "http.request in parse_status", parse: "local r = http.request({ url = 'https://x.example' }) -- here",
            message:
                "demo.lua:@: parse_status: http.request: only available inside send (not in prepare, parse_status or a coroutine the script created)"
        ),
        Case(
            name: "instruction limit", prepare: "while true do end -- here", limits: only(.instructions),
            message: "demo.lua:@: prepare: instruction limit exceeded"),
        Case(
            name: "time limit", prepare: "local n = 0 while true do n = n + 1 end -- here", limits: only(.time),
            message: "demo.lua:@: prepare: time limit exceeded"),
        Case(
            name: "memory limit", prepare: "local t = {} for i = 1, 1e9 do t[i] = i end -- here", limits: only(.memory),
            message: "demo.lua:@: prepare: memory limit exceeded (not enough memory)"),
        Case(
            name: "response size limit without send", limits: only(.responseSize), response: .failed(.responseTooLarge),
            message: "demo: prepare: response size limit exceeded: the response to POST https://crm.example/x is larger than 1024 bytes"),
        Case(
            name: "response size limit in send", send: "local r = http.request(request) -- here\nreturn r",
            limits: only(.responseSize), response: .failed(.responseTooLarge),
            message: "demo.lua:@: send: response size limit exceeded: the response to POST https://crm.example/x is larger than 1024 bytes"),
        Case(
            name: "request size limit from prepare", prepare: "return { url = 'https://crm.example/x', body = string.rep('x', 2000) }",
            limits: only(.requestSize),
            message: "demo: prepare: request size limit exceeded: request.body is longer than 1024 bytes"),
        Case(
            name: "request size limit through http.request",
            send: "local r = http.request({ url = 'https://crm.example/x', body = string.rep('x', 2000) }) -- here\nreturn r",
            limits: only(.requestSize),
            message: "demo.lua:@: send: request size limit exceeded: request.body is longer than 1024 bytes"),
        Case(
            name: "JSON answer over the memory cap without send", limits: only(.memory), response: tooManyTables,
            message:
                "demo: prepare: memory limit exceeded: the JSON answer to POST https://crm.example/x does not fit under the VM's 4194304-byte cap"
        ),
        Case(
            name: "JSON answer over the memory cap in send", send: "local r = http.request(request) -- here\nreturn r",
            limits: only(.memory), response: tooManyTables,
            message:
                "demo.lua:@: send: memory limit exceeded: the JSON answer to POST https://crm.example/x does not fit under the VM's 4194304-byte cap"
        ),
        Case(
            name: "egress refusal of the request prepare returned", response: refused,
            message: "demo: prepare: egress refused: 169.254.169.254 is link-local"),
        Case(
            name: "egress refusal in send", send: "local r = http.request(request) -- here\nreturn r", response: refused,
            message: "demo.lua:@: send: egress refused: 169.254.169.254 is link-local"),
        Case(
            name: "request of the wrong shape from prepare", prepare: "return { url = 'ftp://x' }",
            message:
                #"demo: prepare: returned a request of the wrong shape: request.url must start with http:// or https://, got "ftp://x""#),
        Case(
            name: "prepare returns no table", prepare: "return 42",
            message: "demo: prepare: returned a request of the wrong shape: a request must be a table, got number"),
        Case(
            name: "outcome of the wrong shape from prepare", prepare: "return { outcome = 'maybe' }",
            message: #"demo: prepare: returned an outcome of the wrong shape: outcome must be "accepted", "rejected" or "retry""#),
        Case(
            name: "result of the wrong shape from parse_status", parse: "return { outcome = 'ok' }",
            message: #"demo: parse_status: returned a result of the wrong shape: outcome must be "accepted", "rejected" or "retry""#),
        Case(
            name: "accepted outcome for a status check", parse: "return { outcome = 'accepted' }", action: .status,
            message:
                "demo: parse_status: returned an accepted outcome for a status call (it returns { updates = ... }, or a retry or rejected outcome)"
        ),
        Case(
            name: "request of the wrong shape through http.request", send: "local r = http.request({ url = 'nope' }) -- here\nreturn r",
            message:
                #"demo.lua:@: send: http.request got a request of the wrong shape: request.url must start with http:// or https://, got "nope""#
        ),
        Case(
            name: "stray yield in prepare", prepare: "coroutine.yield() -- here",
            message: "demo.lua:@: prepare: stray coroutine.yield (only http.request may wait inside a hook)"),
        Case(
            name: "stray yield in send", send: "coroutine.yield() -- here",
            message: "demo.lua:@: send: stray coroutine.yield (only http.request may wait inside a hook)"),
        Case(
            name: "stray yield in parse_status", parse: "coroutine.yield() -- here",
            message: "demo.lua:@: parse_status: stray coroutine.yield (only http.request may wait inside a hook)"),
        Case(
            name: "missing required parameter", params: "api_token = { required = true }",
            message: #"demo: params: missing required parameter "api_token" (set it on the offer)"#),
        Case(
            name: "unsupported action", action: .update,
            message: #"demo: actions: does not support the action "update" (it supports: push, status)"#),
    ]

    func testEveryErrorMessageNamesScriptLineAndHook() throws {
        for c in Self.cases {
            let code = Self.script(c)
            let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
            let marked = lines.firstIndex { $0.contains("-- here") }.map { $0 + 1 }
            let expected = c.message.replacingOccurrences(of: "@", with: marked.map(String.init) ?? "?")
            let instance = try IntegrationInstance(
                source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua",
                libraries: ["lib.util": Self.library], limits: c.limits)
            var input = CallInput(action: c.action, lead: TestScripts.lead, now: 1000)
            if c.action == .status {
                input = CallInput(action: .status, now: 1000, check: .processing, leads: [])
            }
            let result = instance.run(input) { _ in c.response }
            XCTAssertEqual(result.outcome?.kind, .error, "\(c.name): \(result.json.encoded())")
            XCTAssertEqual(result.outcome?.message, expected, c.name)
            XCTAssertEqual(result.location, expected.hasPrefix("demo.lua:") ? "demo.lua:\(marked ?? 0)" : nil, c.name)
        }
    }
}
