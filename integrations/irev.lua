--[[
IREV Lead Distribution: push leads, read them back (status checks, goal postbacks).

Document: IREV "Lead Distribution Affiliate API v.2" (push lead, get leads, goal types,
  error types, limits), given to affiliates by each Lead Distribution

API: "Lead Distribution Affiliate API v.2" of IREV (LeadRelay seed 004).

  POST {base_url}/api/affiliates/v2/leads   push a lead (actions push, register)
  GET  {base_url}/api/affiliates/v2/leads   get leads (action status)
  GET  {base_url}/api/affiliates/v2/goal-types   goal type names and UUIDs (approved checks)

  base_url is the Lead Distribution domain only, e.g. https://YOUR_DOMAIN.irev.com (no
  path, no trailing slash): the script adds /api/affiliates/v2/leads, so a change of API
  version is a change of this script, not of every offer's params.
  Header Authorization: <api_token> (the raw token, no scheme). Only application/json.

Params (per offer):
  base_url      required  the Lead Distribution domain, as above
  api_token     required  secret; the authorization token from your LD responsible
  affiliate_id  optional  your affiliate ID in the LD system (Lead Profile "affiliate_id")
  offer_id      optional  your offer ID in the LD system (Lead Profile "offer_id")
  is_test       optional  "true" marks pushed leads as test leads (IREV default false);
                          a test call (ctx.test, the service's test window) always does
  lead_id_key   optional  the Lead Profile key our lead id is sent in (default "aff_sub");
                          the status checks find a lead's listing rows by it; "" sends
                          none (then only rows that carry lead_uuid can be matched)
  sub_id_key    optional  the Lead Profile key the lead's sub_id is sent in (default "":
                          not sent; aff_sub carries our lead id). Neither key may be a
                          field of the body below, nor the two the same: such params end
                          a push as outcome error naming the param.
  ftd_goals     optional  comma-separated goal types that mean a deposit, each a name or a
                          goal type UUID (default "FTD"); rows of these goals are stage
                          approve, all others wait

Lead -> IREV body (Lead Profile keys are set per LD; these are the documented examples):
  ip -> ip (REQUIRED: a lead without a usable IP is rejected invalid_data in prepare)
  country -> country_code (ISO-2); language -> lead_language (ISO 639-1)
  email, first_name, last_name, password, phone ("+" and digits) -> same names
  id -> <lead_id_key> (aff_sub by default); sub_id -> <sub_id_key> when one is set
  extra.profile (a table) -> copied as further Lead Profile items
  Text values are cut to 512 characters before sending (IREV trims longer ones itself and
  appends "<..>").

Outcomes (push, register): 200 with lead_uuid is accepted, external_id = lead_uuid,
redirect_url = auto_login_url (register without it: rejected no_redirect). Failures are
classified by ERRORS below: the error type is read from data.errorType, then type, then
name; without one the HTTP status picks it (STATUS_TYPES). IREV refuses a POST body
identical to one sent with the same token within 2 minutes, and a retry resends the same
lead, so every retry outcome of a push waits at least 120 seconds (retry_after >= 120).

Status checks (GET; limits.rate holds GET requests to 10 in 3 s, as IREV documents: "The
number of GET requests is limited to 10 requests in 3 seconds", and per api_token: an
ASSUMPTION, the seed does not say per what). Every
GET carries Accept and Content-Type application/json ("only the application/json request
and response format is supported"; Get leads lists 415 for another content type).
  range                 created_from/created_to = ctx.from/ctx.to ("2023-06-22T00:00Z",
                        UTC, minutes; `to` rounded up), per_page=100 (IREV's maximum),
                        page=1,2,... until a page holds fewer than 100 rows
  processing            the same listing from the earliest created_at of ctx.leads to now
  approved              the same, once per FTD goal type, filtered with goal_type_uuid:
                        the UUIDs of ftd_goals, names resolved through GET
                        /api/affiliates/v2/goal-types (kept in the cache for an hour)
  The seed calls a listing row's uuid the "conversion UUID" and shows no lead_uuid in the
  listing: a lead has one row per goal reached, each with its own uuid. A row belongs to
  a lead of ctx.leads when its lead_uuid (or leadUuid), if it has one, is the lead's
  external_id, or when its <lead_id_key> field is the lead's id (the listing echoes Lead
  Profile keys: "Fields may differ depending on naming of Lead Profile keys"). A range
  check has no leads to match: a row with a lead_uuid gives an update under external_id,
  a row without one but with our lead id in <lead_id_key> an update under lead_id (the
  contract's lead_id extension: the host finds the lead by LeadRelay's own id), a row
  with neither is counted in a warning. A lead listed under several goals gets one update, the
  furthest one (approve over wait). A row is an FTD goal when its goalTypeUuid is an FTD
  goal type's UUID, or its goalType an FTD name (the seed names the first goal "Lead" in
  Get leads and "Pushed Lead" in goal types: UUIDs are what the two share). At most 10
  pages are read per listing; a longer one is cut with a warning.

ASSUMPTIONS (the seed does not state these; the script adopts them):
  - ERRORS below: the outcome and reason of each IREV error type are our reading of the
    seed's one-line descriptions; TIMEOUT_ERROR is retry (timeout) although the seed says
    nothing on whether the lead already exists at the advertiser when the 85 s rotation
    times out; NO_BRAND_CRM_ID is rejected unknown. A resend after TIMEOUT_ERROR can
    meet CRM_DUPLICATION_ERROR (the first push did create the lead) and end as rejected
    duplicate: its data.leadUuid is a new, rejected lead's (seed), so the first lead's
    uuid cannot be recovered from it; the message keeps it for a person to look up.
  - The rate limit per api_token (see status checks).
  - At most 10 pages (1,000 rows) per listing: a processing or approved check reads from
    the earliest created_at of its leads, so a batch whose oldest lead is older than
    1,000 conversions may miss updates for the newest ones (a warning says so).
  - STATUS_TYPES: an answer without a recognised error type is classified by its HTTP
    status; 403 (not in the seed) is treated like 401.
  - 404 NOT_FOUND ("Route is not found (typo in route)") is rejected unknown on a push
    and a failed check (retry unknown) on a listing: it means our configuration is wrong,
    not that a lead is unknown.
  - Goal stages: an ftd_goals goal is approve, every other goal wait; IREV has no goal
    for a cancelled or invalid lead in the seed.
  - lead_id_key: IREV echoes a Lead Profile key in Get leads only when the LD has that key
    configured (aff_sub is the seed's example of a Text item and appears in its listing).
  - The listing's createdAt is the time of the goal (the update's `at`).
  - The postback URL and its fields below: the seed documents no postbacks.

Postback: the Lead Distribution sends goal postbacks to a URL the affiliate sets in IREV
(one per goal type, or one for all), filled in with IREV's macros (take their names from
the LD's postback settings). Configure, per offer:

  https://<leadrelay host>/postback/irev/<route token>?id=<lead uuid macro>&status=<goal
    type name macro>&at=<conversion time macro>&price=<payout macro>&currency=<currency
    macro>

  id        required  the lead's lead_uuid, the external_id of the push
  status    required  the goal type's name ("Pushed Lead", "FTD", ...) or UUID: a goal in
                      the ftd_goals param is stage approve, any other goal wait (as in
                      the status checks); kept as the update's status
  at        optional  when the goal was reached, ISO 8601 (normalised to UTC)
  comment   optional  kept as the update's comment
  price     optional  payout (a number; `amount` is read too), with `currency` (upper-cased)
  The same fields are read from a POSTed form (the query wins). A postback without id or
  status gives no update and a warning in the log (lib.postback).
]]

