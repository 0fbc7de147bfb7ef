--[[
Close CRM: create a lead with its contact for each lead (push), or for each lead approved
on our side (approved), with an API key; read the status of created leads back (status).

Document: Close API reference, "Create a new lead" (POST /api/v1/lead/),
  https://developer.close.com/api/resources/leads/create, "Leads" (create, retrieve a single
  lead: GET /api/v1/lead/{id}/), https://developer.close.com/resources/leads/, "Authentication
  with API keys", https://developer.close.com/api/overview/api-key-authentication, "HTTP
  Response Codes", https://developer.close.com/api/overview/http-response-codes, and "Rate
  Limits", https://developer.close.com/api/overview/rate-limits

  POST {base_url}/lead/
    Authorization: Basic base64("<api key>:")   (the API key as user, an empty password)
    Content-Type: application/json
    { "name": ..., "status_id": ..., "contacts": [ { "name", "emails": [ { "type",
      "email" } ], "phones": [ { "type", "phone" } ] } ], "addresses": [ { "label",
      "address_1", "city", "zipcode", "country" } ], "custom.cf_...": value }
    -> 200 { "id": "lead_...", "status_id": "stat_...", "status_label": "Potential", ... }
  GET {base_url}/lead/{id}/?_fields=id,status_id,status_label,date_updated

  The document: contacts, addresses and custom fields nest in the lead; post `status` or
  `status_id`, not both (without either the organization's first status is used); a custom
  field is set as `custom.FIELD_ID` (the custom field's id, cf_...). Codes: 200 success,
  400 an issue with the request, 401 not authenticated, 402 a limit of the plan reached,
  403 operation not allowed, 404 URL not found, 405 method not supported, 415 unsupported
  format. Rate limits are per endpoint group, per API key and per organization; on 429 the
  client pauses for the `rate_reset` seconds the answer gives before calling again.

Params (per offer):
  api_key             required  secret; the Close API key (HTTP Basic user, empty password)
  base_url            optional  API root (default https://api.close.com/api/v1)
  status_id           optional  lead status id (stat_...) set on leads created by push
                                (default: none, Close uses the organization's first status)
  approved_status_id  optional  lead status id set on leads created by approved (default:
                                status_id)
  lead_id_field       optional  custom field id (cf_...) that receives LeadRelay's lead id

Lead -> lead: name <- "First Last" (lib.lead.full_name, else the email, else the phone),
status_id (param), contacts <- [{ name, emails = [{ type = "office", email }], phones =
[{ type = "mobile", phone = +digits }] }], addresses <- [{ label = "business", address_1
<- address.street, city, zipcode <- address.zip, country (ISO alpha-2) }] when any is
given, custom.<lead_id_field> <- lead.id. A lead with none of a name, an email and a
phone is rejected invalid_data before sending.

Outcomes:
  2xx with an id                    accepted, external_id = the lead's id (lead_...),
                                    extra = { status_label = ... } when given
  400 (a refused field)             rejected invalid_data with Close's error text
  401 (bad or revoked key), 403     rejected unauthorized
  402 (a limit of the plan reached) rejected cap_reached
  404, 405, 415 (wrong base_url or request format)
                                    rejected unknown with HTTP status and message
  429                               retry rate_limited; retry_after from the body's
                                    rate_reset (rounded up), else the `reset` of the
                                    RateLimit header, else Retry-After
  5xx, transport failures           retry unavailable / timeout (lib.outcome)

Status checks (processing, approved): one GET per lead (limits.batch = 20) of its
external_id. The lead's status_label is mapped by lib.status with Close's default lead
statuses first: "Potential" wait, "Interested" wait, "Qualified" hold, "Customer"
approve, "Bad Fit" trash, "Not Interested" / "Canceled" cancel; a label neither knows is
stage wait; the label is kept as status, date_updated as at (in UTC with a Z, as the
contract's updates are: 2026-01-02T09:15:00.120000+00:00 becomes 2026-01-02T09:15:00Z). A lead answered 404 (deleted
or merged in Close) is skipped. A check that fails as a whole (401/403, 429, 5xx,
transport) is a retry outcome (lib.outcome.check_failed, the 429 wait as above). A range
check is not supported (the script lists no leads by date): it ends as retry unknown, so
configure the route's processing and approved checks only. An external id is sent as
one percent-encoded path segment.

ASSUMPTIONS (the document is silent):
  - Close does not refuse a second lead with the same email (there is no duplicate
    outcome): deduplicate with the offer's duplicate window.
  - The error body: Close answers `{ "error": ... }` and, for a refused field,
    `"field-errors": { field: message }` and `"errors": [...]`; the script reads those,
    else the raw body (cut to 300 bytes).
  - The 429 body is `{ "error": { "rate_reset": <seconds>, ... } }` (a top-level
    rate_reset is read too); the RateLimit header is `limit=.., remaining=.., reset=..`.
  - "Potential", "Bad Fit", "Qualified" and "Customer" are the statuses of a new Close
    organization; an organization with its own labels maps them in a copy of this script.
  - The 2xx answer without an `id` is rejected unknown rather than accepted without one.
]]

local http = http
local crypto = crypto
local json = json
local string, table = string, table
local type, tostring, ipairs, pairs = type, tostring, ipairs, pairs

local leadf = require("lib.lead")
local outcome = require("lib.outcome")
local checks = require("lib.checks")
local dates = require("lib.dates")
local status_words = require("lib.status")

---@type leadrelay.Integration
local M = {
  name = "close_crm",
  title = "Close CRM: create leads with contacts, read their status (API v1, API key)",
  actions = { "push", "approved", "status" },
  params = {
    api_key = { required = true, secret = true, description = "Close API key (HTTP Basic user, empty password)" },
    base_url = { default = "https://api.close.com/api/v1", description = "API root" },
    status_id = { description = "lead status id (stat_...) set on pushed leads" },
    approved_status_id = { description = "lead status id set on approved leads (default: status_id)" },
    lead_id_field = { description = "custom field id (cf_...) receiving LeadRelay's lead id" },
  },
  limits = { batch = 20, timeout = 30 },
}

-- Close's default lead statuses, read before the shared call-centre words.
local stage_of_label = status_words.extend({
  ["potential"] = "wait",
  ["qualified"] = "hold",
  ["customer"] = "approve",
  ["bad fit"] = "trash",
})

local function base_url(params)
  return leadf.text(params.base_url) or "https://api.close.com/api/v1"
end

local function auth_header(params)
  return "Basic " .. crypto.base64_encode(tostring(params.api_key) .. ":")
end

local function address_of(lead)
  local address = type(lead.address) == "table" and lead.address or {}
  local out = {
    label = "business",
    address_1 = leadf.text(address.street),
    city = leadf.text(address.city),
    zipcode = leadf.text(address.zip),
    country = leadf.country(lead.country),
  }
  if out.address_1 or out.city or out.zipcode or out.country then return { out } end
  return nil
end

local function prepare_lead(lead, ctx)
  local params = ctx.params
  local email = leadf.email(lead.email)
  local phone = leadf.phone_plus(lead.phone)
  local name = leadf.text(leadf.full_name(lead)) or email or phone
  if not name then
    return outcome.invalid("Close needs a lead name: the lead has no name, email or phone")
  end
  local status_id = leadf.text(params.status_id)
  if ctx.action == "approved" then status_id = leadf.text(params.approved_status_id) or status_id end
  local body = {
    name = name,
    status_id = status_id,
    contacts = {
      {
        name = leadf.text(leadf.full_name(lead)),
        emails = email and { { type = "office", email = email } } or nil,
        phones = phone and { { type = "mobile", phone = phone } } or nil,
      },
    },
    addresses = address_of(lead),
  }
  local field = leadf.text(params.lead_id_field)
  if field then body["custom." .. field] = leadf.text(lead.id) end
  return {
    method = "POST",
    url = base_url(params) .. "/lead/",
    headers = { Authorization = auth_header(params) },
    json = body,
  }
end

-- A Close lead id as one path segment: anything but letters, digits, "_", "-" and "~" is
-- percent-encoded (dots too, so ".." stays a name), and an id can never leave /lead/.
local function lead_url(params, id)
  local segment = tostring(id):gsub("[^%w_%-~]", function(c) return string.format("%%%02X", c:byte()) end)
  return base_url(params) .. "/lead/" .. segment .. "/"
end

local STATUS_FIELDS = "id,status_id,status_label,date_updated"

local function prepare_status(ctx)
  if ctx.check == "range" then
    return outcome.retry("unknown", "close_crm: range checks are not supported (configure processing and approved checks)")
  end
  local ids, wanted = checks.ids(ctx)
  ctx.state.ids, ctx.state.wanted = ids, wanted
  return {
    method = "GET",
    url = lead_url(ctx.params, ids[1] or ""),
    query = { _fields = STATUS_FIELDS },
    headers = { Authorization = auth_header(ctx.params) },
  }
end

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  if ctx.action == "status" then return prepare_status(ctx) end
  return prepare_lead(lead, ctx)
end

---@param request leadrelay.Request
---@param ctx leadrelay.Ctx
---@return leadrelay.Response
function M.send(request, ctx)
  if ctx.action ~= "status" then return http.request(request) end
  local rows = {}
  for index, id in ipairs(ctx.state.ids or {}) do
    local lookup = request
    if index > 1 then
      lookup = { method = "GET", url = lead_url(ctx.params, id), query = request.query, headers = request.headers }
    end
    local response = http.request(lookup)
    if response.status ~= 404 then
      local body = outcome.body(response)
      if not (outcome.ok(response) and body) then return response end
      rows[#rows + 1] = body
    end
  end
  return { status = 200, headers = {}, json = json.array(rows) }
end

-- Close's error text: `error` (a string, or an object with a message), the messages of
-- `field-errors` (sorted by field) and of `errors[]`, cut to 300 characters; else the raw
-- body.
local function error_text(response)
  local body = outcome.body(response)
  if not body then return outcome.message(nil, response.body) end
  local parts = {}
  local err = body.error
  if type(err) == "string" then
    parts[#parts + 1] = leadf.text(err)
  elseif type(err) == "table" then
    parts[#parts + 1] = leadf.text(err.message)
  end
  local fields = body["field-errors"]
  if type(fields) == "table" then
    local names = {}
    for name in pairs(fields) do names[#names + 1] = tostring(name) end
    table.sort(names)
    for _, name in ipairs(names) do
      local value = fields[name]
      local text = type(value) == "table" and json.encode(value) or leadf.text(value)
      if text then parts[#parts + 1] = name .. ": " .. text end
    end
  end
  if type(body.errors) == "table" then
    for _, e in ipairs(body.errors) do
      local text = type(e) == "table" and leadf.text(e.message) or leadf.text(e)
      if text then parts[#parts + 1] = text end
    end
  end
  local text = leadf.join(parts, "; ")
  if text == "" then return outcome.message(body, response.body) end
  return leadf.truncate(text, 300)
end

-- Seconds to wait after a 429: the body's rate_reset, else the RateLimit header's reset,
-- else Retry-After (each through lib.outcome.seconds: finite, at most a week).
local function rate_wait(response)
  local body = outcome.body(response) or {}
  local err = type(body.error) == "table" and body.error or {}
  local reset = outcome.seconds(err.rate_reset) or outcome.seconds(body.rate_reset)
  if reset then return reset end
  local headers = type(response.headers) == "table" and response.headers or {}
  local header = headers["ratelimit"]
  local from_header = type(header) == "string" and outcome.seconds(header:match("reset%s*=%s*([%d%.]+)"))
  if from_header then return from_header end
  return outcome.retry_after(response, nil)
end

local function update_of(row)
  local id = leadf.text(row.id)
  if not id then return nil end
  local label = leadf.text(row.status_label)
  return {
    external_id = id,
    stage = stage_of_label(label) or "wait",
    status = label,
    at = dates.iso(leadf.text(row.date_updated)),
  }
end

local function parse_check(response, ctx)
  local body = outcome.ok(response) and outcome.body(response) or nil
  if body == nil then
    local failed = outcome.check_failed(response, error_text(response))
    if response.status == 429 then failed.retry_after = rate_wait(response) end
    return failed
  end
  return checks.updates(body, update_of, ctx.state.wanted)
end

local function parse_delivery(response)
  local failed = outcome.transport(response)
  if failed then return failed end
  local status = response.status
  local text = error_text(response)
  local prefix = "HTTP " .. tostring(status) .. (text and (": " .. text) or "")

  if outcome.ok(response) then
    local body = outcome.body(response)
    local id = body and leadf.text(body.id)
    if id then
      local label = leadf.text(body.status_label)
      return outcome.accepted(id, nil, label and { status_label = label } or nil)
    end
    return outcome.rejected("unknown", prefix .. ": a created lead without an id")
  elseif status == 400 then
    return outcome.rejected("invalid_data", prefix)
  elseif status == 402 then
    return outcome.rejected("cap_reached", prefix)
  elseif status == 429 then
    return outcome.retry("rate_limited", prefix, rate_wait(response))
  end
  return outcome.unrecognised(response, text)
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Outcome|{ updates: leadrelay.Update[] }
function M.parse_status(response, ctx)
  if ctx.action == "status" then return parse_check(response, ctx) end
  return parse_delivery(response)
end

return M
