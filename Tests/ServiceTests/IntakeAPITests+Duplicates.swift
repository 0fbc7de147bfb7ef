import Foundation
import LeadJSON
import OutboundHTTP
import XCTest

extension IntakeAPITests {
    /// Posts of one e-mail address at the same moment to an offer with a duplicate window:
    /// one lead is taken, every other is stored rejected `duplicate`. (Failed before: the
    /// check read the store before the insert, so concurrent posts all passed it.)
    func testConcurrentPostsOfOneEmailLetOneLeadThrough() async throws {
        let body = #"{"offer_id": "7", "first_name": "Anna", "email": "same@example.com", "country": "DE"}"#
        let (client, url, token) = (client, "http://127.0.0.1:\(server.port)/api/v1/leads", token)
        let answers = await withTaskGroup(of: (Int, String?, String?).self) { group in
            for _ in 0..<12 {
                group.addTask {
                    let response = await client.perform(
                        OutboundRequest(
                            method: "POST", url: url,
                            headers: [("content-type", "application/json"), ("authorization", "Bearer \(token)")],
                            body: Array(body.utf8), timeout: 10))
                    let json = try? JSONValue.parse(response.body)
                    return (response.status, json?["state"]?.stringValue, json?["reason"]?.stringValue)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(answers.map(\.0), Array(repeating: 202, count: 12))
        let taken = answers.filter { $0.1 != "rejected" }
        XCTAssertEqual(taken.count, 1, "\(answers)")
        XCTAssertEqual(answers.filter { $0.1 == "rejected" && $0.2 == "duplicate" }.count, 11, "\(answers)")
    }
}
