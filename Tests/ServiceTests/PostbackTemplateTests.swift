import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// Affiliate postback URL templates (checked when set, values percent-encoded), the masking
/// of recorded URLs, the neutral values of each event and the retry policy, without I/O.
final class PostbackTemplateTests: XCTestCase {
    func testMacroValuesArePercentEncodedSoTheyCannotAddParametersOrPathSegments() throws {
        let template = try PostbackTemplate(
            "https://tracker.example/pb/{lead_id}?click={click_id}&sub={sub_id}&s={status}", allowedPorts: [443])
        let url = template.render([.leadID: "L/1", .clickID: "a b&c=d", .subID: "é?#", .status: "accepted"])
        XCTAssertEqual(url, "https://tracker.example/pb/L%2F1?click=a%20b%26c%3Dd&sub=%C3%A9%3F%23&s=accepted")
        XCTAssertEqual(template.render([:]), "https://tracker.example/pb/?click=&sub=&s=", "a macro without a value is empty")
        XCTAssertEqual(PostbackTemplate.percentEncoded("A-z_0.9~"), "A-z_0.9~")
    }

    func testEveryMacroIsKnownAndAnUnknownOneIsRefusedByName() throws {
        let all = PostbackTemplate.Macro.allCases.map { "\($0.rawValue)={\($0.rawValue)}" }.joined(separator: "&")
        XCTAssertNoThrow(try PostbackTemplate("http://t.example/pb?" + all, allowedPorts: [80]))
        XCTAssertThrowsError(try PostbackTemplate("http://t.example/pb?c={clickid}", allowedPorts: [80])) { error in
            XCTAssertEqual(error as? PostbackTemplateError, .unknownMacro("clickid"))
            XCTAssertTrue("\(error)".contains("{click_id}"), "the message lists the macros: \(error)")
        }
        XCTAssertEqual(refusal("http://t.example/pb?c={click_id"), .unclosedBrace)
        XCTAssertEqual(refusal("http://t.example/pb?c=click_id}"), .unopenedBrace)
    }

    func testSchemeHostPortAndUserinfoAreChecked() {
        XCTAssertEqual(refusal("ftp://t.example/pb"), .scheme)
        XCTAssertEqual(refusal("file:///etc/passwd"), .scheme)
        XCTAssertEqual(refusal("https://user:pw@t.example/pb"), .userinfo)
        XCTAssertEqual(refusal("https://t.example:8443/pb"), .port(8443, allowed: [80, 443]))
        XCTAssertEqual(refusal("https://t.example:99999/pb"), .badPort("99999"))
        XCTAssertEqual(refusal("https://{sub_id}.example/pb"), .macroInHost)
        XCTAssertEqual(refusal("https://t.example:{sub_id}/pb"), .macroInHost)
        XCTAssertEqual(refusal("https:///pb"), .host)
        XCTAssertEqual(refusal("https://t.example/pb#frag"), .fragment)
        XCTAssertEqual(refusal("https://t.example/p b"), .character("a space or control character"))
        XCTAssertEqual(refusal(""), .empty)
        XCTAssertEqual(try PostbackTemplate("HTTPS://t.example/pb", allowedPorts: [443]).port, 443)
        XCTAssertEqual(try PostbackTemplate("http://[::1]:8080/pb", allowedPorts: [8080]).port, 8080)
        XCTAssertEqual(try PostbackTemplate("http://t.example?x={status}", allowedPorts: [80]).port, 80)
    }

    func testRecordedURLsHideCredentialLookingParameters() {
        XCTAssertEqual(
            PostbackTemplate.masked("https://t.example/pb?click=1&token=abc&API_KEY=k&sig=s&status=accepted"),
            "https://t.example/pb?click=1&token=***&API_KEY=***&sig=***&status=accepted")
        XCTAssertEqual(PostbackTemplate.masked("https://t.example/pb"), "https://t.example/pb")
    }

    func testEventsCarryNeutralWordsOnly() {
        XCTAssertEqual(PostbackEvent(finalState: .accepted), .accepted)
        XCTAssertEqual(PostbackEvent(finalState: .rejected), .rejected)
        XCTAssertNil(PostbackEvent(finalState: .error), "a held lead is not final for the affiliate")
        XCTAssertNil(PostbackEvent(finalState: .retry(at: 1, attempt: 2)), "a fall-through or retry is not final")
        let stages: [(PostbackEvent, String, String)] = [
            (.stage(.wait), "pending", "wait"), (.stage(.hold), "pending", "hold"), (.stage(.approve), "approved", "approve"),
            (.stage(.cancel), "declined", "cancel"), (.stage(.trash), "declined", "trash"), (.accepted, "accepted", ""),
            (.rejected, "rejected", ""), (.test, "test", ""),
        ]
        for (event, status, stage) in stages {
            XCTAssertEqual(event.status, status, "\(event)")
            XCTAssertEqual(event.stage, stage, "\(event)")
        }
        let values = PostbackEvent.stage(.approve).values(leadID: "L1", subID: nil, clickID: "c")
        XCTAssertEqual(values[.payout], "", "no payout until the money feature lands")
        XCTAssertEqual(values[.currency], "")
        XCTAssertEqual(values[.subID], "")
    }

    func testRetryPolicyRetriesWhatAnotherTryMayChangeAndGivesUpAtTheEnd() {
        let policy = PostbackRetryPolicy(delays: [30, 120])
        let cases: [(OutboundResponse, PostbackResult)] = [
            (OutboundResponse(status: 200), .sent), (OutboundResponse(status: 204), .sent),
            (OutboundResponse(status: 500), .retry), (OutboundResponse(status: 503), .retry), (OutboundResponse(status: 429), .retry),
            (.failed(.timeout), .retry), (.failed(.connect), .retry), (.failed(.dns), .retry),
            (OutboundResponse(status: 404), .failed), (OutboundResponse(status: 302), .failed),
            (.failed(.egressRefused, detail: "egress refused: 10.0.0.7 is private"), .failed), (.failed(.invalidRequest), .failed),
        ]
        for (response, expected) in cases {
            XCTAssertEqual(
                policy.judge(response, attempt: 1, now: 1000).result, expected, "\(response.status) \(String(describing: response.failure))"
            )
        }
        XCTAssertEqual(policy.judge(OutboundResponse(status: 500), attempt: 1, now: 1000).next, 1030)
        XCTAssertEqual(policy.judge(OutboundResponse(status: 500), attempt: 2, now: 1000).next, 1120)
        let last = policy.judge(OutboundResponse(status: 500), attempt: 3, now: 1000)
        XCTAssertEqual(last.result, .failed)
        XCTAssertEqual(last.error, "HTTP 500; gave up after 3 attempts")
    }

    private func refusal(_ text: String) -> PostbackTemplateError? {
        do {
            _ = try PostbackTemplate(text, allowedPorts: [80, 443])
            return nil
        } catch {
            return error
        }
    }
}
