/// The files `leadrelay new` writes: a script written as docs/writing-integrations.md
/// teaches (`lib.outcome`, `lib.lead`, the outcome table of its section 2, a header naming
/// the API document and every param) and fixtures it passes (`ScaffoldFixtures`).
enum Scaffold {
    /// The shared libraries the script requires, relative to the integrations directory.
    static let libraries = ["lib/outcome.lua", "lib/lead.lua"]

    static func script(_ name: String) -> String {
        """
        --[[
        \(name): push leads, register them, read their states.

        Document: <the network's API document: its title, version and URL>

          POST {base_url}/leads           create a lead (push, register)
          GET  {base_url}/leads?ids=...   states of up to 50 leads (status)
          Header X-Api-Key: <api_key>; JSON in and out.

        Params:
          base_url  required  the API root, e.g. https://api.example.com
          api_key   required  secret; the partner key (X-Api-Key)
          source    optional  traffic source label in the network's reports (default "leadrelay")

        Outcomes (docs/writing-integrations.md, section 2):
          201/200 with an id       accepted (register also needs login_url: else rejected no_redirect)
          409                      rejected duplicate
          422                      rejected invalid_data
          no phone in the lead     rejected invalid_data (nothing is sent)
          timeout, 408             retry timeout
          refused, DNS, TLS, 5xx   retry unavailable
          401/403                  rejected unauthorized;  429: retry rate_limited
          anything else            rejected unknown, with the HTTP status and the network's text
        A status check that fails as a whole is a retry outcome (outcome.check_failed).
        ]]

        local type, ipairs, table = type, ipairs, table
        local leadf = require("lib.lead")
        local outcome = require("lib.outcome")

        -- The network's state -> LeadRelay stage (wait, hold, approve, cancel, trash).
        local STAGES = { new = "wait", calling = "wait", sold = "approve", rejected = "cancel", spam = "trash" }

        local M = {
          name = "\(name)",
          title = "\(name): leads and their states",
          actions = { "push", "register", "status" },
          params = {
            base_url = { required = true, description = "API root, e.g. https://api.example.com" },
            api_key = { required = true, secret = true, description = "partner key (X-Api-Key)" },
            source = { default = "leadrelay", description = "traffic source label in the network's reports" },
          },
          limits = { batch = 50, timeout = 20 },
        }

        local function status_request(p, ctx)
          local ids = {}
          for _, item in ipairs(ctx.leads or {}) do ids[#ids + 1] = item.external_id end
          return {
            method = "GET",
            url = p.base_url .. "/leads",
            headers = { ["X-Api-Key"] = p.api_key },
            query = { ids = table.concat(ids, ",") },
          }
        end

        function M.prepare(lead, ctx)
          local p = ctx.params
          if ctx.action == "status" then return status_request(p, ctx) end
          local phone = leadf.phone_plus(lead.phone)
          if not phone then
            return outcome.invalid("missing field: phone")
          end
          return {
            method = "POST",
            url = p.base_url .. "/leads",
            headers = { ["X-Api-Key"] = p.api_key, ["Content-Type"] = "application/json" },
            json = {
              name = leadf.full_name(lead),
              phone = phone,
              email = leadf.email(lead.email),
              country = leadf.country(lead.country),
              ip = leadf.ip(lead.ip),
              source = p.source,
            },
          }
        end

        local function parse_lead(response, ctx)
          local failed = outcome.transport(response) -- status 0: timeout, connect, dns, tls
          if failed then return failed end
          local body = outcome.body(response) or {}
          local id = leadf.text(body.id)
          if (response.status == 200 or response.status == 201) and id then
            local url = leadf.text(body.login_url)
            if ctx.action == "register" and not url then
              return outcome.rejected("no_redirect", "the network returned no login_url")
            end
            return outcome.accepted(id, url)
          end
          local message = outcome.message(body, response.body)
          if response.status == 409 then return outcome.rejected("duplicate", message) end
          if response.status == 422 then return outcome.rejected("invalid_data", message) end
          return outcome.unrecognised(response, message) -- 401/403, 408, 429, 5xx, else unknown
        end

        local function parse_states(response)
          local body = outcome.body(response)
          if not outcome.ok(response) or not body or type(body.leads) ~= "table" then
            return outcome.check_failed(response) -- a retry outcome, not updates
          end
          local updates = {}
          for _, row in ipairs(body.leads) do
            local state = leadf.text(row.state)
            updates[#updates + 1] = {
              external_id = leadf.text(row.id),
              stage = STAGES[state] or "wait",
              status = state,
              comment = leadf.text(row.note),
            }
          end
          return { updates = updates }
        end

        function M.parse_status(response, ctx)
          if ctx.action == "status" then return parse_states(response) end
          return parse_lead(response, ctx)
        end

        return M

        """
    }
}
