--[[
Pipedrive: create a person and a lead in the Leads Inbox for each lead (push), or for each
lead approved on our side (approved), with the company's API token.

Document: Pipedrive API v1 reference, "Persons: Add a person" and "Leads: Add a lead",
  https://developers.pipedrive.com/docs/api/v1/Persons#addPerson and
  https://developers.pipedrive.com/docs/api/v1/Leads#addLead; Pipedrive Developer
  Documentation "HTTP status codes",
  https://pipedrive.readme.io/docs/core-api-concepts-http-status-codes, and "Rate limiting",
  https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting

  POST {base_url}/persons?api_token=..   { "name", "email": [..], "phone": [..], "owner_id" }
    -> 201 { "success": true, "data": { "id": 1, ... } }
  POST {base_url}/leads?api_token=..     { "title", "person_id", "owner_id" }
    -> 201 { "success": true, "data": { "id": "<uuid>", "title": ..., "person_id": 1 } }

  The document: a lead needs a title and a person or an organization; POST to the Leads
  endpoints must be application/json; requests are validated against the api_token (one per
  user and company). Errors answer { "success": false, "error": "<text>", "error_info": ...,
  "data": null }.

Params (per offer):
  base_url     required  the company's API root, https://<company>.pipedrive.com/api/v1
  api_token    required  secret; the user's API token (sent as the api_token query parameter)
  owner_id     optional  id of the Pipedrive user who owns the person and the lead
  title_prefix optional  text put before the lead's name in the lead's title (default "")

Lead -> person: name <- "First Last" (lib.lead.full_name, else the email), email <-
[{ value, primary = true, label = "work" }], phone <- [{ value = +digits, primary = true,
label = "mobile" }], owner_id (param). Lead -> lead: title <- title_prefix .. name,
person_id <- the person's id, owner_id. A lead with neither a name nor an email is rejected
invalid_data before sending.

A person created by an earlier attempt of the same lead is reused (its id is kept in
`cache` for a day under the lead's id), so a retry after a failed lead step does not create
a second person.

Outcomes (of whichever step answered last):
  201 with data.id on the lead step    accepted, external_id = the lead's id (uuid),
                                       extra = { person_id = ... }
  400 (a refused field)                rejected invalid_data with Pipedrive's error text
  401 (bad api_token), 402 (company account not open: trial over, no payment), 403
                                       rejected unauthorized
  404, 410 (wrong base_url or retired endpoint), 415
                                       rejected unknown
  429                                  retry rate_limited; retry_after from Retry-After,
                                       else from x-ratelimit-reset (the seconds left of
                                       the 2-second rate limit window)
  5xx, transport failures              retry unavailable / timeout (lib.outcome)

ASSUMPTIONS (the document is silent):
  - Pipedrive does not refuse a second person with the same email, so there is no
    duplicate outcome: deduplicate with the offer's duplicate window.
  - A 2xx whose body says "success": false is rejected unknown with its error text.
]]

local http = http
local cache = cache
local type, tostring, tonumber = type, tostring, tonumber

local leadf = require("lib.lead")
local outcome = require("lib.outcome")

---@type leadrelay.Integration
local M = {
  name = "pipedrive",
  title = "Pipedrive: add a person and a lead (API v1, api_token)",
  actions = { "push", "approved" },
  params = {
    base_url = { required = true, description = "https://<company>.pipedrive.com/api/v1" },
    api_token = { required = true, secret = true, description = "API token (api_token query parameter)" },
    owner_id = { description = "Pipedrive user id owning the person and the lead" },
    title_prefix = { default = "", description = "text before the lead's name in its title" },
  },
  limits = { timeout = 30 },
}

local PERSON_TTL = 86400

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  local params = ctx.params
  local email = leadf.email(lead.email)
  local name = leadf.text(leadf.full_name(lead)) or email
  if not name then
    return outcome.invalid("Pipedrive needs a person's name: the lead has neither a name nor an email")
  end
  local phone = leadf.phone_plus(lead.phone)
  local owner = tonumber(leadf.text(params.owner_id))
  local prefix = type(params.title_prefix) == "string" and params.title_prefix or ""
  ctx.state.title = prefix .. name
  ctx.state.owner = owner
  return {
    method = "POST",
    url = params.base_url .. "/persons",
    query = { api_token = params.api_token },
    json = {
      name = name,
      email = email and { { value = email, primary = true, label = "work" } } or nil,
      phone = phone and { { value = phone, primary = true, label = "mobile" } } or nil,
      owner_id = owner,
    },
  }
end

local function data_id(response)
  local body = outcome.body(response)
  if not (outcome.ok(response) and body and body.success ~= false) then return nil end
  local data = type(body.data) == "table" and body.data or {}
  return data.id
end

---@param request leadrelay.Request
---@param ctx leadrelay.Ctx
---@return leadrelay.Response
function M.send(request, ctx)
  local key = "person:" .. tostring(ctx.lead.id)
  local person = cache.get(key)
  if not person then
    local response = http.request(request)
    person = data_id(response)
    if person == nil then return response end
    cache.set(key, person, PERSON_TTL)
  end
  ctx.state.person = person
  return http.request({
    method = "POST",
    url = ctx.params.base_url .. "/leads",
    query = { api_token = ctx.params.api_token },
    json = { title = ctx.state.title, person_id = person, owner_id = ctx.state.owner },
  })
end

-- Seconds to wait after a 429: Retry-After, else x-ratelimit-reset.
local function rate_wait(response)
  local after = outcome.retry_after(response, nil)
  if after then return after end
  local headers = type(response.headers) == "table" and response.headers or {}
  return outcome.seconds(headers["x-ratelimit-reset"])
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Outcome
function M.parse_status(response, ctx)
  local failed = outcome.transport(response)
  if failed then return failed end
  local status = response.status
  local body = outcome.body(response)
  local text = body and leadf.text(body.error) or outcome.message(body, response.body)
  local step = ctx.state.person and "lead" or "person"
  local prefix = "HTTP " .. tostring(status) .. " (" .. step .. ")" .. (text and (": " .. text) or "")

  local id = leadf.text(data_id(response))
  if id and ctx.state.person then
    return outcome.accepted(id, nil, { person_id = ctx.state.person })
  elseif outcome.ok(response) then
    return outcome.rejected("unknown", prefix)
  elseif status == 400 then
    return outcome.rejected("invalid_data", prefix)
  elseif status == 401 or status == 402 or status == 403 then
    return outcome.rejected("unauthorized", prefix)
  elseif status == 429 then
    return outcome.retry("rate_limited", prefix, rate_wait(response))
  end
  return outcome.unrecognised(response, step .. (text and (": " .. text) or ""))
end

return M
