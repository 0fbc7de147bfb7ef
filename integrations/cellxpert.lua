--[[
Cellxpert: read the statuses of traders an affiliate brought to a Cellxpert-run partner
program (registration, deposits, qualification) from the program's affiliate API
registrations report (status checks only).

Document: public description of the Cellxpert affiliate API, "Récapitulatif Complet - API
  CellXpert" (GitHub elonreevemuskllc/pwebapp, CELLXPERT.md),
  https://github.com/elonreevemuskllc/pwebapp/blob/main/CELLXPERT.md; Cellxpert publishes
  no public API document of its own that the search could find

  GET {base_url}?command=registrations&json=1&userid=<trader id>
  GET {base_url}?command=registrations&json=1&fromdate=YYYY-MM-DD&todate=YYYY-MM-DD&daterange=update
    headers: affiliateid: <affiliate id>, x-api-key: <API key>
    -> 200 { "registrations": [ { "User_ID": "brand-5998941934987921990",
             "Registration_Date": "2025-10-14T22:20:11.500", "Tracking_Code": "Default",
             "afp": "|afp1:{click id}|afp10:Streamers", "Status": "New", "Country": "FR",
             "First_Deposit": 0, "Deposits": 20.0, "Deposit_Count": 1, "Commission": 96.48,
             "Qualification_Date": "2025-10-14T23:24:41.070" } ] }

  The description: base URL https://<program's tracking domain>/api/, both headers on
  every request; command registrations lists registered traders (XML, JSON with json=1),
  fromdate/todate (default: the last month), daterange = registration (default), update
  or fdd (first deposit date), userid selects one trader; Qualification_Date is the date
  of qualification (first deposit); at most 31 days per request, no future dates.

Why status checks only: Cellxpert is the partner program's tracking and reporting
platform. The lead itself registers at the broker (its own registration API or the
tracking link), and no public Cellxpert document describes a call that registers a lead,
so this script sends none rather than invent one. A route through it has leads only when
the external id of a lead is the Cellxpert trader id (User_ID).

Params (per offer):
  base_url      required  the program's affiliate API, e.g. https://track.<program>.com/api/
  affiliate_id  required  the affiliate's id in the program (affiliateid header)
  api_key       required  secret; the affiliate's API key (x-api-key header)
  currency      optional  currency of the Commission amounts (default: none sent)
  lead_id_afp   optional  the afp field (afp1 .. afp10) that carries LeadRelay's lead id in
                          the tracking link; when set, updates also name the lead by it

Status checks:
  processing, approved  one request per lead (userid = external_id), at most 20 leads a
                        call (limits.batch); rows of other traders are left out
  range                 fromdate/todate (dates of ctx.from/ctx.to, UTC) with
                        daterange=update: every trader changed in the window
  Each row -> update: external_id <- User_ID, lead_id <- the lead_id_afp value of afp,
  status <- Status as is; stage approve when the trader deposited (Deposit_Count > 0,
  First_Deposit > 0 or a Qualification_Date), at <- Qualification_Date, amount <-
  Commission (when > 0) with the currency param; otherwise the stage of Status by
  lib.status (a word it does not know: wait), at <- Registration_Date.

Outcomes of a check:
  200 with a "registrations" list        the updates (an empty list: no update)
  200 without one (XML, an error text)   retry unknown with the body's start
  401, 403                               retry unauthorized
  429, 5xx, 408, transport failures      retry (lib.outcome.check_failed)

ASSUMPTIONS (the description is silent):
  - Error answers: a wrong key or affiliate id answers 401/403 or a 200 without a
    registrations list; both end the check as a retry naming what came back.
  - Dates without an offset are UTC.
  - A deposit (Deposit_Count, First_Deposit, Qualification_Date) is the approve stage: it
    is what the program's CPA qualification counts; Status words are the program's own.
  - A range longer than 31 days is cut to its last 31 days, with a warning.
]]

local http, log, json, time = http, log, json, time
local type, tostring, tonumber, ipairs, pairs = type, tostring, tonumber, ipairs, pairs

local leadf = require("lib.lead")
local outcome = require("lib.outcome")
local checks = require("lib.checks")
local dates = require("lib.dates")
local status_words = require("lib.status")

