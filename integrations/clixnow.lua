--[[
Clixnow: create a lead via API, read leads back (status checks, postbacks).

Document: Clixnow's affiliate integration document "Create a Lead via API" and its
  "Monitoring data" (leads search), given to affiliates by each Clixnow brand

API: Clixnow's affiliate integration document "Create a Lead via API" and "Monitoring
data" (LeadRelay seed 003). Every brand has its own host:

  POST {base_url}/leads          create a lead (actions push, register)
  GET  {base_url}/leads/search   read leads by id, creation or update date (action status)

  base_url = https://integration.<brand name>.clixnow.com/api/system/v1
  Header   Authorization: ApiToken <api_token>; bodies are JSON.

Params (per offer):
  base_url          required  the brand's API root, as above, without a trailing slash
  api_token         required  secret; the API token the brand gave the affiliate
  sub_campaign      optional  subCampaign when the lead has no sub_id
  keyword           optional  keyword when the lead's extra has none
  placement         optional  placement (landing page or ad name) when the lead has no funnel
  require_language  optional  "true" when the brand runs Language Detection = Registration
                              Language: then languageCode is mandatory and a lead
                              without a language is rejected before sending
  accept_terms      optional  "true" sends acceptTermsAndConditions = true (Clixnow: false)
  accept_promotions optional  "true" sends acceptPromotions = true (Clixnow: false)
  page_size         optional  leads per page in range checks, 1..1000 (default 1000)
  range_by          optional  which dates a range check filters on: "created" (default,
                              createdOnFrom/To: leads registered in the window, the seed's
                              example) or "modified" (modifiedOnFrom/To: leads whose status
                              changed in the window, i.e. updates). Any other value: outcome
                              error naming the param.

Lead -> Clixnow body:
  first_name, last_name -> firstName, lastName (a full name in one field is split)
  email -> email; phone -> phone ("+" and digits); country -> countryCode (alpha-2)
  language -> languageCode (upper case, e.g. "DE"); password -> password (see below)
  ip -> ipAddress; landing_url -> referralUrl; click_id -> clickId
  sub_id -> subCampaign; funnel -> placement; comment -> comment (cut to 1000 characters)
  extra.keyword -> keyword; extra.sub2 (else affiliate_id) -> sub2
  extra.device_type, device_name, os_name, browser, carrier -> deviceType, deviceName,
  osName, browser, carrier
  Required (Clixnow): firstName, lastName, email, phone, password, countryCode. A lead
  missing one is rejected `invalid_data` by prepare, nothing is sent.

Password: seed 003 "a special character is required, min number of required characters
is eight". A lead's own password that breaks the rule is rejected `invalid_data` before
sending. ASSUMPTION: the seed does not define "special character"; lib.lead.password_ok
counts any character that is not an ASCII letter or digit (a space too), so the check only
refuses what Clixnow surely refuses. A lead without a password gets a generated one
(lib.lead.generate_password: crypto.random_string(8) .. "Aa1!"); the lead logs in through
the autologin redirectUrl, so the generated password is not kept anywhere.

Outcomes (push, register). The status meanings are seed 003's table; how each becomes an
outcome, and every message text, is LeadRelay's reading:
  200/201 with leadId     accepted, external_id = leadId, redirect_url = redirectUrl
                          (register without redirectUrl: rejected no_redirect);
                          extra.crm_id = crmId as text (the seed's model: an integer)
  400                     "Domain validation errors, missing data": rejected duplicate when
                          the error text says so (ASSUMPTION: the words of
                          lib.outcome.says_duplicate), else invalid_data
  401                     "missing or invalid authentication token": rejected unauthorized
  403                     "not authorized to perform the operation, or certain item is
                          unavailable for some reason": the message decides, through
                          FORBIDDEN below (ASSUMPTION: the seed gives no 403 texts): a
                          rate limit -> retry rate_limited, "temporarily" or "at the
                          moment" -> retry unavailable, a country -> blocked_country, a
                          cap or limit -> cap_reached, "unavailable" -> rejected
                          unavailable; anything else, or no message, is the permission
                          refusal: rejected unauthorized
  415                     "Wrong Accept/Content-Type": rejected unknown, a fault of the
                          request (or a proxy), not something the lead can fix
  429 / 5xx / transport   ASSUMPTION (not in the seed's table): retry rate_limited /
                          unavailable / timeout or unavailable (lib.outcome)
  other                   rejected unknown with the HTTP status and the error text

Status checks (GET {base_url}/leads/search):
  processing, approved  one request per lead: ?id=<external_id> (limits.batch keeps the
                        number of requests per check small). ASSUMPTION: a 404 means
                        "not listed" (the lead is skipped), like an empty answer.
  range                 ?createdOnFrom=..&createdOnTo=.. (range_by=created) or
                        ?modifiedOnFrom=..&modifiedOnTo=.. (range_by=modified), UTC,
                        "%Y-%m-%dT%H:%M:%S" as in the seed's example; orderBy=Id,
                        count=<page_size> (default and maximum 1000) and
                        skip=0,count,2*count,... until a page holds fewer than count
                        leads (at most 20 pages; a warning is logged past that)
  ASSUMPTION: the answer's envelope (the seed documents the lead model only): a bare
  array, or the rows under items/leads/data/results, or a single lead.
  A lead with an ftdDate or clientType "Client" (seed: "Client (when FTD was made)") is
  stage approve, status "FTD" (its call status goes to comment). Otherwise its status is
  mapped by lib.status (call-centre words in English, Russian, Spanish and Portuguese, any
  case, accents, spaces and underscores alike: "No Answer" wait, "On Hold" hold,
  "Deposited" approve, "Not Interested" cancel, "Wrong Number" trash); a status it does
  not know is stage wait. ASSUMPTION: the seed lists no status words; lib.status holds the
  usual broker vocabulary.
  A check that fails as a whole (401/403, 429, 5xx, transport) is a retry outcome.

Postback: Clixnow sends affiliate postbacks (seed 003: subCampaign, placement, keyword,
sub2 and clickId "can be sent in postback") to a URL the affiliate sets in the brand's
affiliate UI, filled in with the brand's macros (take their names from the brand's
postback settings). Configure, per offer:

  ASSUMPTION: the seed names the fields that "can be sent in postback" but not the format
  or the macros; this URL is LeadRelay's:

  https://<leadrelay host>/postback/clixnow/<route token>?id=<leadId macro>&status=<lead
    status macro>&at=<status change time macro>&comment=<comment macro>
    &price=<payout macro>&currency=<currency macro>

  id        required  Clixnow's leadId, the external_id of the push
  status    required  Clixnow's lead status text ("New", "No Answer", "Deposited", "FTD"):
                      stage from lib.status as in the status checks (FTD, Deposited:
                      approve; a status it does not know: wait); kept as the update's status
  at        optional  when the status changed, ISO 8601 (normalised to UTC)
  comment   optional  kept as the update's comment
  price     optional  payout (a number; `amount` is read too), with `currency` (upper-cased)
  The same fields are read from a POSTed form (the query wins). A postback without id or
  status gives no update and a warning in the log (lib.postback).
]]

local json = json
local http = http
local log = log
local table, next = table, next
local math = math
local type, ipairs, tostring, tonumber = type, ipairs, tostring, tonumber

local leadf = require("lib.lead")
local outcome = require("lib.outcome")
local paging = require("lib.paging")
local dates = require("lib.dates")
local checks = require("lib.checks")
local postback = require("lib.postback")
local status_words = require("lib.status")

local MAX_PAGE_SIZE = 1000    -- Clixnow: "max number of records per request is 1000"
local MAX_PAGES = 20
local COMMENT_LIMIT = 1000    -- Clixnow: comment "up to 1000 characters"
local PASSWORD_MIN = 8        -- Clixnow: "min number of required characters is eight"

-- Texts of a 403 answer (Lua patterns over the lower-cased message) -> outcome, reason;
-- first match wins. Seed 003: 403 is "not authorized to perform the operation, or certain
-- item is unavailable for some reason". ASSUMPTION: these words (the seed gives no 403
-- texts). What reads as passing (a rate limit, "temporarily", "at the moment") is a
-- retry; a country, a cap or an item that is unavailable is a final rejection. A 403 that
-- matches none is the permission refusal: unauthorized.
local FORBIDDEN = {
  { "rate[%s_-]*limit",    "retry",    "rate_limited" },
  { "too many",            "retry",    "rate_limited" },
  { "temporar",            "retry",    "unavailable" },
  { "at the moment",       "retry",    "unavailable" },
  { "countr",              "rejected", "blocked_country" },
  { "%f[%a]geo%f[%A]",     "rejected", "blocked_country" },
  { "%f[%a]cap%f[%A]",     "rejected", "cap_reached" },
  { "limit",               "rejected", "cap_reached" },
  { "unavailable",         "rejected", "unavailable" },
  { "not available",       "rejected", "unavailable" },
}

