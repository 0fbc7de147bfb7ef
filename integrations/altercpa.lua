--[[
AlterCPA-based network: deliver leads as an agency (traffic source), read their stages.

Document: AlterCPA Moe's API documentation, "API for affiliate" (ext/add.json, ext/list.json)
  and "API for merchant" (comp/add.json), conventions at
  https://docs.altercpa.top/en/api/authentication/

API: the affiliate ("webmaster" / agency) API of AlterCPA-based networks, as AlterCPA
Moe documents it ("API for affiliate": ext/add.json, ext/list.json; "API for merchant":
comp/add.json) and as LeadRelay's seed 002 describes AlterCPA integrations (agency =
"traffic source" in AlterCPA Moe; four sending cases, three status checks, postbacks).
Before integrating, the advertiser creates an agency for you on their network and sends
you its message: it holds the API root, your {user}-{key} and the offer ids.

Seed 002 names the cases, not the calls. What LeadRelay could check in a
public document is AlterCPA's API conventions page,
https://docs.altercpa.top/en/api/authentication/ (key "{user_id}-{user_api}" in ?id=
"even on POST endpoints", "Every response is HTTP 200", {"status":"error","error":"code"},
the framework codes). ASSUMPTION: the paths, the order-form field names, the list.json
answer and the postback fields below are AlterCPA Moe's API pages as LeadRelay read them;
no stored document confirms them.

  POST {base_url}/ext/add.json?id={user}-{key}     add a lead         (push, register)
  POST {base_url}/ext/edit.json?id={user}-{key}    change a lead      (update)
  POST {base_url}/comp/add.json?id={merchant key}  add an order       (approved)
  POST {base_url}/ext/list.json?id={user}-{key}    lead statuses      (status)

  base_url is the network's API root: https://api.cpa.moe on AlterCPA Moe, usually
  https://<network domain>/api on AlterCPA Pro networks (no trailing slash).
  Bodies are plain form posts (application/x-www-form-urlencoded); answers are JSON with
  `status: "ok"` or `status: "error"` and an `error` code, mostly with HTTP 200.

  ext/edit.json is LeadRelay's ASSUMPTION: neither seed 002 nor AlterCPA's public API
  pages document an edit call for agencies. Confirm it (path, `oid`, field names, answer)
  against the network's own API page before enabling update for an offer; the sandbox
  emulates exactly what this script sends.

