import Host
import IntegrationRuntime
import LeadJSON

/// Builds instances from inline script text for tests.
enum TestScripts {
    static func instance(_ code: String, name: String = "demo", libraries: [String: LuaSource] = [:], limits: LuaLimits = .default) throws
        -> IntegrationInstance
    {
        try IntegrationInstance(
            source: LuaSource(name: "\(name).lua", code: code), file: "integrations/\(name).lua", libraries: libraries, limits: limits)
    }

    /// A script whose prepare and parse_status bodies are given.
    static func script(
        name: String = "demo", actions: String = "\"push\", \"status\"",
        params: String = "base_url = { default = \"https://crm.example\" }", extra: String = "", prepare: String, parse: String
    ) -> String {
        """
        local M = {
          name = "\(name)",
          title = "Demo",
          actions = { \(actions) },
          params = { \(params) },
        }
        \(extra)
        function M.prepare(lead, ctx)
        \(prepare)
        end
        function M.parse_status(response, ctx)
        \(parse)
        end
        return M
        """
    }

    static let lead: JSONValue = .object([
        "id": .string("L-1"), "first_name": .string("Anna"), "last_name": .string("Schmidt"),
        "email": .string("anna@example.com"), "phone": .string("+4915112345678"), "country": .string("DE"),
    ])
}
