--[[
HubSpot CRM: create a contact for each lead (push), or for each lead approved on our side
(approved), with a private app's access token.

Document: HubSpot "CRM API | Contacts" (create contacts, POST /crm/v3/objects/contacts),
  https://developers.hubspot.com/docs/api/crm/contacts, and HubSpot "Error handling",
  https://developers.hubspot.com/docs/api-reference/error-handling

  POST {base_url}/crm/v3/objects/contacts
    Authorization: Bearer <private app access token>   (scope crm.objects.contacts.write)
    Content-Type: application/json
    { "properties": { "email": ..., "firstname": ..., "lastname": ..., ... } }

  The document: contact data goes in a `properties` object; a create should include at
  least one of email, firstname or lastname, and email is HubSpot's unique identifier
  against duplicate contacts. A created contact comes back as 201 with its `id`. Error
  bodies carry `status: "error"`, `message`, `category` (e.g. VALIDATION_ERROR,
  CONFLICT, RATE_LIMITS), `correlationId` and sometimes `errors[]`; every field is
  optional.

Params (per offer):
  access_token    required  secret; the private app's access token (Bearer)
  base_url        optional  API root (default https://api.hubapi.com)
  lifecyclestage  optional  internal name of the lifecycle stage set on the contact
                            (default "lead"; "" sends none)

Lead -> properties: email, firstname, lastname (lib.lead.names), phone (+digits),
country (ISO alpha-2 as given), city, zip, address <- lead.address.{city, zip, street},
hs_language <- language (ISO 639-1), lifecyclestage (param). A lead with none of email,
firstname and lastname is rejected invalid_data before sending.

Outcomes:
  201 (or any 2xx) with an id       accepted, external_id = the contact's id
  409 (category CONFLICT; "Contact already exists. Existing ID: 123")
                                    rejected duplicate, the message quoted
  400 (VALIDATION_ERROR, e.g. a malformed email or an unknown property)
                                    rejected invalid_data, the messages of errors[]
  401 (invalid or revoked token), 403 (missing scopes)
                                    rejected unauthorized
  423 Locked (locks last 2 seconds)  retry unavailable, retry_after from Retry-After, else 2
  477 Migration in progress, 503 Service temporarily unavailable, other 5xx
                                    retry unavailable (Retry-After when sent; 477 sends it,
                                    typically up to 24 hours)
  502, 504 (processing limits met), 524 (no answer within 100 seconds)
                                    retry timeout
  429 (RATE_LIMITS)                 retry rate_limited; retry_after from Retry-After, else
                                    from X-HubSpot-RateLimit-Interval-Milliseconds
                                    (rounded up to seconds), else none
  transport failures                retry timeout / unavailable (lib.outcome)
  anything else                     rejected unknown with HTTP status and message

ASSUMPTIONS (the document is silent):
  - hs_language takes the ISO 639-1 code the lead gives; a portal that restricts its
    values answers 400 (invalid_data) and the offer should drop languages it lacks.
  - A 2xx without an `id` is rejected unknown rather than accepted without one.
  - The rate limit (100 requests per 10 s) is the lowest burst limit HubSpot lists for
    private apps; a portal with a higher one may raise it in a copy of this script.
]]

local type, tostring, tonumber, ipairs = type, tostring, tonumber, ipairs

local leadf = require("lib.lead")
local outcome = require("lib.outcome")

---@type leadrelay.Integration
local M = {
  name = "hubspot",
  title = "HubSpot CRM: create contacts (CRM API v3, private app token)",
  actions = { "push", "approved" },
  params = {
    access_token = { required = true, secret = true, description = "private app access token (Bearer)" },
    base_url = { default = "https://api.hubapi.com", description = "API root" },
    lifecyclestage = { default = "lead", description = "lifecycle stage internal name set on the contact (\"\" for none)" },
  },
  limits = { rate = "100/10s", timeout = 30 },
}

-- The document's timeouts (502/504/524) are `timeout`; its other transient answers
-- are `unavailable`.
local TIMEOUTS = { [502] = true, [504] = true, [524] = true }
local TRANSIENT = { [423] = true, [477] = true }
-- The document: a 423 lock lasts 2 seconds.
local LOCK_SECONDS = 2

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  local params = ctx.params
  local first, last = leadf.names(lead)
  local address = type(lead.address) == "table" and lead.address or {}
  local properties = {
    email = leadf.email(lead.email),
    firstname = first,
    lastname = last,
    phone = leadf.phone_plus(lead.phone),
    country = leadf.country(lead.country),
    city = leadf.text(address.city),
    zip = leadf.text(address.zip),
    address = leadf.text(address.street),
    hs_language = leadf.language(lead.language),
    lifecyclestage = leadf.text(params.lifecyclestage),
  }
  if not (properties.email or properties.firstname or properties.lastname) then
    return outcome.invalid("HubSpot needs at least one of email, firstname, lastname: the lead has none usable")
  end
  return {
    method = "POST",
    url = (leadf.text(params.base_url) or "https://api.hubapi.com") .. "/crm/v3/objects/contacts",
    headers = { Authorization = "Bearer " .. params.access_token },
    json = { properties = properties },
  }
end

-- HubSpot's error text: `message`, then the messages of `errors[]` when they add to it.
local function error_text(response)
  local body = outcome.body(response)
  if not body then return outcome.message(nil, response.body) end
  local parts = { leadf.text(body.message) }
  if type(body.errors) == "table" then
    for _, e in ipairs(body.errors) do
      local text = type(e) == "table" and leadf.text(e.message)
      if text and text ~= parts[1] then parts[#parts + 1] = text end
    end
  end
  local text = leadf.join(parts, "; ")
  if text == "" then text = nil end
  local category = leadf.text(body.category)
  if category and text then return category .. ": " .. text end
  return text or category
end

-- Seconds to wait after a 429: Retry-After, else HubSpot's rate-limit interval header.
local function rate_wait(response)
  local after = outcome.retry_after(response, nil)
  if after then return after end
  local headers = type(response.headers) == "table" and response.headers or {}
  local ms = tonumber(headers["x-hubspot-ratelimit-interval-milliseconds"])
  if ms and ms > 0 then return outcome.seconds(ms / 1000) end
  return nil
end

---@param response leadrelay.Response
---@param _ctx leadrelay.Ctx
---@return leadrelay.Outcome
function M.parse_status(response, _ctx)
  local failed = outcome.transport(response)
  if failed then return failed end
  local status = response.status
  local text = error_text(response)
  local prefix = "HTTP " .. tostring(status) .. (text and (": " .. text) or "")

  if outcome.ok(response) then
    local body = outcome.body(response)
    local id = body and leadf.text(body.id)
    if id then return outcome.accepted(id) end
    return outcome.rejected("unknown", prefix .. ": a created contact without an id")
  elseif status == 409 then
    return outcome.rejected("duplicate", text or prefix)
  elseif status == 400 then
    return outcome.rejected("invalid_data", text or prefix)
  elseif status == 429 then
    return outcome.retry("rate_limited", prefix, rate_wait(response))
  elseif TIMEOUTS[status] then
    return outcome.retry("timeout", prefix, outcome.retry_after(response, nil))
  elseif TRANSIENT[status] then
    local default = status == 423 and LOCK_SECONDS or nil
    return outcome.retry("unavailable", prefix, outcome.retry_after(response, default))
  end
  return outcome.unrecognised(response, text)
end

return M