Params (per offer):
  base_url      required  the network's API root, as above
  api_key       required  secret; "{user}-{key}" from the agency message / Profile page
  offer_id      required  the offer id on the network
  wm            optional  agency affiliate or source id on the network (default: the
                          lead's affiliate_id); push and register only
  merchant_key  optional  secret; "{user}-{key}" of the merchant (company) account that
                          receives approved orders. Needed by approved only: approved
                          without it ends as outcome error naming merchant_key (the lead
                          is kept until the offer has one); the agency's api_key is never
                          sent to the merchant API.

Lead -> order form (ext/add.json and comp/add.json document the same order fields):
offer <- offer_id, name <- "first last", phone (digits only, required), email, ip
(required), ua <- extra.user_agent, country (alpha-2), us/uc/un/ut/um <- extra.utm_source,
utm_campaign, utm_content, utm_term, utm_medium (us falls back to sub_id), comm <- comment,
currency, base/count <- price and count of the first of items (the offer's good), items
<- the further items as nested goods items[n][id|count|price] (id <- sku, the network's
nested good id; n from 0), index/city/area/addr <- address (zip, city, region, street),
discount <- extra.discount (percent), more <- extra.extra_cost (e.g. express delivery).
Without phone or ip the lead is rejected invalid_data in prepare (push, register,
approved; ASSUMPTION that the network requires both).

  push, register  ext/add.json: the order form plus id <- lead id (our unique order id)
                  and wm.
  approved        "the lead was approved on our side and is sent on to a CRM": the
                  network's "API for merchant", comp/add.json ("add a new lead as the
                  company, with no order source"), keyed with merchant_key: the order
                  form only (no id, no wm). ASSUMPTION: seed 002 names the case ("sending
                  approved leads to CRM"), not the call; path and fields are AlterCPA
                  Moe's merchant API as LeadRelay read it.
  update          an upsell or change of a delivered lead: ext/edit.json with oid <-
                  lead.external_id (the network's lead id) and, of the order form, only
                  the fields the lead has among name, phone, email, comm, currency, base,
                  count, index, city, addr. A lead without external_id is rejected
                  invalid_data in prepare, with no request.

Answers of add.json and edit.json: {"status":"ok","id":<network lead id>[,"url":...]} is
accepted with external_id = id (uid as fallback; update: the oid sent) and redirect_url =
url (register without a url: rejected no_redirect). The conventions page below puts a
success's fields under "data" ({"status":"ok","data":{...}}); ASSUMPTION: the agency API
answers with them at the top level, so both places are read (top level first). An "ok"
without any id is accepted (the network took the lead: a resend would duplicate it) with
a message saying its status cannot be checked, and a warning in the log. {"status":"error","error":"<code>"}
goes through ERRORS below, matched exactly (lower-cased, nothing else): a code not in the
table is rejected unknown naming it. Documented: HTTP 200 with status/error and the
framework codes key, ban, func, db, unpaid, from AlterCPA's API conventions page
(https://docs.altercpa.top/en/api/authentication/, written for AlterCPA TOP: ASSUMPTION
that the agency API shares them). Every other code is an ASSUMPTION, marked in the
table. Non-200 answers follow lib.outcome (ASSUMPTION: AlterCPA documents none).

Status checks (list.json): processing and approved post ids=<external ids, comma
separated> (at most limits.batch = 100); range posts from/to as dates ("%Y-%m-%d", UTC).
ASSUMPTION: list.json takes a POST like the other ext/ calls; the conventions page (for
AlterCPA TOP) says "GET for reads, POST for writes", which the agency API's list.json, a
form-posted call in the API LeadRelay read, does not follow.
ASSUMPTION (no document shows list.json): the answer is a list of leads (a bare array, or
under "leads"/"data", or an object keyed by lead id); each lead's `stage` is mapped directly (wait, hold, approve, cancel, trash;
"new"/"processing" read as wait, "accept"/"approved" as approve, "reject"/"decline" as
cancel, "double"/"invalid"/"fake" as trash). A lead with an unknown stage is skipped
with a warning rather than reported as something it is not. status keeps the network's
own status text (or its stage word), comment its comment or reason.

Postback (the network calls /postback/altercpa/<route token>; the route's random token
is the secret the host checks). Seed 002: "you can use postbacks from the target network to get statuses";
ASSUMPTION: the fields, read from the query or a form: id (network lead id, required), stage or status (a stage
word as above), comment or reason, price or cash (amount), currency. A postback without
a usable id or stage gives no update (and a warning in the log).
]]

local log = log
local time = time
local table = table
local type, ipairs, pairs, next, tostring = type, ipairs, pairs, next, tostring

local leadf = require("lib.lead")
local outcome = require("lib.outcome")
local dates = require("lib.dates")
local checks = require("lib.checks")
local postback = require("lib.postback")

-- add.json / edit.json / list.json error codes -> { outcome, reason, meaning, basis }.
-- Matched exactly on the lower-cased code: no word or suffix matching, so "urban" is not
-- "ban" and "ratelimit" is not "limit". basis is where the meaning comes from: DOC is
-- AlterCPA's API conventions page (https://docs.altercpa.top/en/api/authentication/,
-- "Framework errors"); ASSUMPTION is LeadRelay's reading of a code no document lists.
local DOC, ASSUMPTION = "documented", "ASSUMPTION"
local ERRORS = {
  key       = { "rejected", "unauthorized",    "missing or invalid API key", DOC },
  ban       = { "rejected", "unauthorized",    "account suspended", DOC },
  func      = { "rejected", "unknown",         "unknown endpoint path: check base_url", DOC },
  db        = { "retry",    "unavailable",     "database error, retry", DOC },
  unpaid    = { "retry",    "unavailable",     "the network's subscription lapsed", DOC },
  offer     = { "rejected", "unknown",         "offer unknown or closed: check offer_id", ASSUMPTION },
  order     = { "rejected", "unknown",         "no such order on the network (lead.external_id unknown there)", ASSUMPTION },
  nophone   = { "rejected", "invalid_data",    "no phone", ASSUMPTION },
  badphone  = { "rejected", "invalid_data",    "phone not valid", ASSUMPTION },
  noip      = { "rejected", "invalid_data",    "no ip", ASSUMPTION },
  badip     = { "rejected", "invalid_data",    "ip not valid", ASSUMPTION },
  noname    = { "rejected", "invalid_data",    "no name", ASSUMPTION },
  data      = { "rejected", "invalid_data",    "request data not usable", ASSUMPTION },
  country   = { "rejected", "blocked_country", "country not accepted", ASSUMPTION },
  badcountry = { "rejected", "blocked_country", "country not accepted", ASSUMPTION },
  duplicate = { "rejected", "duplicate",       "lead already sent", ASSUMPTION },
  double    = { "rejected", "duplicate",       "lead already sent", ASSUMPTION },
  exists    = { "rejected", "duplicate",       "lead already exists", ASSUMPTION },
  limit     = { "rejected", "cap_reached",     "cap reached", ASSUMPTION },
  ratelimit = { "retry",    "rate_limited",    "too many requests", ASSUMPTION },
  timeout   = { "retry",    "timeout",         "network timeout", ASSUMPTION },
}

