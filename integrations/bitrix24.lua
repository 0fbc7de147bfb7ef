--[[
Bitrix24: create a CRM lead for each lead (push) with crm.lead.add, through an inbound
webhook URL, or as an OAuth application whose refresh token rotates on every use: the
current refresh token is kept in `credentials` (durable), the access token in `cache`,
refreshed when the portal answers expired_token.

Document: Bitrix24 REST API "Create a New Lead crm.lead.add",
  https://apidocs.bitrix24.com/api-reference/crm/leads/crm-lead-add.html, "Automatic
  Renewal of OAuth 2.0 Tokens", https://apidocs.bitrix24.com/settings/oauth/auto-renewal.html,
  "Error Codes" (OAuth), https://apidocs.bitrix24.com/settings/oauth/error-codes.html and
  "Error Codes" (system errors), https://apidocs.bitrix24.com/error-codes.html

  GET https://oauth.bitrix.info/oauth/token/?grant_type=refresh_token&client_id=..
      &client_secret=..&refresh_token=..
    -> { "access_token": "...", "client_endpoint": "https://<portal>/rest/",
         "expires_in": 3600, "refresh_token": "...", "status": "T", ... }
       (the refresh token used stops working; a refresh token lives 180 days)
    -> { "error": "invalid_grant" | "invalid_client" | "invalid_request" |
         "insufficient_scope" | "invalid_scope" | "PAYMENT_REQUIRED", "error_description" }
  POST <portal>/rest/crm.lead.add.json            (OAuth: "auth" = the access token)
  POST <webhook_url>crm.lead.add.json             (webhook: https://<portal>/rest/<user>/<code>/)
    { "fields": { "TITLE", "NAME", "LAST_NAME", "PHONE": [ { "VALUE", "VALUE_TYPE":
      "WORK" } ], "EMAIL": [...], "ADDRESS_COUNTRY_CODE", "ADDRESS_CITY", "COMMENTS",
      "SOURCE_ID", "STATUS_ID": "NEW", "OPENED": "Y" }, "params": {
      "REGISTER_SONET_EVENT": "Y" } }
    -> 200 { "result": 3465, "time": {...} }
    -> 40x/50x { "error": "<CODE>", "error_description": "..." }

Params (per offer):
  webhook_url    optional  secret; an inbound webhook's URL, https://<portal>/rest/<user>/<code>/
                           (when set, the OAuth parameters are not used)
  portal         optional  the portal's address, https://<name>.bitrix24.com (OAuth)
  client_id      optional  the application's client_id (OAuth)
  client_secret  optional  secret; the application's client_secret (OAuth)
  refresh_token  optional  secret; the first refresh token (OAuth); later ones are kept in
                           `credentials`. Paste a new one after authorizing again
  oauth_server   optional  the authorization server (default https://oauth.bitrix.info)
  source_id      optional  SOURCE_ID set on the lead (default WEB)
Either webhook_url or portal, client_id, client_secret and refresh_token must be set.

Lead -> fields: TITLE <- "<full name> (<lead id>)", NAME, LAST_NAME (lib.lead.names),
PHONE (+digits) and EMAIL as WORK values, ADDRESS_COUNTRY_CODE, ADDRESS_CITY, COMMENTS,
SOURCE_ID (param), STATUS_ID NEW, OPENED Y. A lead with neither phone nor email is rejected
invalid_data before sending.

Token (OAuth): lib.rotating_token. A 401 expired_token (or invalid_token) drops the access
token, refreshes once and resends once.

Outcomes:
  200 { result: <id> }                 accepted, external_id = id
  503 QUERY_LIMIT_EXCEEDED, 429 OPERATION_TIME_LIMIT
                                       retry rate_limited
  500 INTERNAL_SERVER_ERROR, ERROR_UNEXPECTED_ANSWER, other 5xx
                                       retry unavailable
  401 NO_AUTH_FOUND, INVALID_CREDENTIALS, ACCESS_DENIED, OVERLOAD_LIMIT, INVALID_REQUEST,
  insufficient_scope, user_access_error, expired_token after the refresh; 403
  PORTAL_DELETED; 400 "Access denied." (no right to add leads)
                                       rejected unauthorized
  404 ERROR_METHOD_NOT_FOUND            rejected unknown
  any other 400 error                  rejected invalid_data, "<error>: <description>"
  a refresh that gives no token        rejected unauthorized ("token refresh failed:
                                       <error>"); 429, 5xx or no answer: retried
  transport failures                   retry timeout / unavailable (lib.outcome)

ASSUMPTIONS (the documents are silent):
  - A refused refresh answers with `error` whatever its HTTP status (400 in practice).
  - A field the portal refuses answers 400 with an error code other than the system ones.
]]

local http = http
local tostring, type = tostring, type

local leadf = require("lib.lead")
local outcome = require("lib.outcome")
local token = require("lib.rotating_token")

---@type leadrelay.Integration
local M = {
  name = "bitrix24",
  title = "Bitrix24: crm.lead.add (inbound webhook, or OAuth with a rotating refresh token)",
  actions = { "push" },
  params = {
    webhook_url = { secret = true, default = "", description = "inbound webhook URL, https://<portal>/rest/<user>/<code>/" },
    portal = { default = "", description = "the portal's address, https://<name>.bitrix24.com (OAuth)" },
    client_id = { default = "", description = "the application's client_id (OAuth)" },
    client_secret = { secret = true, default = "", description = "the application's client_secret (OAuth)" },
    refresh_token = { secret = true, default = "", description = "the first refresh token (OAuth; later ones are kept in credentials)" },
    oauth_server = { default = "https://oauth.bitrix.info", description = "the authorization server" },
    source_id = { default = "WEB", description = "SOURCE_ID set on the lead" },
  },
  limits = { timeout = 30, rate = "2/1s" },
}

-- System and method errors -> outcome, reason.
local ERRORS = {
  QUERY_LIMIT_EXCEEDED = { "retry", "rate_limited" },
  OPERATION_TIME_LIMIT = { "retry", "rate_limited" },
  INTERNAL_SERVER_ERROR = { "retry", "unavailable" },
  ERROR_UNEXPECTED_ANSWER = { "retry", "unavailable" },
  NO_AUTH_FOUND = { "rejected", "unauthorized" },
  INVALID_CREDENTIALS = { "rejected", "unauthorized" },
  ACCESS_DENIED = { "rejected", "unauthorized" },
  OVERLOAD_LIMIT = { "rejected", "unauthorized" },
  INVALID_REQUEST = { "rejected", "unauthorized" },
  insufficient_scope = { "rejected", "unauthorized" },
  user_access_error = { "rejected", "unauthorized" },
  expired_token = { "rejected", "unauthorized" },
  invalid_token = { "rejected", "unauthorized" },
  PORTAL_DELETED = { "rejected", "unauthorized" },
  ERROR_METHOD_NOT_FOUND = { "rejected", "unknown" },
}

local function multi(value)
  if not value then return nil end
  return { { VALUE = value, VALUE_TYPE = "WORK" } }
end

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  local params = ctx.params
  local webhook = leadf.text(params.webhook_url)
  if not webhook and not (leadf.text(params.portal) and leadf.text(params.client_id) and leadf.text(params.refresh_token)) then
    error("set webhook_url, or portal, client_id, client_secret and refresh_token (OAuth)")
  end
  local phone, email = leadf.phone_plus(lead.phone), leadf.email(lead.email)
  if not phone and not email then
    return outcome.invalid("missing field: phone or email")
  end
  local first, last = leadf.names(lead)
  local address = type(lead.address) == "table" and lead.address or {}
  local base = webhook or (params.portal .. "/rest/")
  if base:sub(-1) ~= "/" then base = base .. "/" end
  return {
    method = "POST",
    url = base .. "crm.lead.add.json",
    json = {
      fields = {
        TITLE = (leadf.full_name(lead) or email or phone) .. " (" .. tostring(lead.id) .. ")",
        NAME = first,
        LAST_NAME = last,
        PHONE = multi(phone),
        EMAIL = multi(email),
        ADDRESS_COUNTRY_CODE = leadf.country(lead.country),
        ADDRESS_CITY = leadf.text(address.city),
        COMMENTS = leadf.text(lead.comment),
        SOURCE_ID = leadf.text(params.source_id),
        STATUS_ID = "NEW",
        OPENED = "Y",
      },
      params = { REGISTER_SONET_EVENT = "Y" },
    },
  }
end

local function oauth(params)
  return {
    client_id = params.client_id,
    seed = params.refresh_token,
    request = function(refresh_token)
      return http.request({
        method = "GET",
        url = params.oauth_server .. "/oauth/token/",
        query = {
          grant_type = "refresh_token",
          client_id = params.client_id,
          client_secret = params.client_secret,
          refresh_token = refresh_token,
        },
      })
    end,
    read = function(response)
      local body = outcome.ok(response) and outcome.body(response)
      local access = body and leadf.text(body.access_token)
      if not access then return nil end
      return access, leadf.text(body.refresh_token), body.expires_in
    end,
  }
end

local function error_of(response)
  local body = outcome.body(response)
  return body and leadf.text(body.error), body and leadf.text(body.error_description)
end

---@param request leadrelay.Request
---@param ctx leadrelay.Ctx
---@return leadrelay.Response
function M.send(request, ctx)
  if leadf.text(ctx.params.webhook_url) then return http.request(request) end
  local o = oauth(ctx.params)
  local access, failed = token.access_token(o)
  for round = 1, 2 do
    if not access then
      ctx.state.refresh_failed = true
      return failed
    end
    request.json.auth = access
    local response = http.request(request)
    local code = error_of(response)
    if round == 2 or response.status ~= 401 or (code ~= "expired_token" and code ~= "invalid_token") then return response end
    access, failed = token.refresh(o)
  end
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Outcome
function M.parse_status(response, ctx)
  local code, description = error_of(response)
  local text = code and (code .. (description and (": " .. description) or "")) or description
  if ctx.state.refresh_failed then
    local message = "token refresh failed: " .. (text or ("HTTP " .. tostring(response.status)))
    return outcome.token_failed(response, message)
  end
  local failed = outcome.transport(response)
  if failed then return failed end
  local status = response.status
  local body = outcome.body(response)
  if outcome.ok(response) and body and body.result ~= nil and not code then
    local id = body.result
    if type(id) == "number" or type(id) == "string" then return outcome.accepted(tostring(id)) end
  end
  local rule = code and ERRORS[code]
  if rule then
    local message = "HTTP " .. tostring(status) .. ": " .. text
    if rule[1] == "retry" then return outcome.retry(rule[2], message, outcome.retry_after(response, nil)) end
    return outcome.rejected(rule[2], message)
  end
  if status == 400 and description == "Access denied." then return outcome.rejected("unauthorized", "HTTP 400: Access denied.") end
  if status == 400 and text then return outcome.rejected("invalid_data", "HTTP 400: " .. text) end
  return outcome.unrecognised(response, text)
end

return M
