import Host
import XCTest

/// `log` lines never carry a secret: derived forms of the call's secrets, values the
/// script registers with `log.secret`, credentials of logged `Authorization` headers.
final class LogSecretTests: XCTestCase {
    var vm: LuaVM!
    var call: HostCall!

    override func setUpWithError() throws {
        vm = try LuaVM()
        call = HostCall(now: 1_795_168_800, secrets: ["s3cr+t/KEY="])
    }

    private var messages: [String] { call.logs.map(\.message) }

    func testDerivedFormsOfASecretAreMasked() throws {
        _ = try vm.value(
            in: call,
            """
            log.info(url.encode('s3cr+t/KEY='))
            log.info('Basic ' .. crypto.base64_encode('user:s3cr+t/KEY='))
            log.info(string.upper('s3cr+t/KEY='), crypto.hex('s3cr+t/KEY='))
            """)
        XCTAssertEqual(messages.count, 3)
        XCTAssertEqual(messages[0], "***", messages[0])
        XCTAssertFalse(messages[1].contains("zM2NyK3QvS0VZ"), messages[1])
        XCTAssertEqual(messages[2], "*** ***", messages[2])
    }

    func testARegisteredValueIsMaskedInLaterLines() throws {
        XCTAssertEqual(try vm.value(in: call, "return log.secret('tok-from-login-42')"), "tok-from-login-42")
        _ = try vm.value(in: call, "log.info('token', 'tok-from-login-42', url.encode('TOK-FROM-LOGIN-42'))")
        XCTAssertEqual(messages, ["token *** ***"])
    }

    func testLogSecretTakesStringsAndNumbersOnly() {
        guard case .failure(let error) = vm.evaluate(in: call, "log.secret({})") else { return XCTFail("a table was registered") }
        XCTAssertTrue(error.message.contains("log.secret: expected a string or a number, got table"), error.message)
    }

    func testCredentialsOfALoggedAuthorizationHeaderAreMasked() throws {
        call = HostCall(now: 1_795_168_800)
        _ = try vm.value(
            in: call,
            """
            log.info({ Authorization = 'Bearer eyJhbGciOi.x.y' })
            log.info('Proxy-Authorization: Basic dXNlcjpwdw==')
            log.info({ Cookie = 'sid=abc123; lang=de' })
            """)
        XCTAssertEqual(
            messages, [#"{"Authorization":"Bearer ***"}"#, "Proxy-Authorization: Basic ***", #"{"Cookie":"sid=***; lang=***"}"#])
    }
}
