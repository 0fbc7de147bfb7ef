/// The fixtures `leadrelay new` writes beside its script (`Scaffold`): one per class of
/// answer the tutorial asks for first (a success, a rejection, a retry, a status check),
/// each passing as generated. They use only the keys of the fixture format.
enum ScaffoldFixtures {
    /// File name -> content, in the order `new` lists them.
    static var all: [(file: String, text: String)] {
        [
            ("push-accepted.json", accepted), ("push-duplicate.json", duplicate), ("push-timeout.json", timeout),
            ("status-processing.json", status),
        ]
    }

    static let params = #""params": { "base_url": "https://api.example.com", "api_key": "test-key-0001" },"#
    static let lead =
        #""lead": { "id": "L-1", "first_name": "Anna", "last_name": "Schmidt", "phone": "+49 151 12345678", "country": "de" },"#

    static let accepted = """
        {
          "description": "a new lead is created: accepted with the network's id",
          "action": "push",
          \(params)
          \(lead)
          "exchanges": [
            {
              "request": {
                "method": "POST",
                "url": "https://api.example.com/leads",
                "headers": { "X-Api-Key": "test-key-0001" },
                "json": { "name": "Anna Schmidt", "phone": "+4915112345678", "country": "DE", "source": "leadrelay" }
              },
              "response": { "status": 201, "json": { "id": "n-123", "login_url": "https://app.example.com/in/abc" } }
            }
          ],
          "expect": { "outcome": "accepted", "external_id": "n-123", "redirect_url": "https://app.example.com/in/abc" }
        }

        """

    static let duplicate = """
        {
          "description": "the network already has the phone (409): rejected duplicate",
          "action": "push",
          \(params)
          \(lead)
          "exchanges": [
            {
              "request": { "method": "POST", "url": "https://api.example.com/leads" },
              "response": { "status": 409, "json": { "message": "phone already registered" } }
            }
          ],
          "expect": { "outcome": "rejected", "reason": "duplicate", "message_contains": "already registered" }
        }

        """

    static let timeout = """
        {
          "description": "no answer in time: retry timeout",
          "action": "push",
          \(params)
          \(lead)
          "exchanges": [
            {
              "request": { "method": "POST", "url": "https://api.example.com/leads" },
              "response": { "error": "timeout" }
            }
          ],
          "expect": { "outcome": "retry", "reason": "timeout" }
        }

        """

    static let status = """
        {
          "description": "processing check: one GET for the batch, states mapped to stages",
          "action": "status",
          "check": "processing",
          \(params)
          "leads": [
            { "id": "L-1", "external_id": "n-123", "created_at": "2025-12-31T10:00:00Z" },
            { "id": "L-2", "external_id": "n-124", "created_at": "2025-12-31T11:00:00Z" }
          ],
          "exchanges": [
            {
              "request": {
                "method": "GET",
                "url": "https://api.example.com/leads",
                "query": { "ids": "n-123,n-124" },
                "headers": { "X-Api-Key": "test-key-0001" }
              },
              "response": {
                "status": 200,
                "json": { "leads": [ { "id": "n-123", "state": "sold", "note": "paid" }, { "id": "n-124", "state": "calling" } ] }
              }
            }
          ],
          "expect": { "updates": [
            { "external_id": "n-123", "stage": "approve", "status": "sold", "comment": "paid" },
            { "external_id": "n-124", "stage": "wait", "status": "calling" }
          ] }
        }

        """
}