-- Stage words of AlterCPA (and their usual synonyms) -> contract stage.
local STAGES = {
  wait = "wait", new = "wait", processing = "wait", process = "wait",
  hold = "hold",
  approve = "approve", approved = "approve", accept = "approve", accepted = "approve",
  cancel = "cancel", cancelled = "cancel", canceled = "cancel", reject = "cancel",
  rejected = "cancel", decline = "cancel", declined = "cancel",
  trash = "trash", double = "trash", invalid = "trash", fake = "trash",
}

---@type leadrelay.Integration
local M = {
  name = "altercpa",
  title = "AlterCPA-based network: agency (traffic source) API",
  actions = { "push", "register", "update", "approved", "status", "postback" },
  params = {
    base_url = {
      required = true,
      description = "API root of the network: https://api.cpa.moe or https://<network>/api (the script adds /ext/add.json, /comp/add.json, ...)",
    },
    api_key = { required = true, secret = true, description = "{user}-{key} of the agency, e.g. 123-abcdef0123" },
    offer_id = { required = true, description = "offer id on the network" },
    wm = { description = "agency affiliate or source id on the network (default: the lead's affiliate_id)" },
    merchant_key = {
      secret = true,
      description = "{user}-{key} of the merchant (company) account that receives approved orders (needed by approved)",
    },
  },
  limits = { batch = 100 },
}

local function api_url(params, path)
  return params.base_url .. "/" .. path .. ".json"
end

-- The nested goods of an order: every item after the first (the first is the offer's
-- good, sent as base/count), as items[n][id|count|price] with n from 0.
local function nested_goods(items, form)
  for i = 2, #items do
    local item = items[i]
    if type(item) == "table" then
      local prefix = "items[" .. (i - 2) .. "]"
      form[prefix .. "[id]"] = leadf.text(item.sku)
      form[prefix .. "[count]"] = leadf.text(item.count)
      form[prefix .. "[price]"] = leadf.text(item.price)
    end
  end
end

-- The order fields ext/add.json and comp/add.json share, from the lead; absent values
-- are nil (left out of the form).
local function order_form(lead, params)
  local items = type(lead.items) == "table" and lead.items or {}
  local item = type(items[1]) == "table" and items[1] or {}
  local address = type(lead.address) == "table" and lead.address or {}
  local form = {
    offer = leadf.text(params.offer_id),
    name = leadf.full_name(lead),
    phone = leadf.phone_digits(lead.phone),
    email = leadf.email(lead.email),
    ip = leadf.ip(lead.ip),
    ua = leadf.extra(lead, "user_agent"),
    country = leadf.country(lead.country),
    us = leadf.extra(lead, "utm_source") or leadf.text(lead.sub_id),
    uc = leadf.extra(lead, "utm_campaign"),
    un = leadf.extra(lead, "utm_content"),
    ut = leadf.extra(lead, "utm_term"),
    um = leadf.extra(lead, "utm_medium"),
    comm = leadf.text(lead.comment),
    currency = leadf.text(lead.currency),
    base = leadf.text(item.price),
    count = leadf.text(item.count),
    discount = leadf.extra(lead, "discount"),
    more = leadf.extra(lead, "extra_cost"),
    index = leadf.text(address.zip),
    city = leadf.text(address.city),
    area = leadf.text(address.region),
    addr = leadf.text(address.street),
  }
  nested_goods(items, form)
  return form