local http = http
local log = log
local time = time
local cache = cache
local json = json
local type, ipairs, pairs, next, tostring, table = type, ipairs, pairs, next, tostring, table

local leadf = require("lib.lead")
local outcome = require("lib.outcome")
local paging = require("lib.paging")
local dates = require("lib.dates")
local postback = require("lib.postback")
local checks = require("lib.checks")

local PATH = "/api/affiliates/v2/leads"
local GOAL_TYPES_PATH = "/api/affiliates/v2/goal-types"
local GOAL_TYPES_KEY = "irev.goal-types"
local GOAL_TYPES_TTL = 3600     -- goal types change rarely; re-read them every hour
local UUID = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"
local PER_PAGE = 100            -- IREV: per_page max 100
local MAX_PAGES = 10            -- IREV: 10 GET requests in 3 seconds
local TEXT_LIMIT = 512          -- IREV: Lead Profile "Text" values up to 512 characters
local IDENTICAL_BODY_WINDOW = 120 -- IREV: identical POST bodies refused within 2 minutes
local LOOKBACK = 30 * 86400     -- lead checks without created_at read the last 30 days

-- Every IREV error type -> contract outcome and reason. One table, so the mapping can
-- be read (and argued with) in one place.
local ERRORS = {
  -- 400, push errors
  BLOCKED_BY_TRAFFIC_FILTER = { "rejected", "filtered" },     -- CRM traffic filter (days, hours...)
  ROTATION_ERROR            = { "rejected", "cap_reached" },  -- rejected when the caps were full
  FIXABLE_INPUT             = { "rejected", "invalid_data" }, -- validation (e.g. no first name)
  DUPLICATION_ERROR         = { "rejected", "duplicate" },    -- advertiser already has the lead
  CRM_DUPLICATION_ERROR     = { "rejected", "duplicate" },    -- LD deduplication rules
  BLOCK_COUNTRY             = { "rejected", "blocked_country" },
  INVALID_DATA              = { "rejected", "invalid_data" }, -- advertiser-side validation
  UNKNOWN                   = { "rejected", "unknown" },
  TIMEOUT_ERROR             = { "retry", "timeout" },         -- 85 s rotation timeout
  NO_AUTOLOGIN_URL          = { "rejected", "no_redirect" },
  NO_BRAND_CRM_ID           = { "rejected", "unknown" },      -- advertiser returned no lead id
  BLOCKED_BY_ADVERTISER     = { "rejected", "filtered" },     -- e.g. phone known to advertiser
  -- other statuses
  ERROR_AUTHORIZATION       = { "rejected", "unauthorized" }, -- 401: token, IP allowlist
  NOT_FOUND                 = { "rejected", "unknown" },      -- 404: route typo (our config)
  NOT_SUPPORTED             = { "rejected", "unknown" },      -- 410: API version retired
  VALIDATION_ERROR          = { "rejected", "invalid_data" }, -- 422 parameter validation
  ERROR_PARTNER_PLATFORM    = { "retry", "unavailable" },     -- 422 "Click creating failed"
  ERROR_FSM                 = { "retry", "unavailable" },     -- 500 system error
  RateLimitExceeded         = { "retry", "rate_limited" },    -- 429
  UnsupportedContentType    = { "rejected", "unknown" },      -- 415: our Content-Type was wrong
}

