--[[
Trackbox: push leads (registration with autologin), pull customers (status checks),
read postbacks.

Document: Trackbox "Affiliate API Documentation" as platforms publish it,
  https://intercom.help/tigloo/en/articles/9349579-trackbox-api-documentation

API: Trackbox's public "Affiliate API Documentation" as platforms publish it for their
affiliates, e.g. https://intercom.help/tigloo/en/articles/9349579-trackbox-api-documentation
("Push Leads (Registration method)": method POST, the headers x-trackbox-username,
x-trackbox-password, x-api-key, Content-Type: application/json, and the body fields ai, ci,
gi, userip, firstname, lastname, email, password, phone, so, sub, MPC_1..MPC_12, ad, term,
campaign, medium, lg; curl example .../api/signup/procform). Not among LeadRelay's seeds.
Everything else below is marked ASSUMPTION: the answers, the pull API and postbacks are
what Trackbox boxes are known to do, not what that page shows.

  POST {base_url}/api/signup/procform   register a lead (actions push, register)
  POST {base_url}/api/pull/customers    read customers by registration date (status;
                                        ASSUMPTION: path, body and answer)

  Headers (documented): x-trackbox-username, x-trackbox-password, x-api-key, Content-Type:
  application/json. ASSUMPTION: signup and pull use different x-api-key values on most
  boxes (pull_api_key). The signup body has no country field: a box decides the country
  itself (ASSUMPTION: from userip) and refuses it with a message (see MESSAGES).

Params (per offer):
  base_url      required  the box's platform URL, e.g. https://platform.network.com
  username      required  API user name (x-trackbox-username)
  password      required  secret; API user password (x-trackbox-password)
  api_key       required  secret; x-api-key of the signup (push) API
  pull_api_key  optional  secret; x-api-key of the pull API (default: api_key)
  ai            required  affiliate id on the box ("ask your Trackbox partner")
  ci            optional  campaign id (default "1")
  gi            required  group id ("ask your Trackbox partner")
  so            optional  funnel name shown in the box's reports (default: lead.funnel)
  pull_type     optional  pull type: "2" leads, "3" leads and deposits, "4" deposits
                          (default "3": a lead's status is visible before it deposits)
  timezone      optional  IANA zone of the box's dates in pull from/to and answers
                          (default "UTC")

Lead -> signup body: ai, ci, gi (params), userip <- ip, firstname, lastname, email,
password (the lead's, else generated: lib.lead.generate_password, because the box
requires one; the lead logs in through the autologin URL), phone (digits only, as in
Trackbox's example), so (param, else funnel), sub <- sub_id, MPC_1 <- lead id (our id,
readable back in pulls as tracking.MPC_1), MPC_2 <- click_id, MPC_3 <- affiliate_id,
lg <- language (upper case, e.g. "EN"). Missing firstname, lastname, email, phone or
userip: rejected invalid_data before sending.

Answers (ASSUMPTION, all of this section: the page shows none): Trackbox answers HTTP
200 to almost everything; the verdict is in the body.
  {"status": true, "data": "<autologin URL>", "addonData": {"data": {"uniqueid": ...}}}
      accepted, external_id = addonData.data.uniqueid (customerId/id as fallbacks),
      redirect_url = data (register without it: rejected no_redirect)
  {"status": false, "data"|"message": "<text>", "code": <n>}
      code 401/403: rejected unauthorized; else the text is matched against MESSAGES
      below (first match wins); no match: rejected unknown with the box's text
  Non-200 answers follow lib.outcome (401/403, 429, 5xx, transport failures).

Status checks (ASSUMPTION, all of this section: POST /api/pull/customers, body {from, to,
type, page}, dates
"%Y-%m-%d %H:%M:%S" in `timezone`): range reads ctx.from..ctx.to; processing and
approved read from the earliest created_at of ctx.leads to now and keep the customers
whose uniqueid is a lead's external_id. Pages: page=1,2,... while meta.currentPage <
meta.lastPage (at most 20). A customer with depositor set or a first deposit date is
stage approve, status "FTD" (call status in comment); otherwise call_status is mapped by
lib.status (call-centre words in English, Russian, Spanish and Portuguese, any case and
accents); statuses it does not know are stage wait.

Postback (ASSUMPTION: no document found; the URL format is LeadRelay's): a box sends
affiliate postbacks (pixels) to a URL the affiliate sets on the box
(or asks the network to set), filled in with the box's macros (their names differ per
platform: take them from the box's postback settings). Configure, per offer:

  https://<leadrelay host>/postback/trackbox/<route token>?id=<customer uniqueid macro>
    &status=<call status macro, or "FTD" on the deposit postback>&at=<event time macro>
    &price=<payout macro>&currency=<currency macro>

  id        required  the customer's uniqueid, the external_id of the push
  status    required  the call status ("New", "No Answer", "Not Interested", ...) or
                      "FTD"/"Depositor" for a deposit: stage from lib.status as in the
                      status checks (a status it does not know: wait); kept as the update's status
  at        optional  when it happened, ISO 8601 (normalised to UTC)
  comment   optional  kept as the update's comment
  price     optional  payout (a number; `amount` is read too), with `currency` (upper-cased)
  The same fields are read from a POSTed form (the query wins). A postback without id or
  status gives no update and a warning in the log (lib.postback).
]]

local http = http
local log = log
local time = time
local table = table
local type, ipairs, next, tostring, tonumber = type, ipairs, next, tostring, tonumber

local leadf = require("lib.lead")
local outcome = require("lib.outcome")
local paging = require("lib.paging")
local dates = require("lib.dates")
local checks = require("lib.checks")
local postback = require("lib.postback")
local status_words = require("lib.status")

local DATE_PATTERN = "%Y-%m-%d %H:%M:%S"
local MAX_PAGES = 20
local LOOKBACK = 30 * 86400

-- Texts of `status: false` answers -> outcome, reason. Lua patterns over the lower-cased
-- text, tried in order; the first that matches decides. ASSUMPTION, every entry: no
-- document lists Trackbox's messages; these are words boxes are known to answer.
local MESSAGES = {
  { "duplicat",                  "rejected", "duplicate" },
  { "already exist",             "rejected", "duplicate" },
  { "already registered",        "rejected", "duplicate" },
  { "user and password",         "rejected", "unauthorized" },
  { "cant pull data",            "rejected", "unauthorized" },
  { "unauthori",                 "rejected", "unauthorized" },
  { "api key",                   "rejected", "unauthorized" },
  { "timeout",                   "retry",    "timeout" },
  { "timed out",                 "retry",    "timeout" },
  { "try again",                 "retry",    "unavailable" },
  { "temporar",                  "retry",    "unavailable" },
  { "no available brand",        "rejected", "cap_reached" },
  { "%f[%a]cap%f[%A]",           "rejected", "cap_reached" },
  { "daily limit",               "rejected", "cap_reached" },
  { "limit reached",             "rejected", "cap_reached" },
  { "invalid",                   "rejected", "invalid_data" },
  { "not valid",                 "rejected", "invalid_data" },
  { "required",                  "rejected", "invalid_data" },
  { "missing",                   "rejected", "invalid_data" },
  { "wrong",                     "rejected", "invalid_data" },
  { "country",                   "rejected", "blocked_country" },
  { "%f[%a]geo%f[%A]",           "rejected", "blocked_country" },
  { "block",                     "rejected", "filtered" },
  { "filter",                    "rejected", "filtered" },
  { "not allowed",               "rejected", "filtered" },
}

---@type leadrelay.Integration
local M = {
  name = "trackbox",
  title = "Trackbox: signup (procform) and pull customers",
  actions = { "push", "register", "status", "postback" },
  params = {
    base_url = { required = true, description = "platform URL of the box, e.g. https://platform.network.com" },
    username = { required = true, description = "API user name (x-trackbox-username)" },
    password = { required = true, secret = true, description = "API user password (x-trackbox-password)" },
    api_key = { required = true, secret = true, description = "x-api-key of the signup (push) API" },
    pull_api_key = { secret = true, description = "x-api-key of the pull API (default: api_key)" },
    ai = { required = true, description = "affiliate id on the box" },
    ci = { default = "1", description = "campaign id on the box" },
    gi = { required = true, description = "group id on the box" },
    so = { default = "", description = "funnel name shown in the box's reports (default: the lead's funnel)" },
    pull_type = { default = "3", description = "pull type: 2 leads, 3 leads and deposits, 4 deposits" },
    timezone = { default = "UTC", description = "IANA time zone of the box's dates" },
  },
  limits = { batch = 200 },
}

local function headers(params, key)
  return {
    ["x-trackbox-username"] = params.username,
    ["x-trackbox-password"] = params.password,
    ["x-api-key"] = key,
    ["Content-Type"] = "application/json",
  }
end

local function prepare_lead(lead, ctx)
  local params = ctx.params
  local first, last = leadf.names(lead)
  local language = leadf.language(lead.language)
  local body = {
    ai = leadf.text(params.ai),
    ci = leadf.text(params.ci) or "1",
    gi = leadf.text(params.gi),
    userip = leadf.ip(lead.ip),
    firstname = first,
    lastname = last,
    email = leadf.email(lead.email),
    password = leadf.text(lead.password) or leadf.generate_password(),
    phone = leadf.phone_digits(lead.phone),
    so = leadf.text(params.so) or leadf.text(lead.funnel),
    sub = leadf.text(lead.sub_id),
    MPC_1 = leadf.text(lead.id),
    MPC_2 = leadf.text(lead.click_id),
    MPC_3 = leadf.text(lead.affiliate_id),
    lg = language and language:upper() or nil,
  }
  local absent = leadf.missing(body, { "firstname", "lastname", "email", "phone", "userip" })
  if absent then
    return outcome.invalid("missing or malformed field: " .. table.concat(absent, ", "))
  end
  return {
    method = "POST",
    url = params.base_url .. "/api/signup/procform",
    headers = headers(params, params.api_key),
    json = body,
  }
end

local function prepare_status(ctx)
  local params = ctx.params
  local tz = leadf.text(params.timezone) or "UTC"
  local from, to = checks.window(ctx, LOOKBACK)
  if not from then return to end
  if ctx.check ~= "range" then
    local _, wanted = checks.ids(ctx)
    ctx.state.wanted = wanted
  end
  return {
    method = "POST",
    url = params.base_url .. "/api/pull/customers",
    headers = headers(params, leadf.text(params.pull_api_key) or params.api_key),
    json = {
      from = time.format(from, DATE_PATTERN, tz),
      to = time.format(to, DATE_PATTERN, tz),
      type = leadf.text(params.pull_type) or "3",
      page = "1",
    },
  }
end

function M.prepare(lead, ctx)
  if ctx.action == "status" then return prepare_status(ctx) end
  return prepare_lead(lead, ctx)
end

-- Customers of a pull answer (data, or data.customers), or nil for an error body.
-- A bare array is the merged listing paging.collect hands to parse_status.
local function rows_of(response)
  local body = outcome.body(response)
  if body == nil or body.status == false then return nil end
  if body[1] ~= nil or next(body) == nil then return body end
  local data = body.data
  if type(data) ~= "table" then return nil end
  if type(data.customers) == "table" then return data.customers end
  return data
end

local function meta_of(response)
  local body = outcome.body(response) or {}
  if type(body.meta) == "table" then return body.meta end
  if type(body.data) == "table" and type(body.data.meta) == "table" then return body.data.meta end
  return nil
end

function M.send(request, ctx)
  if ctx.action ~= "status" then return http.request(request) end
  local result = paging.collect(request, {
    rows = rows_of,
    max_pages = MAX_PAGES,
    next = function(previous, response, _, pages)
      local meta = meta_of(response)
      if not meta then return nil end
      local current = tonumber(meta.currentPage) or pages
      local last = tonumber(meta.lastPage) or current
      if current >= last then return nil end
      return paging.with_json(previous, { page = tostring(current + 1) })
    end,
  })
  if result.truncated then
    log.warn("trackbox: pull stopped after", MAX_PAGES, "pages; narrow the range")
  end
  return result
end

local function body_message(body)
  if type(body) ~= "table" then return nil end
  if type(body.data) == "string" and body.data ~= "" then return body.data end
  return outcome.message(body, nil)
end

local function classify(message)
  local lower = (message or ""):lower()
  for _, rule in ipairs(MESSAGES) do
    if lower:find(rule[1]) then
      return { outcome = rule[2], reason = rule[3], message = message }
    end
  end
  return outcome.rejected("unknown", message or "Trackbox answered status false without a message")
end

local function parse_delivery(response, ctx)
  local failed = outcome.transport(response)
  if failed then return failed end
  local body = outcome.body(response)
  if outcome.ok(response) and body then
    if body.status == true then
      local addon = type(body.addonData) == "table" and body.addonData.data or nil
      addon = type(addon) == "table" and addon or {}
      local id = leadf.text(addon.uniqueid) or leadf.text(addon.customerId) or leadf.text(addon.id)
      local url = type(body.data) == "string" and leadf.text(body.data) or nil
      if ctx.action == "register" and not url then
        return outcome.rejected("no_redirect", "Trackbox registered customer " .. tostring(id) .. " without an autologin URL")
      end
      if not id then log.warn("trackbox: signup answer without addonData.data.uniqueid") end
      return outcome.accepted(id, url)
    end
    if body.status == false then
      local message = body_message(body)
      local code = tonumber(body.code)
      if code == 401 or code == 403 then
        return outcome.rejected("unauthorized", message or "credentials refused")
      end
      return classify(message)
    end
  end
  return outcome.unrecognised(response, outcome.message(body, response.body))
end

local function truthy(v)
  return v == true or (tonumber(v) or 0) > 0
end

local function at_of(value, tz)
  local s = leadf.text(value)
  if not s then return nil end
  local epoch = time.parse(s, DATE_PATTERN, tz)
  if epoch then return time.iso(epoch) end
  return dates.iso(s)
end

-- The stage of a call status (lib.status; nil or a word it does not know: wait).
-- ASSUMPTION: no document lists Trackbox's call statuses; lib.status holds the usual
-- broker vocabulary.
local function stage_of(call)
  return status_words.stage(call) or "wait"
end

local function update_of(row, tz)
  local customer = type(row.customerData) == "table" and row.customerData or row
  local id = leadf.text(customer.uniqueid) or leadf.text(customer.customerId)
  if not id then return nil end
  local call = leadf.text(customer.call_status) or leadf.text(customer.sale_status)
  local deposit_date = leadf.text(customer.first_depositDate)
  if truthy(customer.depositor) or deposit_date then
    return {
      external_id = id, stage = "approve", status = "FTD", comment = call,
      at = at_of(deposit_date, tz) or at_of(customer.updated, tz),
    }
  end
  return {
    external_id = id, stage = stage_of(call), status = call,
    at = at_of(customer.updated, tz),
  }
end

local function parse_check(response, ctx)
  local rows = outcome.ok(response) and rows_of(response) or nil
  if rows == nil then
    local body = outcome.body(response)
    if outcome.ok(response) and body and body.status == false then
      -- Trackbox reports a refused pull inside a 200 answer
      local code = tonumber(body.code)
      local message = "pull refused: " .. (body_message(body) or "status false")
      if code == 401 or code == 403 then return outcome.retry("unauthorized", message) end
      return outcome.retry("unknown", message)
    end
    return outcome.check_failed(response)
  end
  local tz = leadf.text(ctx.params.timezone) or "UTC"
  return checks.updates(rows, function(row) return update_of(row, tz) end, ctx.state.wanted)
end

function M.parse_status(response, ctx)
  if ctx.action == "postback" then return postback.updates(response, "trackbox", stage_of) end
  if ctx.action == "status" then return parse_check(response, ctx) end
  return parse_delivery(response, ctx)
end

return M
