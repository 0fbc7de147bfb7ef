--[[
Salesforce: create a Lead record for each lead (push), or for each lead approved on our
side (approved), with an access token of the OAuth 2.0 client credentials flow, cached
with its instance_url and refreshed once on 401 INVALID_SESSION_ID.

Document: Salesforce REST API Developer Guide "Create a Record",
  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm,
  and "Status Codes and Error Responses",
  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm;
  Object Reference for the Salesforce Platform "Lead",
  https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm;
  Salesforce Help "OAuth 2.0 Client Credentials Flow for Server-to-Server Integration",
  https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_oauth_client_credentials_flow.htm

  POST {domain_url}/services/oauth2/token      (form, the org's My Domain URL)
    grant_type=client_credentials&client_id=<consumer key>&client_secret=<consumer secret>
    -> 200 { "access_token": "00D...!AR8...", "instance_url": "https://<org>.my.salesforce.com",
             "id": "...", "token_type": "Bearer", "issued_at": "...", "signature": "..." }
  POST {instance_url}/services/data/v{api_version}/sobjects/Lead/
    Authorization: Bearer <access token>
    { "LastName": ..., "Company": ..., "FirstName": ..., "Email": ..., ... }
    -> 201 { "id": "00Q...", "errors": [], "success": true }

  The document: an error answer is a JSON array of { "message", "errorCode", "fields" }
  (e.g. [{"message":"The Id field should not be specified in the sobject data.",
  "errorCode":"INVALID_FIELD"}]); 401 is an expired or invalid session or OAuth token;
  403 is a refused request, REQUEST_LIMIT_EXCEEDED when the org's API request limit is
  spent; 500 an error inside Salesforce; 503 the server too busy to take the request.
  A Lead needs LastName and Company (the object reference; City holds 40 characters,
  FirstName 40, LastName 80, Company 255: longer is STRING_TOO_LONG). The token endpoint answers a refused client with
  { "error": "invalid_client", "error_description": "..." } (RFC 6749 error codes).

Params (per offer):
  domain_url     required  the org's My Domain URL, https://<MyDomainName>.my.salesforce.com
                           (the client credentials flow's token endpoint is on it)
  client_id      required  the external client app's consumer key
  client_secret  required  secret; the external client app's consumer secret
  api_version    optional  REST API version without "v" (default 62.0)
  company        optional  Company set on the Lead when the lead has no extra.company
                           (default "[not provided]")
  lead_source    optional  LeadSource picklist value set on the Lead (default: none)

Lead -> Lead record: LastName, FirstName (lib.lead.names), Email, Phone (+digits),
Country (ISO alpha-2 as given), City, PostalCode, Street <- lead.address.{city, zip,
street}, Description <- comment, Company <- extra.company else the company param,
LeadSource (param). A lead without a last name (nor a full name to split) is rejected
invalid_data before sending.

Token: `send` reads { access_token, instance_url } from `cache` (key per domain_url and
client_id); without it, it asks the token endpoint and caches the answer for 55 minutes.
A 401 (INVALID_SESSION_ID, or any 401) drops the cached token, asks once more and resends
once; the Lead goes to the answer's instance_url. The access token is registered with
log.secret on every call that uses it.

Outcomes (errorCode of the first error, else the HTTP status):
  201 with an id                       accepted, external_id = the Lead's id
  DUPLICATES_DETECTED, DUPLICATE_VALUE rejected duplicate (a duplicate rule, a unique field)
  REQUIRED_FIELD_MISSING, INVALID_FIELD, STRING_TOO_LONG, INVALID_EMAIL_ADDRESS,
  FIELD_CUSTOM_VALIDATION_EXCEPTION, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
  INVALID_TYPE_ON_FIELD_IN_RECORD, JSON_PARSER_ERROR (400)
                                       rejected invalid_data, with the fields named
  INVALID_SESSION_ID after the refresh, INSUFFICIENT_ACCESS_OR_READONLY,
  API_DISABLED_FOR_ORG, other 401/403  rejected unauthorized
  a token answer without access_token or instance_url, or whose instance_url is not a
  bare origin (user info, path, query) or is http while domain_url is https
                                       rejected unauthorized ("token request failed: <error>")
  REQUEST_LIMIT_EXCEEDED (403)         retry rate_limited (Retry-After when sent)
  UNABLE_TO_LOCK_ROW                   retry unavailable
  NOT_FOUND (404: a wrong api_version or domain)
                                       rejected unknown
  500, 503 (SERVER_UNAVAILABLE), other 5xx
                                       retry unavailable (Retry-After when sent)
  transport failures                   retry timeout / unavailable (lib.outcome)

ASSUMPTIONS (the document is silent):
  - The client credentials answer carries no expires_in; the token is kept 55 minutes
    (orgs' session timeouts run from 15 minutes to 24 hours) and the 401 refresh covers
    an org whose sessions end sooner.
  - The Lead object has no field for the lead's language, IP or click id; they are not sent.
  - A token endpoint answer of 429 or 5xx, or a transport failure, is retried; any other
    answer without a token is unauthorized.
]]

local http = http
local cache, log = cache, log
local type, tostring = type, tostring

local leadf = require("lib.lead")
local outcome = require("lib.outcome")

---@type leadrelay.Integration
local M = {
  name = "salesforce",
  title = "Salesforce: create Lead records (REST API, OAuth client credentials)",
  actions = { "push", "approved" },
  params = {
    domain_url = { required = true, description = "My Domain URL, https://<MyDomainName>.my.salesforce.com" },
    client_id = { required = true, description = "external client app's consumer key" },
    client_secret = { required = true, secret = true, description = "external client app's consumer secret" },
    api_version = { default = "62.0", description = "REST API version without v" },
    company = { default = "[not provided]", description = "Company set on the Lead when the lead has no extra.company" },
    lead_source = { default = "", description = "LeadSource value set on the Lead" },
  },
  limits = { timeout = 30 },
}

local TOKEN_TTL = 3300
local MAX_TOKEN = 4096

-- errorCode -> outcome, reason.
local CODES = {
  DUPLICATES_DETECTED = { "rejected", "duplicate" },
  DUPLICATE_VALUE = { "rejected", "duplicate" },
  REQUIRED_FIELD_MISSING = { "rejected", "invalid_data" },
  INVALID_FIELD = { "rejected", "invalid_data" },
  STRING_TOO_LONG = { "rejected", "invalid_data" },
  INVALID_EMAIL_ADDRESS = { "rejected", "invalid_data" },
  FIELD_CUSTOM_VALIDATION_EXCEPTION = { "rejected", "invalid_data" },
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST = { "rejected", "invalid_data" },
  INVALID_TYPE_ON_FIELD_IN_RECORD = { "rejected", "invalid_data" },
  JSON_PARSER_ERROR = { "rejected", "invalid_data" },
  INVALID_SESSION_ID = { "rejected", "unauthorized" },
  INSUFFICIENT_ACCESS_OR_READONLY = { "rejected", "unauthorized" },
  API_DISABLED_FOR_ORG = { "rejected", "unauthorized" },
  NOT_FOUND = { "rejected", "unknown" },
  REQUEST_LIMIT_EXCEEDED = { "retry", "rate_limited" },
  UNABLE_TO_LOCK_ROW = { "retry", "unavailable" },
  SERVER_UNAVAILABLE = { "retry", "unavailable" },
}

local function lead_path(params)
  return "/services/data/v" .. tostring(params.api_version) .. "/sobjects/Lead/"
end

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  local params = ctx.params
  local first, last = leadf.names(lead)
  if not last then
    return outcome.invalid("missing field: last_name (a Salesforce Lead needs LastName)")
  end
  local address = type(lead.address) == "table" and lead.address or {}
  local record = {
    LastName = last,
    FirstName = first,
    Company = leadf.text(leadf.extra(lead, "company")) or leadf.text(params.company) or "[not provided]",
    Email = leadf.email(lead.email),
    Phone = leadf.phone_plus(lead.phone),
    Country = leadf.country(lead.country),
    City = leadf.text(address.city),
    PostalCode = leadf.text(address.zip),
    Street = leadf.text(address.street),
    Description = leadf.text(lead.comment),
    LeadSource = leadf.text(params.lead_source),
  }
  -- The URL's origin is the org's My Domain until send() knows the token's instance_url.
  return {
    method = "POST",
    url = params.domain_url .. lead_path(params),
    headers = {},
    json = record,
  }
end

local function token_key(params)
  return "token:" .. tostring(params.domain_url) .. ":" .. tostring(params.client_id)
end

-- The token answer's instance_url when it is a bare origin (scheme, host, optional port:
-- no user info, path, query or fragment that could hide another host) and https, or
-- http only when domain_url itself is http (a loopback test server): the Lead and its
-- bearer token never go out in clear because a token answer said so.
local function instance_origin(v, domain_url)
  local s = leadf.text(v)
  if not s then return nil end
  local scheme, host = s:match("^(https?)://([%w%.%-]+)$")
  if not host then scheme, host = s:match("^(https?)://([%w%.%-]+):%d+$") end
  if not host or host:find("^[%.%-]") then return nil end
  if scheme == "http" and not tostring(domain_url):match("^http://") then return nil end
  return s
end

-- A session's access token registered as a secret of the call (masked wherever an
-- answer echoes it), or nil when it is not a usable token.
local function session_token(v)
  local token = leadf.text(v)
  if not token or #token > MAX_TOKEN then return nil end
  return log.secret(token)
end

-- A new session { access_token, instance_url }, cached; or nil and the token answer.
local function login(params)
  local response = http.request({
    method = "POST",
    url = params.domain_url .. "/services/oauth2/token",
    form = {
      grant_type = "client_credentials",
      client_id = params.client_id,
      client_secret = params.client_secret,
    },
  })
  local body = outcome.body(response)
  local token = outcome.ok(response) and body and session_token(body.access_token)
  local instance = body and instance_origin(body.instance_url, params.domain_url)
  if not (token and instance) then return nil, response end
  local session = { access_token = token, instance_url = instance }
  cache.set(token_key(params), session, TOKEN_TTL)
  return session
end

---@param request leadrelay.Request
---@param ctx leadrelay.Ctx
---@return leadrelay.Response
function M.send(request, ctx)
  local params = ctx.params
  local session = cache.get(token_key(params))
  if type(session) ~= "table" or not session_token(session.access_token) then session = nil end
  for round = 1, 2 do
    if not session then
      local failed
      session, failed = login(params)
      if not session then
        ctx.state.login_failed = true
        return failed
      end
    end
    request.url = session.instance_url .. lead_path(params)
    request.headers.Authorization = "Bearer " .. session.access_token
    local response = http.request(request)
    if round == 2 or response.status ~= 401 then return response end
    cache.delete(token_key(params))
    session = nil
  end
end

-- The outcome of a token answer that gave no session.
local function login_outcome(response)
  local body = outcome.body(response)
  local err = body and leadf.text(body.error)
  local description = body and leadf.text(body.error_description)
  local reason = err and description and (err .. ": " .. description) or err or description
  if outcome.ok(response) and not reason then reason = "no access_token or instance_url in the answer" end
  local text = "token request failed: " .. (reason or ("HTTP " .. tostring(response.status)))
  return outcome.token_failed(response, text)
end

-- The first error of Salesforce's error array (or a lone error object): code and text.
local function first_error(response)
  local body = outcome.body(response)
  if not body then return nil, outcome.message(nil, response.body) end
  local item = type(body[1]) == "table" and body[1] or body
  local code = leadf.text(item.errorCode)
  local parts = { leadf.text(item.message) }
  if type(item.fields) == "table" and #item.fields > 0 then
    parts[#parts + 1] = "fields " .. leadf.join(item.fields, ", ")
  end
  local text = leadf.join(parts, "; ")
  if code then text = code .. (text ~= "" and (": " .. text) or "") end
  if text == "" then text = nil end
  return code, text
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Outcome
function M.parse_status(response, ctx)
  if ctx.state.login_failed then return login_outcome(response) end
  local failed = outcome.transport(response)
  if failed then return failed end
  local status = response.status
  if outcome.ok(response) then
    local body = outcome.body(response)
    local id = body and body.success ~= false and leadf.text(body.id)
    if id then return outcome.accepted(id) end
    return outcome.rejected("unknown", "HTTP " .. tostring(status) .. ": a created Lead without an id")
  end
  local code, text = first_error(response)
  local rule = code and CODES[code]
  if rule then
    local message = "HTTP " .. tostring(status) .. ": " .. text
    if rule[1] == "retry" then
      return outcome.retry(rule[2], message, outcome.retry_after(response, nil))
    end
    return outcome.rejected(rule[2], message)
  end
  return outcome.unrecognised(response, text)
end

return M