-- The error type an answer without one stands for, by HTTP status.
local STATUS_TYPES = {
  [401] = "ERROR_AUTHORIZATION", [403] = "ERROR_AUTHORIZATION", [404] = "NOT_FOUND",
  [410] = "NOT_SUPPORTED", [415] = "UnsupportedContentType", [422] = "FIXABLE_INPUT",
  [429] = "RateLimitExceeded",
}

---@type leadrelay.Integration
local M = {
  name = "irev",
  title = "IREV Lead Distribution: Affiliate API v2",
  actions = { "push", "register", "status", "postback" },
  params = {
    base_url = {
      required = true,
      description = "Lead Distribution domain only, e.g. https://YOUR_DOMAIN.irev.com (the script adds /api/affiliates/v2/leads)",
    },
    api_token = {
      required = true, secret = true,
      description = "authorization token from your Lead Distribution responsible (sent as the raw Authorization header)",
    },
    affiliate_id = { description = "your affiliate ID in the Lead Distribution system" },
    offer_id = { description = "your offer ID in the Lead Distribution system" },
    is_test = { default = "false", description = "\"true\" marks pushed leads as test leads" },
    lead_id_key = { default = "aff_sub", description = "Lead Profile key our lead id is sent in (the status checks find rows by it); \"\" sends none" },
    sub_id_key = { default = "", description = "Lead Profile key the lead's sub_id is sent in (\"\": not sent)" },
    ftd_goals = { default = "FTD", description = "comma-separated goal type names or UUIDs that mean a deposit (stage approve)" },
  },
  -- IREV: "The number of GET requests is limited to 10 requests in 3 seconds" (per token:
  -- ASSUMPTION, the seed does not say per what).
  limits = { rate = { limit = "10/3s", methods = { "GET" }, per = "credential" }, timeout = 90, batch = 100 },
}

local function text512(v)
  return leadf.truncate(leadf.text(v), TEXT_LIMIT)
end

-- Keys of the push body that lead_id_key and sub_id_key must not take over.
local BODY_KEYS = {
  ip = true, country_code = true, lead_language = true, email = true, first_name = true,
  last_name = true, password = true, phone = true, is_test = true, affiliate_id = true, offer_id = true,
}

