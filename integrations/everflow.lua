--[[
Everflow: record each lead as a conversion of the Everflow click it came from (push), and
each lead approved on our side as a post-conversion event of the same click (approved),
through the Everflow Network API.

Document: Everflow Developer Docs, "Create Conversions with Transaction IDs",
  https://developers.everflow.io/api-reference/post-networksconversionsreportingtransactionids,
  "Errors", https://developers.everflow.io/user-guide/errors, and "Rate Limiting",
  https://developers.everflow.io/user-guide/rate-limiting

  POST {base_url}/networks/conversions/reporting/transaction_ids    (X-Eflow-API-Key, JSON)
    { "is_now": true, "offer_id": 33, "timezone_id": 90, "event_id": 0,
      "revenue_amount": 2, "is_payout_amount_submitted": false,
      "is_revenue_amount_submitted": true,
      "transaction_ids": ["300b69de1ba44b5fb84ac4c013436511"] }
    -> 200 { "result": true }

  The document: offer_id, event_id (0 = the base conversion), transaction_ids and
  timezone_id are required; each transaction id must match a click of that offer; one
  conversion is created per transaction id. Transaction ids are 32 characters. Errors
  answer { "error": "<message>" }: 400 (missing or malformed parameters), 401 (missing,
  invalid or revoked key: "No Authentication Method Found"), 403 (wrong key type, e.g. an
  affiliate key on a network endpoint), 404 (unknown resource or path), 429 (rate limit:
  Network keys 30 requests per second per customer, shared by every key; the window resets
  every 30 seconds), 500 (Everflow side, retry with backoff).

Params (per offer):
  base_url           optional  the API root (default https://api.eflow.team/v1; EU-hosted
                               accounts use https://api-eu.eflow.team/v1)
  api_key            required  secret; a Network API key (X-Eflow-API-Key)
  offer_id           required  the Everflow offer the clicks belong to
  timezone_id        optional  Everflow timezone id sent with the conversion (default 90,
                               the document's example; with is_now it does not move the time)
  event_id           optional  the event of push (default 0: the base conversion)
  approved_event_id  optional  the post-conversion event of approved (e.g. the offer's
                               "Sale" event); approved without it ends as outcome error
  revenue            optional  revenue_amount of the push conversion (default: none)
  approved_revenue   optional  revenue_amount of the approved event (default: none)

Lead -> body: transaction_ids <- { lead.click_id } (required, 32 letters or digits),
offer_id, event_id (push) or approved_event_id (approved), timezone_id, is_now = true,
revenue_amount with is_revenue_amount_submitted = true when the action's revenue param is
set (else false), is_payout_amount_submitted = false (the offer's payout applies). A lead
without a 32-character click_id is rejected invalid_data before sending.

Outcomes:
  200 { "result": true }               accepted, external_id = the transaction id
  2xx without "result": true           rejected unknown with the body
  400 whose error says the conversion exists (duplicat..., already exist...)
                                       rejected duplicate
  400                                  rejected invalid_data with Everflow's error
  401, 403                             rejected unauthorized
  404                                  rejected unknown (wrong base_url, offer or event)
  429                                  retry rate_limited; retry_after from Retry-After, else
                                       30 (the document's window)
  500-599, 408, transport failures     retry unavailable / timeout (lib.outcome)

ASSUMPTIONS (the document is silent):
  - The document does not say how a second conversion of the same click on the same
    event is refused; a 400 whose error text says duplicate / already exists is read as
    duplicate, any other 400 as invalid_data.
  - A 2xx answer whose body is not { "result": true } did not create the conversion.
  - approved names the click by lead.click_id, not lead.external_id: on an on-approve
    route the external id may be another network's. Whether Everflow takes an event for a
    click that has no base conversion (the lead was pushed elsewhere) is not documented;
    its refusal arrives as a 400 and is rejected invalid_data with Everflow's text.
]]

local math = math
local tostring, tonumber = tostring, tonumber

local leadf = require("lib.lead")
local outcome = require("lib.outcome")

---@type leadrelay.Integration
local M = {
  name = "everflow",
  title = "Everflow: conversions and events by transaction id (Network API)",
  actions = { "push", "approved" },
  params = {
    base_url = { default = "https://api.eflow.team/v1", description = "API root (EU: https://api-eu.eflow.team/v1)" },
    api_key = { required = true, secret = true, description = "Network API key (X-Eflow-API-Key)" },
    offer_id = { required = true, description = "Everflow offer id the clicks belong to" },
    timezone_id = { default = 90, description = "Everflow timezone id of the conversion" },
    event_id = { default = 0, description = "event of push (0: the base conversion)" },
    approved_event_id = { default = "", description = "post-conversion event id of approved" },
    revenue = { default = "", description = "revenue_amount of the push conversion" },
    approved_revenue = { default = "", description = "revenue_amount of the approved event" },
  },
  limits = { timeout = 30, rate = { limit = "30/1s", per = "credential" } },
}

local TRANSACTION_ID_LENGTH = 32
local RATE_WINDOW = 30

-- A whole number out of a param, or nil.
local function whole(value)
  local n = tonumber(leadf.text(value) or "")
  if n and n == math.floor(n) then return math.tointeger(n) end
  return nil
end

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  local params = ctx.params
  local tid = leadf.text(lead.click_id)
  if not tid then
    return outcome.invalid("missing field: click_id (Everflow's transaction id)")
  elseif #tid ~= TRANSACTION_ID_LENGTH or tid:find("[^%w]") then
    return outcome.invalid("click_id: Everflow's transaction id has 32 letters or digits, got "
      .. tostring(#tid) .. " characters")
  end
  local offer = whole(params.offer_id)
  if not offer then error("everflow: params: offer_id must be a whole number, got \"" .. tostring(params.offer_id) .. "\"") end
  local approved = ctx.action == "approved"
  local event = whole(approved and params.approved_event_id or params.event_id)
  if not event then
    error("everflow: params: " .. (approved and "approved_event_id" or "event_id")
      .. " must be a whole number (the offer's event id), got \"" .. tostring(approved and params.approved_event_id or params.event_id) .. "\"")
  end
  local revenue = tonumber(leadf.text(approved and params.approved_revenue or params.revenue) or "")
  return {
    method = "POST",
    url = params.base_url .. "/networks/conversions/reporting/transaction_ids",
    headers = { ["X-Eflow-API-Key"] = params.api_key },
    json = {
      is_now = true,
      offer_id = offer,
      event_id = event,
      timezone_id = whole(params.timezone_id),
      revenue_amount = revenue,
      is_revenue_amount_submitted = revenue ~= nil,
      is_payout_amount_submitted = false,
      transaction_ids = { tid },
    },
  }
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Outcome
function M.parse_status(response, ctx)
  local failed = outcome.transport(response)
  if failed then return failed end
  local body = outcome.body(response)
  local status = response.status
  if outcome.ok(response) then
    if body and body.result == true then return outcome.accepted(leadf.text(ctx.lead.click_id)) end
    return outcome.rejected("unknown", "HTTP " .. tostring(status) .. " without \"result\": true: "
      .. tostring(outcome.message(body, response.body) or "empty body"))
  end
  local text = outcome.message(body, response.body)
  local prefix = "HTTP " .. tostring(status) .. (text and (": " .. text) or "")
  if status == 400 then
    return outcome.rejected(outcome.says_duplicate(text) and "duplicate" or "invalid_data", prefix)
  elseif status == 404 then
    return outcome.rejected("unknown", prefix .. " (check base_url, offer_id and the event id)")
  elseif status == 429 then
    return outcome.retry("rate_limited", prefix, outcome.retry_after(response, RATE_WINDOW))
  end
  return outcome.unrecognised(response, text)
end

return M