-- range_by -> the seed's search parameters of that date.
local RANGE_BY = { created = "createdOn", modified = "modifiedOn" }

---@type leadrelay.Integration
local M = {
  name = "clixnow",
  title = "Clixnow: Create a Lead via API",
  actions = { "push", "register", "status", "postback" },
  params = {
    base_url = {
      required = true,
      description = "API root of the brand: https://integration.<brand>.clixnow.com/api/system/v1",
    },
    api_token = {
      required = true, secret = true,
      description = "API token the brand issued to the affiliate (header Authorization: ApiToken <token>)",
    },
    sub_campaign = { default = "", description = "subCampaign sent when the lead has no sub_id" },
    keyword = { default = "", description = "keyword sent when the lead's extra has none" },
    placement = { default = "", description = "placement sent when the lead has no funnel" },
    require_language = {
      default = "false",
      description = "\"true\" when the brand's Language Detection is Registration Language (languageCode mandatory)",
    },
    accept_terms = { default = "false", description = "\"true\" sends acceptTermsAndConditions = true" },
    accept_promotions = { default = "false", description = "\"true\" sends acceptPromotions = true" },
    page_size = {
      default = "1000",
      description = "leads per search page in range checks (count), 1 to 1000 (Clixnow's maximum)",
    },
    range_by = {
      default = "created",
      description = "range checks filter on \"created\" (createdOnFrom/To) or \"modified\" (modifiedOnFrom/To: status changes)",
    },
  },
  limits = { batch = 20 },
}