-- lead_id_key and sub_id_key, checked: the lead id must not be overwritten by the sub_id
-- (status checks would match nothing) nor either of them a field of the body. Raises
-- (outcome error naming the param; the lead is kept) when they are.
local function profile_keys(params)
  local id_key, sub_key = leadf.text(params.lead_id_key), leadf.text(params.sub_id_key)
  for name, key in pairs({ lead_id_key = id_key, sub_id_key = sub_key }) do
    if key and BODY_KEYS[key] then
      error("irev: param " .. name .. " = \"" .. key .. "\" would overwrite the lead's own " .. key, 0)
    end
  end
  if sub_key and sub_key == id_key then
    error("irev: params lead_id_key and sub_id_key are both \"" .. sub_key
      .. "\": the sub_id would overwrite the lead id the status checks match on", 0)
  end
  return id_key, sub_key
end

local function prepare_lead(lead, ctx)
  local params = ctx.params
  local ip = leadf.ip(lead.ip)
  if not ip then
    return outcome.invalid("missing field: ip (IREV requires the lead's IP address)")
  end
  local body = {}
  if type(lead.extra) == "table" and type(lead.extra.profile) == "table" then
    for key, value in pairs(lead.extra.profile) do
      if type(key) == "string" then body[key] = text512(value) end
    end
  end
  body.ip = ip
  body.country_code = leadf.country(lead.country)
  body.lead_language = leadf.language(lead.language)
  -- A test call of the service's test window (ctx.test) is always a test lead at IREV.
  body.is_test = ctx.test == true or leadf.flag(params.is_test)
  body.email = text512(lead.email)
  body.first_name = text512(lead.first_name)
  body.last_name = text512(lead.last_name)
  body.password = text512(lead.password)
  body.phone = leadf.phone_plus(lead.phone)
  local id_key, sub_key = profile_keys(params)
  if sub_key then body[sub_key] = text512(lead.sub_id) end
  if id_key then body[id_key] = text512(lead.id) end
  body.affiliate_id = leadf.text(params.affiliate_id)
  body.offer_id = leadf.text(params.offer_id)
  return {
    method = "POST",
    url = params.base_url .. PATH,
    headers = { ["Authorization"] = params.api_token, ["Content-Type"] = "application/json" },
    json = body,
  }
end

-- Every GET: the raw token, and JSON both ways (the seed supports only application/json).
local function get_headers(params)
  return { ["Authorization"] = params.api_token, ["Accept"] = "application/json", ["Content-Type"] = "application/json" }
end

-- The leads a processing or approved check asks about: external_id -> external_id, and
-- our lead id -> external_id. Leads without an external_id were never accepted: skipped.
local function wanted_of(ctx)
  local by_external, by_lead = {}, {}
  for _, item in ipairs(ctx.leads or {}) do
    local external = type(item) == "table" and leadf.text(item.external_id) or nil
    if external then
      by_external[external] = external
      local id = leadf.text(item.id)
      if id then by_lead[id] = external end
    end
  end
  return { by_external = by_external, by_lead = by_lead }
end

local function prepare_status(ctx)
  local params = ctx.params
  local from, to = checks.window(ctx, LOOKBACK)
  if not from then return to end
  if ctx.check ~= "range" then ctx.state.wanted = wanted_of(ctx) end
  return {
    method = "GET",
    url = params.base_url .. PATH,
    headers = get_headers(params),
    query = {
      created_from = time.format(dates.minute(from), "%Y-%m-%dT%H:%MZ"),
      created_to = time.format(dates.minute(to, true), "%Y-%m-%dT%H:%MZ"),
      page = "1",
      per_page = tostring(PER_PAGE),
    },
  }
end

function M.prepare(lead, ctx)
  if ctx.action == "status" then return prepare_status(ctx) end
  return prepare_lead(lead, ctx)
end

local function rows_of(response)
  local body = outcome.body(response)
  if body == nil then return nil end
  if body[1] ~= nil or next(body) == nil then return body end
  return nil
end

-- The ftd_goals param: goal type names (lower case) and UUIDs (lower case), as sets.
local function ftd_goals(params)
  local ftd = { names = {}, uuids = {} }
  for goal in (leadf.text(params.ftd_goals) or "FTD"):gmatch("[^,]+") do
    goal = goal:match("^%s*(.-)%s*$"):lower()
    if goal:match(UUID) then ftd.uuids[goal] = true elseif goal ~= "" then ftd.names[goal] = true end
  end
  return ftd
end

-- Adds to ftd.uuids the UUIDs of the goal types whose name is an FTD name.
local function resolve_names(ftd, goal_types)
  for _, goal in ipairs(goal_types) do
    if goal.name and ftd.names[goal.name:lower()] then ftd.uuids[goal.uuid:lower()] = true end
  end
  return ftd