end

-- The invalid_data outcome of an order form without phone or ip, else nil.
local function missing_contact(form)
  local absent = leadf.missing(form, { "phone", "ip" })
  if absent then
    return outcome.invalid("missing or malformed field: " .. table.concat(absent, ", "))
  end
  return nil
end

local function post(url, key, form)
  return { method = "POST", url = url, query = { id = key }, form = form }
end

-- push, register: the agency's ext/add.json.
local function prepare_add(lead, ctx)
  local params = ctx.params
  local form = order_form(lead, params)
  local invalid = missing_contact(form)
  if invalid then return invalid end
  form.id = leadf.text(lead.id) or "auto"
  form.wm = leadf.text(params.wm) or leadf.text(lead.affiliate_id)
  return post(api_url(params, "ext/add"), params.api_key, form)
end

-- approved: the merchant API's comp/add.json, an order with no source (no id, no wm).
local function prepare_approved(lead, ctx)
  local params = ctx.params
  local form = order_form(lead, params)
  local invalid = missing_contact(form)
  if invalid then return invalid end
  local key = leadf.text(params.merchant_key)
  if not key then
    -- a configuration fault, not the lead's: outcome error keeps the lead for redelivery
    error("altercpa: approved needs param merchant_key (the merchant account's {user}-{key}"
      .. " for comp/add.json); the agency api_key is not sent there", 0)
  end
  return post(api_url(params, "comp/add"), key, form)
end

-- The order fields an update may change (only those the lead has are sent).
local EDITABLE = { "name", "phone", "email", "comm", "currency", "base", "count", "index", "city", "addr" }

-- update: ext/edit.json (an assumed endpoint, see the header) for lead.external_id.
local function prepare_update(lead, ctx)
  local params = ctx.params
  local oid = leadf.text(lead.external_id)
  if not oid then
    return outcome.invalid("update needs lead.external_id (the network's lead id); the lead has none")
  end
  local order = order_form(lead, params)
  local form = { oid = oid }
  for _, name in ipairs(EDITABLE) do form[name] = order[name] end
  return post(api_url(params, "ext/edit"), params.api_key, form)
end

local function prepare_status(ctx)
  local params = ctx.params
  local form
  if ctx.check == "range" then
    local from = dates.format(ctx.from, "%Y-%m-%d")
    local to = dates.format(ctx.to, "%Y-%m-%d")
    if not from or not to then
      return outcome.rejected("unknown", "range check needs ISO 8601 from/to")
    end
    form = { from = from, to = to }
  else
    local ids, wanted = checks.ids(ctx)
    ctx.state.wanted = wanted
    form = { ids = table.concat(ids, ",") }
  end
  return {
    method = "POST",
    url = api_url(params, "ext/list"),
    query = { id = params.api_key },
    form = form,
  }
end

local PREPARE = { approved = prepare_approved, update = prepare_update }

function M.prepare(lead, ctx)
  if ctx.action == "status" then return prepare_status(ctx) end
  return (PREPARE[ctx.action] or prepare_add)(lead, ctx)
end

local function classify(code)
  local rule = ERRORS[code:lower()]
  if not rule then
    return outcome.rejected("unknown", "AlterCPA error: " .. (code ~= "" and code or "(no code)"))
  end
  return { outcome = rule[1], reason = rule[2], message = "AlterCPA error: " .. code .. " (" .. rule[3] .. ")" }
end