local function headers(params)
  return {
    ["Authorization"] = "ApiToken " .. params.api_token,
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
end

local function prepare_lead(lead, ctx)
  local params = ctx.params
  local first, last = leadf.names(lead)

  local password = leadf.text(lead.password)
  if password then
    local ok, why = leadf.password_ok(password, PASSWORD_MIN)
    if not ok then return outcome.invalid(why) end
  else
    password = leadf.generate_password()
  end

  local language = leadf.language(lead.language)
  if not language and leadf.flag(params.require_language) then
    return outcome.invalid("missing field: language (the brand requires languageCode)")
  end

  local body = {
    firstName = first,
    lastName = last,
    email = leadf.email(lead.email),
    phone = leadf.phone_plus(lead.phone),
    countryCode = leadf.country(lead.country),
    password = password,
    languageCode = language and language:upper() or nil,
    referralUrl = leadf.text(lead.landing_url),
    subCampaign = leadf.text(lead.sub_id) or leadf.text(params.sub_campaign),
    keyword = leadf.extra(lead, "keyword") or leadf.text(params.keyword),
    placement = leadf.text(lead.funnel) or leadf.text(params.placement),
    clickId = leadf.text(lead.click_id),
    ipAddress = leadf.ip(lead.ip),
    sub2 = leadf.extra(lead, "sub2") or leadf.text(lead.affiliate_id),
    comment = leadf.truncate(leadf.text(lead.comment), COMMENT_LIMIT),
    deviceType = leadf.extra(lead, "device_type"),
    deviceName = leadf.extra(lead, "device_name"),
    osName = leadf.extra(lead, "os_name"),
    browser = leadf.extra(lead, "browser"),
    carrier = leadf.extra(lead, "carrier"),
  }
  if leadf.flag(params.accept_terms) then body.acceptTermsAndConditions = true end
  if leadf.flag(params.accept_promotions) then body.acceptPromotions = true end

  local absent = leadf.missing(body, { "firstName", "lastName", "email", "phone", "countryCode" })
  if absent then
    return outcome.invalid("missing or malformed field: " .. table.concat(absent, ", "))
  end

  return {
    method = "POST",
    url = params.base_url .. "/leads",
    headers = headers(params),
    json = body,
  }
end

-- count for range checks: the page_size param, kept within Clixnow's 1..1000.
local function page_size(params)
  local n = math.tointeger(tonumber(leadf.text(params.page_size) or "")) or MAX_PAGE_SIZE
  if n < 1 then return 1 end
  if n > MAX_PAGE_SIZE then return MAX_PAGE_SIZE end
  return n
end

local function search_request(params, query)
  return {
    method = "GET",
    url = params.base_url .. "/leads/search",
    headers = { ["Authorization"] = "ApiToken " .. params.api_token, ["Accept"] = "application/json" },
    query = query,
  }
end

-- The search parameter prefix of the range_by param; raises (outcome error, the lead
-- check is kept) for a value the script does not know.
local function range_field(params)
  local by = (leadf.text(params.range_by) or "created"):lower()
  local field = RANGE_BY[by]
  if not field then
    error("clixnow: param range_by must be \"created\" or \"modified\", not \"" .. by .. "\"", 0)
  end
  return field
end

local function prepare_status(ctx)
  local params = ctx.params
  if ctx.check == "range" then
    local field = range_field(params)
    local from = dates.format(ctx.from, "%Y-%m-%dT%H:%M:%S")
    local to = dates.format(ctx.to, "%Y-%m-%dT%H:%M:%S")
    if not from or not to then
      return outcome.rejected("unknown", "range check needs ISO 8601 from/to")
    end
    return search_request(params, {
      [field .. "From"] = from, [field .. "To"] = to, orderBy = "Id",
      count = tostring(page_size(params)), skip = "0",
    })
  end
  local ids, wanted = checks.ids(ctx)
  ctx.state.ids, ctx.state.wanted = ids, wanted
  return search_request(params, { id = ids[1] or "" })
end

function M.prepare(lead, ctx)
  if ctx.action == "status" then return prepare_status(ctx) end
  return prepare_lead(lead, ctx)
end

-- The leads of a search answer: Clixnow documents the lead model, not the envelope,
-- so a bare array and the usual wrappers (items, leads, data, results) are all read.
local function rows_of(response)
  local body = outcome.body(response)
  if body == nil then return nil end
  if body[1] ~= nil or next(body) == nil then return body end
  for _, key in ipairs({ "items", "leads", "data", "results" }) do
    if type(body[key]) == "table" then return body[key] end
  end
  if body.id ~= nil then return { body } end    -- a single lead, when searched by id
  return nil
end

function M.send(request, ctx)
  if ctx.action ~= "status" then return http.request(request) end

  if ctx.check == "range" then
    local size = page_size(ctx.params)
    local result = paging.collect(request, {
      rows = rows_of,
      max_pages = MAX_PAGES,
      next = function(previous, _, rows, pages)
        if #rows < size then return nil end
        return paging.with_query(previous, { skip = tostring(pages * size) })
      end,
    })
    if result.truncated then
      log.warn("clixnow: range check stopped after", MAX_PAGES, "pages; narrow the range")
    end
    return result
  end

  -- processing / approved: one lookup per lead id
  local all = {}
  for index, id in ipairs(ctx.state.ids or {}) do
    local lookup = request
    if index > 1 then lookup = paging.with_query(request, { id = id }) end
    local response = http.request(lookup)
    if response.status ~= 404 then
      if not outcome.ok(response) then return response end
      local rows = rows_of(response)
      if rows == nil then return response end
      for _, row in ipairs(rows) do all[#all + 1] = row end
    end
  end
  return { status = 200, headers = {}, json = json.array(all) }
end

-- The stage of a Clixnow lead status (lib.status; a word it does not know: wait). The
-- status itself is always kept.
local function stage_of(status)
  return status_words.stage(status) or "wait"
end

local function update_of(row)
  local id = leadf.text(row.id)
  if not id then return nil end
  local status = leadf.text(row.status)
  local ftd = leadf.text(row.ftdDate)
  local client = leadf.text(row.clientType)
  if ftd or (client and client:lower() == "client") then
    return {
      external_id = id, stage = "approve", status = "FTD", comment = status,
      at = dates.iso(ftd) or dates.iso(leadf.text(row.updatedOn)),
    }
  end
  return {
    external_id = id, stage = stage_of(status), status = status,
    at = dates.iso(leadf.text(row.updatedOn)),
  }
end

local function parse_check(response, ctx)
  local rows = outcome.ok(response) and rows_of(response) or nil
  if rows == nil then return outcome.check_failed(response) end
  return checks.updates(rows, update_of, ctx.state.wanted)
end

local function parse_delivery(response, ctx)
  local failed = outcome.transport(response)
  if failed then return failed end
  local status = response.status
  local body = outcome.body(response) or {}

  if status == 200 or status == 201 then
    local id = leadf.text(body.leadId)
    local url = leadf.text(body.redirectUrl)
    if ctx.action == "register" and not url then
      return outcome.rejected("no_redirect",
        "Clixnow registered lead " .. tostring(id) .. " but returned no redirectUrl")
    end
    if not id then log.warn("clixnow: success answer without leadId") end
    local crm_id = leadf.text(body.crmId)
    return outcome.accepted(id, url, crm_id and { crm_id = crm_id } or nil)
  end

  local message = outcome.message(outcome.body(response), response.body)
  if status == 400 then
    if outcome.says_duplicate(message) then
      return outcome.rejected("duplicate", message)
    end
    return outcome.rejected("invalid_data", message or "HTTP 400 Bad Request")
  end
  if status == 403 then
    local lower = (message or ""):lower()
    for _, rule in ipairs(FORBIDDEN) do
      if lower:find(rule[1]) then
        if rule[2] == "retry" then return outcome.retry(rule[3], "HTTP 403: " .. message) end
        return outcome.rejected(rule[3], "HTTP 403: " .. message)
      end
    end
    return outcome.rejected("unauthorized", "HTTP 403: " .. (message or "not authorized"))
  end
  if status == 415 then
    return outcome.rejected("unknown",
      "HTTP 415 Unsupported Media Type: Clixnow refused the request's Content-Type/Accept "
      .. "(a fault of the request, not of the lead)" .. (message and (": " .. message) or ""))
  end
  return outcome.unrecognised(response, message)
end

function M.parse_status(response, ctx)
  if ctx.action == "postback" then return postback.updates(response, "clixnow", stage_of) end
  if ctx.action == "status" then return parse_check(response, ctx) end
  return parse_delivery(response, ctx)
end

return M