end

-- The goal types of the LD ({uuid, name} each) from the cache, else from GET goal-types
-- (then cached). nil and the failed response when the request fails.
local function goal_types(ctx)
  local cached = cache.get(GOAL_TYPES_KEY)
  if type(cached) == "table" then return cached end
  local response = http.request({
    method = "GET", url = ctx.params.base_url .. GOAL_TYPES_PATH, headers = get_headers(ctx.params),
  })
  local rows = outcome.ok(response) and rows_of(response) or nil
  if rows == nil then return nil, response end
  local list = {}
  for _, row in ipairs(rows) do
    local uuid = type(row) == "table" and leadf.text(row.uuid) or nil
    if uuid then list[#list + 1] = { uuid = uuid, name = leadf.text(row.name) } end
  end
  cache.set(GOAL_TYPES_KEY, json.array(list), GOAL_TYPES_TTL)
  return list
end

local function listing(request)
  local result = paging.collect(request, {
    rows = rows_of,
    max_pages = MAX_PAGES,
    next = function(previous, _, rows, pages)
      if #rows < PER_PAGE then return nil end
      return paging.with_query(previous, { page = tostring(pages + 1) })
    end,
  })
  if result.truncated then
    log.warn("irev: listing stopped after", MAX_PAGES, "pages of", PER_PAGE, "rows")
  end
  return result
end

-- An approved check: the listing of each FTD goal type, filtered with goal_type_uuid.
local function approved_rows(request, ctx)
  local ftd = ftd_goals(ctx.params)
  if next(ftd.names) then
    local goals, failed = goal_types(ctx)
    if not goals then return failed end
    resolve_names(ftd, goals)
  end
  local uuids = {}
  for uuid in pairs(ftd.uuids) do uuids[#uuids + 1] = uuid end
  table.sort(uuids)
  if #uuids == 0 then
    ctx.state.failure = "no goal type of this Lead Distribution is named in ftd_goals (\""
      .. tostring(ctx.params.ftd_goals) .. "\"): see GET /api/affiliates/v2/goal-types"
    return { status = 200, json = json.array({}) }
  end
  local all = {}
  for _, uuid in ipairs(uuids) do
    local result = listing(paging.with_query(request, { goal_type_uuid = uuid }))
    if not outcome.ok(result) or rows_of(result) == nil then return result end
    for _, row in ipairs(result.json) do all[#all + 1] = row end
  end
  return { status = 200, json = json.array(all) }
end

function M.send(request, ctx)
  if ctx.action ~= "status" then return http.request(request) end
  if ctx.check == "approved" then return approved_rows(request, ctx) end
  return listing(request)
end

-- The IREV error type of an answer, or nil.
local function error_type(body, status)
  if type(body) == "table" then
    local data = body.data
    if type(data) == "table" and ERRORS[data.errorType] then return data.errorType end
    if ERRORS[body.type] then return body.type end
    if ERRORS[body.name] then return body.name end
  end
  return STATUS_TYPES[status]
end

local function error_text(body, raw, kind)
  local detail
  if type(body) == "table" then
    local data = body.data
    if type(data) == "table" and type(data.errorMessage) == "string" and data.errorMessage ~= "" then
      detail = data.errorMessage
    elseif type(body.message) == "string" then
      detail = body.message
    end
    if type(data) == "table" then
      local uuid = leadf.text(data.leadUuid) or leadf.text(data.lead_uuid)
      if uuid then detail = (detail or "") .. " (LD lead " .. uuid .. ")" end
    end
  end
  detail = detail or outcome.message(nil, raw)
  if kind then return kind .. (detail and (": " .. detail) or "") end
  return detail
end

-- Every retry of a push resends the same body: wait out IREV's 2-minute window.
local function spaced(result)
  if result.outcome == "retry" then
    local after = result.retry_after or 0
    if after < IDENTICAL_BODY_WINDOW then result.retry_after = IDENTICAL_BODY_WINDOW end
  end
  return result
end

local function parse_delivery(response, ctx)
  local failed = outcome.transport(response)
  if failed then return spaced(failed) end
  local status = response.status
  local body = outcome.body(response)

  if outcome.ok(response) and body and leadf.text(body.lead_uuid) then
    local url = leadf.text(body.auto_login_url)
    if ctx.action == "register" and not url then
      return outcome.rejected("no_redirect", "IREV accepted lead " .. body.lead_uuid .. " without auto_login_url")
    end
    local extra
    local advertiser = leadf.text(body.advertiser_name)
    local advertiser_uuid = leadf.text(body.advertiser_uuid)
    if advertiser or advertiser_uuid then
      extra = { advertiser_name = advertiser, advertiser_uuid = advertiser_uuid }
    end
    return outcome.accepted(leadf.text(body.lead_uuid), url, extra)
  end

  local kind = error_type(body, status)
  local mapped = ERRORS[kind]
  local message = error_text(body, response.body, kind)
  if mapped then
    local result = { outcome = mapped[1], reason = mapped[2], message = message }
    if mapped[1] == "retry" then result.retry_after = outcome.retry_after(response, nil) end
    return spaced(result)
  end
  local generic = outcome.by_status(response, message)
  if generic then return spaced(generic) end
  if status == 400 then return outcome.rejected("invalid_data", message or "HTTP 400") end
  return outcome.rejected("unknown", "HTTP " .. tostring(status) .. (message and (": " .. message) or ""))
end

local RANK = { wait = 1, hold = 2, cancel = 3, trash = 3, approve = 4 }

-- Which lead a listing row belongs to (see the header): "external_id", lead_uuid when the
-- row has one; else "lead_id", our lead id echoed in id_key. In a processing or approved
-- check only the leads of ctx.leads count, and they are named by their external_id.
local function row_lead(row, wanted, id_key)
  local uuid = leadf.text(row.lead_uuid) or leadf.text(row.leadUuid)
  local own = id_key and leadf.text(row[id_key])
  if not wanted then
    if uuid then return "external_id", uuid end
    if own then return "lead_id", own end
    return nil
  end
  if uuid and wanted.by_external[uuid] then return "external_id", uuid end
  local external = own and wanted.by_lead[own]
  if external then return "external_id", external end
  return nil
end

-- The stage of a goal: approve for an FTD goal (by UUID, else by name), wait for any other.
local function goal_stage(ftd, name, uuid)
  if uuid and ftd.uuids[uuid:lower()] then return "approve" end
  if name and (ftd.names[name:lower()] or ftd.uuids[name:lower()]) then return "approve" end
  return "wait"
end

-- ftd_goals with the names resolved through cached goal types, when the cache has them.
local function known_ftd(params)
  local ftd = ftd_goals(params)
  local cached = cache.get(GOAL_TYPES_KEY)
  if type(cached) == "table" then resolve_names(ftd, cached) end
  return ftd
end

local function parse_check(response, ctx)
  local rows = outcome.ok(response) and rows_of(response) or nil
  if rows == nil then
    local body = outcome.body(response)
    local kind = error_type(body, response.status)
    return outcome.check_failed(response, error_text(body, response.body, kind))
  end
  if ctx.state.failure then return outcome.retry("unknown", ctx.state.failure) end
  local ftd = known_ftd(ctx.params)
  local wanted, id_key = ctx.state.wanted, leadf.text(ctx.params.lead_id_key)
  local by_id, order, unmatched = {}, {}, 0
  for _, row in ipairs(rows) do
    if type(row) == "table" then
      local field, id = row_lead(row, wanted, id_key)
      if id then
        local goal = leadf.text(row.goalType)
        local stage = goal_stage(ftd, goal, leadf.text(row.goalTypeUuid))
        local update = { [field] = id, stage = stage, status = goal, at = dates.iso(leadf.text(row.createdAt)) }
        local key = field .. ":" .. id
        local current = by_id[key]
        if not current then
          order[#order + 1] = key
          by_id[key] = update
        elseif RANK[stage] > RANK[current.stage] then
          by_id[key] = update
        end
      elseif not wanted then
        unmatched = unmatched + 1
      end
    end
  end
  if unmatched > 0 then
    log.warn("irev: range check:", unmatched, "listing rows carry neither lead_uuid nor our lead id (Lead Profile key",
      tostring(id_key) .. ") and cannot be matched to a lead")
  end
  local updates = {}
  for _, id in ipairs(order) do updates[#updates + 1] = by_id[id] end
  return { updates = updates }
end

function M.parse_status(response, ctx)
  if ctx.action == "postback" then
    local ftd = known_ftd(ctx.params)
    return postback.updates(response, "irev", function(goal) return goal_stage(ftd, goal, nil) end)
  end
  if ctx.action == "status" then return parse_check(response, ctx) end
  return parse_delivery(response, ctx)
end

return M