local function parse_delivery(response, ctx)
  local failed = outcome.transport(response)
  if failed then return failed end
  local body = outcome.body(response)
  if outcome.ok(response) and body then
    if body.status == "ok" then
      local data = type(body.data) == "table" and body.data or {}
      local id = leadf.text(body.id) or leadf.text(body.uid) or leadf.text(data.id) or leadf.text(data.uid)
      if ctx.action == "update" then id = leadf.text(ctx.lead.external_id) or id end
      local url = leadf.text(body.url) or leadf.text(data.url)
      if ctx.action == "register" and not url then
        return outcome.rejected("no_redirect", "AlterCPA added lead " .. tostring(id) .. " without a url")
      end
      local accepted = outcome.accepted(id, url)
      if not id then
        log.warn("altercpa:", ctx.action, "answered ok without an id: the lead's status cannot be checked")
        accepted.message = "AlterCPA answered ok without a lead id: status checks cannot find this lead"
      end
      return accepted
    end
    if body.status == "error" then
      return classify(leadf.text(body.error) or "")
    end
  end
  return outcome.unrecognised(response, outcome.message(body, response.body))
end

-- The rows of a list.json answer with their ids: a bare array, a wrapper (leads,
-- data), or an object keyed by lead id. nil when the body is none of these.
local function rows_of(body)
  if type(body) ~= "table" then return nil end
  if body.status == "error" then return nil end
  if body[1] ~= nil or next(body) == nil then return body end
  for _, key in ipairs({ "leads", "data" }) do
    if type(body[key]) == "table" then return body[key] end
  end
  local rows = {}
  local keys = {}
  for key, row in pairs(body) do
    if type(row) == "table" then keys[#keys + 1] = key end
  end
  if #keys == 0 then return nil end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, key in ipairs(keys) do
    local row = body[key]
    if row.id == nil then
      local copy = { id = key }
      for k, v in pairs(row) do copy[k] = v end
      row = copy
    end
    rows[#rows + 1] = row
  end
  return rows
end

local function stage_of(value)
  local word = leadf.text(value)
  if not word then return nil end
  return STAGES[word:lower()]
end

local function update_of(row)
  local id = leadf.text(row.id)
  local stage = stage_of(row.stage) or stage_of(row.status)
  if not id or not stage then
    log.warn("altercpa: lead", tostring(id), "has no known stage:", tostring(row.stage or row.status))
    return nil
  end
  local update = {
    external_id = id,
    stage = stage,
    status = leadf.text(row.status) or leadf.text(row.stage),
    comment = leadf.text(row.comment) or leadf.text(row.reason),
  }
  if type(row.time) == "number" then update.at = time.iso(row.time) end
  return update
end

local function parse_check(response, ctx)
  local body = outcome.body(response)
  local rows = outcome.ok(response) and rows_of(body) or nil
  if rows == nil then
    if outcome.ok(response) and body and body.status == "error" then
      local result = classify(leadf.text(body.error) or "")
      return outcome.retry(result.reason, "status check failed: " .. result.message)
    end
    return outcome.check_failed(response)
  end
  return checks.updates(rows, update_of, ctx.state.wanted)
end

-- AlterCPA's own postback fields (stage or status, reason, cash), so not
-- lib.postback's standard format: only its field reading is shared.
local function parse_postback(inbound)
  local fields = postback.fields(inbound)
  local id = leadf.text(fields.id)
  local stage = stage_of(fields.stage) or stage_of(fields.status)
  if not id or not stage then
    return postback.none("altercpa: postback without a usable id or stage:", tostring(fields.id), tostring(fields.stage or fields.status))
  end
  local amount, currency = postback.money(fields, { "price", "cash" })
  return { updates = { {
    external_id = id,
    stage = stage,
    status = leadf.text(fields.status) or leadf.text(fields.stage),
    comment = leadf.text(fields.comment) or leadf.text(fields.reason),
    amount = amount,
    currency = currency,
  } } }
end

function M.parse_status(response, ctx)
  if ctx.action == "postback" then return parse_postback(response) end
  if ctx.action == "status" then return parse_check(response, ctx) end
  return parse_delivery(response, ctx)
end

return M