---@type leadrelay.Integration
local M = {
  name = "cellxpert",
  title = "Cellxpert: affiliate API registrations report (status checks)",
  actions = { "status" },
  params = {
    base_url = { required = true, description = "the program's affiliate API, e.g. https://track.<program>.com/api/" },
    affiliate_id = { required = true, description = "the affiliate's id in the program (affiliateid header)" },
    api_key = { required = true, secret = true, description = "the affiliate's API key (x-api-key header)" },
    currency = { default = "", description = "currency of the Commission amounts" },
    lead_id_afp = { default = "", description = "afp field (afp1..afp10) carrying LeadRelay's lead id" },
  },
  limits = { batch = 20, timeout = 60 },
}

local DAY = 86400
local MAX_DAYS = 31

local function request_for(ctx, query)
  query.command = "registrations"
  query.json = 1
  return {
    method = "GET",
    url = ctx.params.base_url,
    headers = { affiliateid = ctx.params.affiliate_id, ["x-api-key"] = ctx.params.api_key },
    query = query,
  }
end

---@param _ nil
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(_, ctx)
  if ctx.check == "range" then
    local from, to = checks.window(ctx, DAY)
    if not from then return to end
    if to - from > MAX_DAYS * DAY then
      log.warn("cellxpert: range longer than 31 days cut to its last 31:", ctx.from, ctx.to)
      from = to - MAX_DAYS * DAY
    end
    return request_for(ctx, {
      fromdate = time.format(from, "%Y-%m-%d", "UTC"),
      todate = time.format(to, "%Y-%m-%d", "UTC"),
      daterange = "update",
    })
  end
  local ids, wanted = checks.ids(ctx)
  ctx.state.ids, ctx.state.wanted = ids, wanted
  return request_for(ctx, { userid = ids[1] or "" })
end

local function rows_of(response)
  local body = outcome.body(response)
  if body and type(body.registrations) == "table" then return body.registrations end
  return nil
end

---@param request leadrelay.Request
---@param ctx leadrelay.Ctx
---@return leadrelay.Response
function M.send(request, ctx)
  local ids = ctx.state.ids
  if not ids then return http.request(request) end
  local all = {}
  for _, id in ipairs(ids) do
    local query = {}
    for k, v in pairs(request.query) do query[k] = v end
    query.userid = id
    local response = http.request({ method = "GET", url = request.url, headers = request.headers, query = query })
    local rows = outcome.ok(response) and rows_of(response) or nil
    if not rows then return response end
    for _, row in ipairs(rows) do all[#all + 1] = row end
  end
  return { status = 200, headers = {}, json = { registrations = json.array(all) } }
end

-- The value of one afp field ("|afp1:L-1001|afp10:Streamers") or nil.
local function afp_value(afp, field)
  if not field or type(afp) ~= "string" then return nil end
  for name, value in afp:gmatch("|?([%w_]+):([^|]*)") do
    if name == field then return leadf.text(value) end
  end
  return nil
end

local function positive(v)
  local n = tonumber(v)
  return n ~= nil and n > 0
end

local function update_of(row, ctx)
  local id = leadf.text(row.User_ID)
  if not id then return nil end
  local word = leadf.text(row.Status)
  local deposited = positive(row.Deposit_Count) or positive(row.First_Deposit)
    or leadf.text(row.Qualification_Date) ~= nil
  local commission = tonumber(row.Commission)
  local update = {
    external_id = id,
    lead_id = afp_value(row.afp, leadf.text(ctx.params.lead_id_afp)),
    status = word,
  }
  if deposited then
    update.stage = "approve"
    update.at = dates.iso(leadf.text(row.Qualification_Date))
    if commission and commission > 0 then
      update.amount = commission
      update.currency = leadf.text(ctx.params.currency) and ctx.params.currency:upper() or nil
    end
  else
    update.stage = status_words.stage(word) or "wait"
    update.at = dates.iso(leadf.text(row.Registration_Date))
  end
  return update
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Updates|leadrelay.Outcome
function M.parse_status(response, ctx)
  if not outcome.ok(response) then return outcome.check_failed(response) end
  local rows = rows_of(response)
  if not rows then
    local text = type(response.body) == "string" and response.body:sub(1, 200) or "empty body"
    return outcome.retry("unknown", "status check failed: HTTP " .. tostring(response.status)
      .. " without a registrations list: " .. text)
  end
  return checks.updates(rows, function(row) return update_of(row, ctx) end, ctx.state.wanted)
end

return M
