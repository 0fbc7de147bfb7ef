--[[
Zoho CRM: create a record in the Leads module for each lead (push), or for each lead
approved on our side (approved), with an OAuth access token obtained from a (non-rotating)
refresh token, cached and refreshed on 401.

Document: Zoho CRM API v2 "Insert Records",
  https://www.zoho.com/crm/developer/docs/api/v2/insert-records.html, "Refresh Access
  Token", https://www.zoho.com/crm/developer/docs/api/v2/refresh.html, and "Status
  Codes", https://www.zoho.com/crm/developer/docs/api/v2/status-codes.html; Zoho CRM's
  "Kaizen #25 - Zoho CRM API - Common Errors and Error Handling",
  https://help.zoho.com/portal/en/community/topic/kaizen-25-zoho-crm-api-common-errors-and-error-handling

  POST {accounts_url}/oauth/v2/token?refresh_token=..&client_id=..&client_secret=..
       &grant_type=refresh_token
    -> { "access_token": "...", "api_domain": "https://www.zohoapis.com",
         "token_type": "Bearer", "expires_in": 3600 }       (tokens last an hour)
  POST {api_domain}/crm/v2/Leads
    Authorization: Zoho-oauthtoken <access token>
    { "data": [ { "Last_Name": ..., "First_Name": ..., "Email": ..., ... } ] }
    -> 201 { "data": [ { "code": "SUCCESS", "details": { "id": "..." },
                         "message": "record added", "status": "success" } ] }

  Each record of the answer has its own `code`; errors of the whole call have a top-level
  `code`, `message`, `details`, `status: "error"`. Duplicates are checked on every insert
  against the module's unique fields. Last_Name is the Leads module's mandatory field.

Params (per offer):
  client_id      required  the OAuth client's id (Zoho API console, self client)
  client_secret  required  secret; the OAuth client's secret
  refresh_token  required  secret; a refresh token with scope ZohoCRM.modules.leads.CREATE
                           (or ZohoCRM.modules.ALL); Zoho's do not rotate on use
  accounts_url   optional  the data centre's accounts server (default
                           https://accounts.zoho.com; .eu, .in, .com.au, .jp ...)
  api_domain     optional  the data centre's API domain (default https://www.zohoapis.com)
  lead_source    optional  Lead_Source picklist value set on the record (default: none)
  company        optional  Company set on the record (default: none)

Lead -> record: Last_Name, First_Name (lib.lead.names), Email, Phone (+digits), Country
(ISO alpha-2 as given), City, Zip_Code, Street <- lead.address.{city, zip, street},
Description <- comment, Lead_Source and Company (params). A lead without a last name
(nor a full name to split) is rejected invalid_data before sending.

Token: `send` reads the access token from `cache` (key per client_id); without one it
refreshes and caches it for expires_in minus 60 s. A 401 with code INVALID_TOKEN (an
expired or revoked access token) drops the cached token, refreshes once and resends once.

Outcomes (record code, else the call's code, else the HTTP status):
  SUCCESS (201)                        accepted, external_id = details.id
  DUPLICATE_DATA                       rejected duplicate ("duplicate data", api_name)
  INVALID_DATA, MANDATORY_NOT_FOUND, PATTERN_NOT_MATCHED
                                       rejected invalid_data, with details.api_name
  INVALID_TOKEN after the refresh, OAUTH_SCOPE_MISMATCH, AUTHENTICATION_FAILED (also spelt
  AUTHENTICATION_FAILURE), NO_PERMISSION (401/403)
                                       rejected unauthorized
  a refresh that gives no access token rejected unauthorized ("token refresh failed: <error>")
  INVALID_MODULE, INVALID_URL_PATTERN (400/404)
                                       rejected unknown (fix api_domain)
  429 (TOO_MANY_REQUESTS: API credits or concurrency)
                                       retry rate_limited (Retry-After when sent)
  500 INTERNAL_ERROR, other 5xx        retry unavailable
  transport failures                   retry timeout / unavailable (lib.outcome)

ASSUMPTIONS (the document is silent):
  - The refresh answer's failures: Zoho answers a bad refresh token or client with a body
    holding `error` (e.g. "invalid_code", "invalid_client") and no access_token, whatever
    its HTTP status; any such answer is unauthorized, except transport failures, 429 and
    5xx, which are retried.
  - A record error inside any HTTP status (201, 202 or 400) is read from data[1].code.
  - api_domain is a param rather than the refresh answer's api_domain, so the request is
    fully built in prepare; set it to the answer's value for another data centre.
]]

local http = http
local cache = cache
local math, table = math, table
local type, tostring, tonumber, ipairs = type, tostring, tonumber, ipairs

local leadf = require("lib.lead")
local outcome = require("lib.outcome")

---@type leadrelay.Integration
local M = {
  name = "zoho_crm",
  title = "Zoho CRM: insert Leads records (API v2, OAuth refresh token)",
  actions = { "push", "approved" },
  params = {
    client_id = { required = true, description = "OAuth client id" },
    client_secret = { required = true, secret = true, description = "OAuth client secret" },
    refresh_token = { required = true, secret = true, description = "OAuth refresh token (scope ZohoCRM.modules.leads.CREATE)" },
    accounts_url = { default = "https://accounts.zoho.com", description = "accounts server of the data centre" },
    api_domain = { default = "https://www.zohoapis.com", description = "API domain of the data centre" },
    lead_source = { default = "", description = "Lead_Source value set on the record" },
    company = { default = "", description = "Company set on the record" },
  },
  limits = { timeout = 30 },
}

-- Record and call codes -> outcome, reason.
local CODES = {
  DUPLICATE_DATA = { "rejected", "duplicate" },
  INVALID_DATA = { "rejected", "invalid_data" },
  MANDATORY_NOT_FOUND = { "rejected", "invalid_data" },
  PATTERN_NOT_MATCHED = { "rejected", "invalid_data" },
  INVALID_TOKEN = { "rejected", "unauthorized" },
  OAUTH_SCOPE_MISMATCH = { "rejected", "unauthorized" },
  AUTHENTICATION_FAILED = { "rejected", "unauthorized" },
  AUTHENTICATION_FAILURE = { "rejected", "unauthorized" },
  NO_PERMISSION = { "rejected", "unauthorized" },
  INVALID_MODULE = { "rejected", "unknown" },
  INVALID_URL_PATTERN = { "rejected", "unknown" },
  TOO_MANY_REQUESTS = { "retry", "rate_limited" },
  INTERNAL_ERROR = { "retry", "unavailable" },
}

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  local params = ctx.params
  local first, last = leadf.names(lead)
  if not last then
    return outcome.invalid("missing field: last_name (Zoho's Leads need Last_Name)")
  end
  local address = type(lead.address) == "table" and lead.address or {}
  local record = {
    Last_Name = last,
    First_Name = first,
    Email = leadf.email(lead.email),
    Phone = leadf.phone_plus(lead.phone),
    Country = leadf.country(lead.country),
    City = leadf.text(address.city),
    Zip_Code = leadf.text(address.zip),
    Street = leadf.text(address.street),
    Description = leadf.text(lead.comment),
    Lead_Source = leadf.text(params.lead_source),
    Company = leadf.text(params.company),
  }
  return {
    method = "POST",
    url = params.api_domain .. "/crm/v2/Leads",
    headers = {},
    json = { data = { record } },
  }
end

local function token_key(params)
  return "access_token:" .. tostring(params.client_id)
end

-- A new access token, cached; or nil and the refresh answer.
local function refresh(params)
  local response = http.request({
    method = "POST",
    url = params.accounts_url .. "/oauth/v2/token",
    query = {
      refresh_token = params.refresh_token,
      client_id = params.client_id,
      client_secret = params.client_secret,
      grant_type = "refresh_token",
    },
  })
  local body = outcome.body(response)
  local token = outcome.ok(response) and body and leadf.text(body.access_token)
  if not token then return nil, response end
  local ttl = math.max((tonumber(body.expires_in) or 3600) - 60, 60)
  cache.set(token_key(params), token, ttl)
  return token
end

local function code_of(response)
  local body = outcome.body(response)
  return body and leadf.text(body.code)
end

---@param request leadrelay.Request
---@param ctx leadrelay.Ctx
---@return leadrelay.Response
function M.send(request, ctx)
  local params = ctx.params
  local token = cache.get(token_key(params))
  for round = 1, 2 do
    if not token then
      local failed
      token, failed = refresh(params)
      if not token then
        ctx.state.refresh_failed = true
        return failed
      end
    end
    -- A secret of the call, wherever an answer or a log line shows it.
    log.secret(token)
    request.headers.Authorization = "Zoho-oauthtoken " .. token
    local response = http.request(request)
    local expired = response.status == 401 and (code_of(response) or "INVALID_TOKEN") == "INVALID_TOKEN"
    if round == 2 or not expired then return response end
    cache.delete(token_key(params))
    token = nil
  end
end

-- The outcome of a refresh that gave no token.
local function refresh_outcome(response)
  local body = outcome.body(response)
  local reason = body and (leadf.text(body.error) or leadf.text(body.error_description))
  local text = "token refresh failed: " .. (reason or ("HTTP " .. tostring(response.status)))
  return outcome.token_failed(response, text)
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Outcome
function M.parse_status(response, ctx)
  if ctx.state.refresh_failed then return refresh_outcome(response) end
  local failed = outcome.transport(response)
  if failed then return failed end
  local body = outcome.body(response)
  local item = body
  if body and type(body.data) == "table" and type(body.data[1]) == "table" then item = body.data[1] end
  local code = item and leadf.text(item.code)
  if code == "SUCCESS" then
    local details = type(item.details) == "table" and item.details or {}
    local id = leadf.text(details.id)
    if id then return outcome.accepted(id) end
    return outcome.rejected("unknown", "HTTP " .. tostring(response.status) .. ": SUCCESS without details.id")
  end
  local text
  if item then
    local details = type(item.details) == "table" and item.details or {}
    local field = leadf.text(details.api_name)
    local parts = {}
    for _, part in ipairs({ code or "", leadf.text(item.message) or "", field and ("field " .. field) or "" }) do
      if part ~= "" then parts[#parts + 1] = part end
    end
    if #parts > 0 then text = table.concat(parts, ": ") end
  end
  local rule = code and CODES[code]
  if rule then
    local message = "HTTP " .. tostring(response.status) .. ": " .. (text or code)
    if rule[1] == "retry" then
      return outcome.retry(rule[2], message, outcome.retry_after(response, nil))
    end
    return outcome.rejected(rule[2], message)
  end
  return outcome.unrecognised(response, text or outcome.message(body, response.body))
end

return M
