/// The files `leadrelay new` writes: a script that follows the contract and a fixture it passes.
enum Scaffold {
    static func script(_ name: String) -> String {
        """
        -- \(name): LeadRelay integration.
        --
        -- API docs: <link to the network's API documentation>
        -- Params:
        --   base_url   the network's API root, e.g. https://api.example.com
        --   api_token  the token the network gave us (secret)

        local json = json

        local M = {
          name = "\(name)",
          title = "\(name): send leads",
          actions = { "push" },
          params = {
            base_url = { required = true, description = "API root, e.g. https://api.example.com" },
            api_token = { required = true, secret = true, description = "API token" },
          },
        }

        function M.prepare(lead, ctx)
          if not lead.email then
            return { outcome = "rejected", reason = "invalid_data", message = "missing field: email" }
          end
          return {
            method = "POST",
            url = ctx.params.base_url .. "/leads",
            headers = { Authorization = "Bearer " .. ctx.params.api_token },
            json = { email = lead.email, first_name = lead.first_name, phone = lead.phone },
          }
        end

        function M.parse_status(response, ctx)
          if response.status == 0 then
            return { outcome = "retry", reason = "timeout", message = response.error }
          end
          local body = response.json or {}
          if response.status == 200 and body.id then
            return { outcome = "accepted", external_id = tostring(body.id) }
          end
          return { outcome = "rejected", reason = "unknown", message = response.body }
        end

        return M

        """
    }

    static func fixture(_ name: String) -> String {
        """
        {
          "description": "a new lead is accepted",
          "action": "push",
          "params": { "base_url": "https://api.example.com", "api_token": "t-123" },
          "lead": { "id": "L-1", "first_name": "Anna", "email": "anna@example.com", "phone": "+4915112345678" },
          "exchanges": [
            {
              "request": {
                "method": "POST",
                "url": "https://api.example.com/leads",
                "headers": { "Authorization": "Bearer t-123" },
                "json": { "email": "anna@example.com", "first_name": "Anna", "phone": "+4915112345678" }
              },
              "response": { "status": 200, "json": { "id": 42 } }
            }
          ],
          "expect": { "outcome": "accepted", "external_id": "42" }
        }

        """
    }
}
