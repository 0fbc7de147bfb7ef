--[[
Affise: report each lead to an Affise network as a conversion of the click it came from,
by the advertiser's server-to-server postback: pending on push, approved on approved.

Document: Affise Help Center, "Affise postback URL parameters",
  https://help-center.affise.com/en/articles/6475468-affise-postback-url-parameters,
  "Server postback errors", https://help-center.affise.com/en/articles/6476587-postback-errors,
  and "Conversion uniqueness determination",
  https://help-center.affise.com/en/articles/6504668-conversion-uniqueness

  GET {postback_url}?clickid=..&action_id=..&goal=..&status=..&sum=..&ip=..&secure=..
    e.g. http://offers-rocketcompany.affise.com/postback?clickid={clickid}&action_id=...

  Documented parameters: clickid (mandatory; Affise's click id has 24 symbols), action_id
  (unique conversion id in the advertiser's system), goal (goal number or value), sum
  (conversion revenue), ip, status (conversion status), comment, secure (the secure
  postback code set on the offer, advertiser or platform). With action_id, a conversion
  is unique by goal, action_id and offer; another postback with the same action_id is
  refused as "Conversion exists". A postback may change a conversion's status only while
  it is Pending ("Conversion status is not pending").

  Affise answers a postback it took but did not register with "status: 2" and an error
  message (the legacy processor); with asynchronous postbacks it always answers 200 and
  the error shows only in Statistics > Server postbacks.

Params (per offer):
  postback_url  required  the network's postback endpoint, e.g.
                          https://offers-<network>.affise.com/postback
  secure        optional  secret; the secure postback code (sent as `secure` when set)
  goal          optional  goal number or value (default: none, Affise's default goal)
  sum           optional  conversion revenue to report (default: none)

Lead -> query: clickid <- lead.click_id (required, 24 symbols), action_id <- lead.id (so
the approved postback names the same conversion), goal, sum, secure (params), ip <- ip,
comment <- comment, status: 2 (pending) on push, 1 (approved) on approved. A lead without
a 24-symbol click_id is rejected invalid_data before sending.

Outcomes:
  200, no "status: 2"                  accepted, external_id = action_id (our lead id)
  status 2 with a message (matched case-insensitively):
    "Conversion exists"                rejected duplicate
    "Access denied" (secure code), "Current IP-address is denied"
                                       rejected unauthorized
    "Broken clickid", "Click_id: invalid format", "Missing mandatory parameter"
                                       rejected invalid_data
    "Offer disabled"                   rejected filtered
    "Conversion status is not pending" rejected unknown (the conversion is already final)
    anything else                      rejected unknown with the message
  401/403, 408, 429, 5xx, transport    lib.outcome (429: retry_after from Retry-After)

ASSUMPTIONS (the document is silent):
  - The body of a legacy answer is JSON with `status` (1 registered, 2 not) and the
    error text in `message` or `error`; a body that is not JSON counts as accepted.
  - status codes: 2 = pending, 1 = approved (Affise's conversion statuses).
]]

local tostring, ipairs = tostring, ipairs

local leadf = require("lib.lead")
local outcome = require("lib.outcome")

---@type leadrelay.Integration
local M = {
  name = "affise",
  title = "Affise: advertiser server-to-server postbacks (conversions)",
  actions = { "push", "approved" },
  params = {
    postback_url = { required = true, description = "postback endpoint, e.g. https://offers-<network>.affise.com/postback" },
    secure = { secret = true, description = "secure postback code" },
    goal = { default = "", description = "goal number or value" },
    sum = { default = "", description = "conversion revenue to report" },
  },
  limits = { timeout = 20 },
}

local CLICKID_LENGTH = 24

-- Error messages of a "status: 2" answer -> reason, tried in order (plain, lower case).
local MESSAGES = {
  { "conversion exists", "duplicate" },
  { "access denied", "unauthorized" },
  { "ip-address is denied", "unauthorized" },
  { "broken clickid", "invalid_data" },
  { "invalid format", "invalid_data" },
  { "missing mandatory parameter", "invalid_data" },
  { "offer disabled", "filtered" },
}

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  local params = ctx.params
  local clickid = leadf.text(lead.click_id)
  if not clickid then
    return outcome.invalid("missing field: click_id (Affise's clickid is mandatory)")
  elseif #clickid ~= CLICKID_LENGTH then
    return outcome.invalid("click_id: Affise's clickid has 24 symbols, got " .. tostring(#clickid))
  end
  return {
    method = "GET",
    url = params.postback_url,
    query = {
      clickid = clickid,
      action_id = lead.id,
      goal = leadf.text(params.goal),
      sum = leadf.text(params.sum),
      status = ctx.action == "approved" and "1" or "2",
      ip = leadf.ip(lead.ip),
      comment = leadf.text(lead.comment),
      secure = leadf.text(params.secure),
    },
  }
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Outcome
function M.parse_status(response, ctx)
  if not outcome.ok(response) then
    return outcome.unrecognised(response, outcome.message(response.json, response.body))
  end
  local body = outcome.body(response)
  if not body or tostring(body.status) ~= "2" then
    return outcome.accepted(ctx.lead.id)
  end
  local text = outcome.message(body, response.body) or "status 2 without a message"
  local lower = text:lower()
  for _, rule in ipairs(MESSAGES) do
    if lower:find(rule[1], 1, true) then return outcome.rejected(rule[2], text) end
  end
  return outcome.rejected("unknown", "Affise: " .. text)
end

return M
