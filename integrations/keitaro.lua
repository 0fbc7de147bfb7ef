--[[
Keitaro: report each lead to a Keitaro tracker as a conversion of the click it came from,
by Keitaro's postback: status lead (payout on hold) on push, status sale (payout
confirmed) on approved.

Document: Keitaro Documentation, "Postback",
  https://docs.keitaro.io/en/conversions-and-postback/postback.html, and "Postback
  troubleshooting", https://docs.keitaro.io/en/conversions-and-postback/postback-troubleshooting.html

  GET {tracker_url}/{postback_key}/postback?subid=..&status=lead|sale&payout=..&currency=..
      [&sub_id_N=..]&return=OK

  Documented parameters: subid (required: the tracker's click id, which click the
  conversion belongs to), status (lead: payout not confirmed, shown as revenue on hold;
  sale: payout confirmed; rejected: payout cancelled; default sale), payout (or revenue),
  currency (usd, eur, ...), tid (serial number of a repeated action: rebills), sub_id_1 to
  sub_id_15 (update the click's parameters), return (a custom success message: with
  return=OK Keitaro shows "OK"). Status transitions: lead to sale, lead to rejected, sale to
  rejected. The postback key in the URL authenticates the request. Keitaro records the
  conversion after answering: a subid it cannot find ("Incorrect subid", "SubID not
  found") shows only in Maintenance > Logs > Received postbacks.

Params (per offer):
  tracker_url      required  the tracker's address, e.g. https://tracker.example.com
  postback_key     required  secret; the postback key of the tracker's Postback URL
  payout           optional  payout of the lead conversion (push; default: none)
  approved_payout  optional  payout of the sale (approved; default: none)
  currency         optional  currency of the payouts (e.g. usd; default: the tracker's)
  lead_id_sub      optional  a sub_id_1..sub_id_15 field to store LeadRelay's lead id in
                             on the click (default: none)
  success_text     optional  the `return` text Keitaro answers on success (default "OK")

Lead -> query: subid <- lead.click_id (required), status <- "lead" (push) or "sale"
(approved), payout <- payout / approved_payout, currency, <lead_id_sub> <- lead.id,
return <- success_text. The approved postback names the same subid, so Keitaro moves the
conversion from lead to sale. A lead without click_id is rejected invalid_data before
sending.

Outcomes:
  2xx whose body is the success_text   accepted, external_id = the subid
  2xx with any other body              rejected unknown (not Keitaro's answer: check
                                       tracker_url and postback_key)
  404                                  rejected unknown (wrong tracker_url or postback_key)
  401, 403                             rejected unauthorized
  429, 5xx, 408, transport failures    lib.outcome (429: retry_after from Retry-After)
  anything else                        rejected unknown with the HTTP status and body

ASSUMPTIONS (the document is silent):
  - Keitaro answers a postback it took with the `return` text whatever it later logs: an
    unknown subid is found only in the tracker's postback log, never in the answer, so the
    script cannot report it as rejected.
  - A wrong postback key or tracker path answers an HTTP error (404) or a page that is not
    the success text; either is rejected unknown naming the params to check.
  - subid has no documented format: any non-empty click_id is sent as is.
  - approved names the click by lead.click_id, not lead.external_id: on an on-approve
    route the external id may be another network's. A sale for a click that never had a
    lead conversion is recorded by Keitaro as a sale (status sale is its default).
]]

local url = url
local type, tostring, tonumber = type, tostring, tonumber

local leadf = require("lib.lead")
local outcome = require("lib.outcome")

---@type leadrelay.Integration
local M = {
  name = "keitaro",
  title = "Keitaro: conversions by postback (lead on push, sale on approved)",
  actions = { "push", "approved" },
  params = {
    tracker_url = { required = true, description = "the tracker's address, e.g. https://tracker.example.com" },
    postback_key = { required = true, secret = true, description = "postback key of the tracker's Postback URL" },
    payout = { default = "", description = "payout of the lead conversion (push)" },
    approved_payout = { default = "", description = "payout of the sale (approved)" },
    currency = { default = "", description = "currency of the payouts, e.g. usd" },
    lead_id_sub = { default = "", description = "sub_id_1..sub_id_15 field that gets LeadRelay's lead id" },
    success_text = { default = "OK", description = "the return text Keitaro answers on success" },
  },
  limits = { timeout = 20 },
}

local MAX_SUB_ID = 15

-- The sub_id_N field named by the lead_id_sub param, nil when unset; raises on a name
-- Keitaro does not have (an offer set up wrong keeps its leads: outcome error).
local function lead_id_field(value)
  local name = leadf.text(value)
  if not name then return nil end
  local n = tonumber(name:match("^sub_id_(%d+)$") or "")
  if not n or n < 1 or n > MAX_SUB_ID then
    error("keitaro: params: lead_id_sub must be one of sub_id_1 .. sub_id_15, got " .. tostring(name))
  end
  return name
end

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  local params = ctx.params
  local subid = leadf.text(lead.click_id)
  if not subid then
    return outcome.invalid("missing field: click_id (Keitaro's subid is required)")
  end
  local approved = ctx.action == "approved"
  local query = {
    subid = subid,
    status = approved and "sale" or "lead",
    payout = leadf.text(approved and params.approved_payout or params.payout),
    currency = leadf.text(params.currency),
    ["return"] = leadf.text(params.success_text),
  }
  local field = lead_id_field(params.lead_id_sub)
  if field then query[field] = lead.id end
  local base = tostring(params.tracker_url):gsub("/+$", "")
  return {
    method = "GET",
    url = base .. "/" .. url.encode(params.postback_key) .. "/postback",
    query = query,
  }
end

-- The body without the white space around it, in linear time whatever it holds (the
-- pattern "^%s*(.-)%s*$" backtracks over every run of spaces: a hostile answer of a word,
-- many spaces and a word ran it out of instructions).
local function trimmed(body)
  if type(body) ~= "string" then return "" end
  local first = body:find("%S")
  if not first then return "" end
  local last = #body - body:reverse():find("%S") + 1
  return body:sub(first, last)
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Outcome
function M.parse_status(response, ctx)
  local failed = outcome.transport(response)
  if failed then return failed end
  local body = trimmed(response.body)
  local expected = leadf.text(ctx.params.success_text)
  if outcome.ok(response) then
    if expected == nil or body == expected then
      return outcome.accepted(leadf.text(ctx.lead.click_id))
    end
    return outcome.rejected("unknown", "HTTP " .. tostring(response.status)
      .. ": the answer is not the success text \"" .. expected .. "\" (check tracker_url and postback_key): "
      .. body:sub(1, 200))
  end
  local text = outcome.message(response.json, response.body)
  if response.status == 404 then
    return outcome.rejected("unknown", "HTTP 404" .. (text and (": " .. text) or "")
      .. " (check tracker_url and postback_key)")
  end
  return outcome.unrecognised(response, text)
end

return M
