--[[
amoCRM: create a lead with its contact for each lead (push), in one call of API v4's
"complex" method, with an OAuth access token obtained from a refresh token that rotates
on every use: the current refresh token is kept in `credentials` (durable), the access
token in `cache`, refreshed on 401.

Document: amoCRM API v4 "Leads", "Adding leads with contacts and companies (complex)",
  https://www.amocrm.com/developers/content/api_v4/leads-2/ (the same API as Kommo's
  "Add complex leads", https://developers.kommo.com/reference/complex-leads), "oAuth 2.0",
  https://www.amocrm.com/developers/content/oauth/oauth/ with "Get/renew access token",
  https://developers.kommo.com/reference/get-token, and "List of API errors and
  responses", https://www.amocrm.com/developers/content/api/errors

  POST {base_url}/oauth2/access_token
    { "client_id", "client_secret", "grant_type": "refresh_token", "refresh_token",
      "redirect_uri" }
    -> { "token_type": "Bearer", "expires_in": 86400, "access_token": "...",
         "refresh_token": "..." }       (the refresh token used stops working)
  POST {base_url}/api/v4/leads/complex
    Authorization: Bearer <access token>
    [ { "name": ..., "pipeline_id": ..., "_embedded": { "contacts": [ { "first_name",
        "last_name", "custom_fields_values": [ { "field_code": "PHONE", "values":
        [ { "value", "enum_code": "WORK" } ] }, { "field_code": "EMAIL", ... } ] } ] } } ]
    -> 200 [ { "id": 9774766, "contact_id": 12117258, "company_id": null,
               "request_id": ["0"], "merged": false } ]
  Errors come as application/problem+json: { "title", "type", "status", "detail" }, a
  400 with "validation-errors": [ { "request_id", "errors": [ { "code", "path",
  "detail" } ] } ].

Params (per offer):
  base_url       required  the account's address, https://<subdomain>.amocrm.ru (or .com)
  client_id      required  the integration's id
  client_secret  required  secret; the integration's secret key
  redirect_uri   required  the integration's redirect URI (sent with each refresh)
  refresh_token  required  secret; the first refresh token (from the authorization code);
                           later ones are kept in `credentials`. Paste a new one here after
                           authorizing again: the stored chain is then dropped
  pipeline_id    optional  the pipeline the lead goes to (default: the main one)

Lead -> complex lead: name <- "<full name> (<lead id>)", the contact's first_name,
last_name (lib.lead.names), PHONE (+digits) and EMAIL as WORK values; pipeline_id when
set. A lead with neither phone nor email is rejected invalid_data before sending.

Token: lib.rotating_token. `send` uses the cached access token, or refreshes with the
stored refresh token (the parameter's on first use) and saves the rotated one; a 401
drops the access token, refreshes once and resends once.

Outcomes:
  200 with an id, merged false         accepted, external_id = id
  200 with an id, merged true          rejected duplicate (duplicate control merged it)
  400 validation-errors                rejected invalid_data, "<code> at <path>: <detail>"
  401 after the refresh                rejected unauthorized
  402 Payment Required (account unpaid), 403 Forbidden (account blocked, IP not allowed)
                                       rejected unauthorized
  404                                  rejected unknown (fix base_url)
  429 (more than 7 requests a second)  retry rate_limited (Retry-After when sent)
  5xx                                  retry unavailable
  a refresh that gives no token        rejected unauthorized ("token refresh failed:
                                       <hint or detail>"); 429, 5xx or no answer: retried
  transport failures                   retry timeout / unavailable (lib.outcome)

ASSUMPTIONS (the documents are silent):
  - A refused refresh answers 400 or 401 with a problem+json body (title, detail, hint).
  - The answer of an accepted lead is the list, its first item the lead sent.
]]

local http, table = http, table
local tostring, tonumber, type, ipairs = tostring, tonumber, type, ipairs

local leadf = require("lib.lead")
local outcome = require("lib.outcome")
local token = require("lib.rotating_token")

---@type leadrelay.Integration
local M = {
  name = "amocrm",
  title = "amoCRM: add leads with contacts (API v4 complex, rotating OAuth refresh token)",
  actions = { "push" },
  params = {
    base_url = { required = true, description = "the account's address, https://<subdomain>.amocrm.ru" },
    client_id = { required = true, description = "the integration's id" },
    client_secret = { required = true, secret = true, description = "the integration's secret key" },
    redirect_uri = { required = true, description = "the integration's redirect URI" },
    refresh_token = { required = true, secret = true, description = "the first refresh token (later ones are kept in credentials)" },
    pipeline_id = { default = "", description = "pipeline the lead goes to (default: the main one)" },
  },
  limits = { timeout = 30, rate = "7/1s" },
}

---@param lead leadrelay.Lead
---@param ctx leadrelay.Ctx
---@return leadrelay.Request|leadrelay.Outcome
function M.prepare(lead, ctx)
  local params = ctx.params
  local phone, email = leadf.phone_plus(lead.phone), leadf.email(lead.email)
  if not phone and not email then
    return outcome.invalid("missing field: phone or email (the contact needs one)")
  end
  local first, last = leadf.names(lead)
  local values = {}
  if phone then values[#values + 1] = { field_code = "PHONE", values = { { value = phone, enum_code = "WORK" } } } end
  if email then values[#values + 1] = { field_code = "EMAIL", values = { { value = email, enum_code = "WORK" } } } end
  local name = leadf.full_name(lead) or email or phone
  return {
    method = "POST",
    url = params.base_url .. "/api/v4/leads/complex",
    headers = {},
    json = {
      {
        name = name .. " (" .. tostring(lead.id) .. ")",
        pipeline_id = tonumber(params.pipeline_id),
        _embedded = { contacts = { { first_name = first, last_name = last, custom_fields_values = values } } },
      },
    },
  }
end

local function oauth(params)
  return {
    client_id = params.client_id,
    seed = params.refresh_token,
    request = function(refresh_token)
      return http.request({
        method = "POST",
        url = params.base_url .. "/oauth2/access_token",
        json = {
          client_id = params.client_id,
          client_secret = params.client_secret,
          grant_type = "refresh_token",
          refresh_token = refresh_token,
          redirect_uri = params.redirect_uri,
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

---@param request leadrelay.Request
---@param ctx leadrelay.Ctx
---@return leadrelay.Response
function M.send(request, ctx)
  local o = oauth(ctx.params)
  local access, failed = token.access_token(o)
  for round = 1, 2 do
    if not access then
      ctx.state.refresh_failed = true
      return failed
    end
    request.headers.Authorization = "Bearer " .. access
    local response = http.request(request)
    if round == 2 or response.status ~= 401 then return response end
    access, failed = token.refresh(o)
  end
end

-- "<title>: <detail>" of a problem+json body, with its hint.
local function problem(body)
  if not body then return nil end
  local parts = {}
  for _, part in ipairs({ leadf.text(body.title), leadf.text(body.detail), leadf.text(body.hint) }) do
    if part then parts[#parts + 1] = part end
  end
  if #parts == 0 then return nil end
  return table.concat(parts, ": ")
end

-- The first validation error: "<code> at <path>: <detail>".
local function validation(body)
  local groups = body and body["validation-errors"]
  local group = type(groups) == "table" and groups[1]
  local first = type(group) == "table" and type(group.errors) == "table" and group.errors[1]
  if type(first) ~= "table" then return nil end
  local text = leadf.text(first.code) or "invalid"
  if leadf.text(first.path) then text = text .. " at " .. first.path end
  if leadf.text(first.detail) then text = text .. ": " .. first.detail end
  return text
end

---@param response leadrelay.Response
---@param ctx leadrelay.Ctx
---@return leadrelay.Outcome
function M.parse_status(response, ctx)
  local body = outcome.body(response)
  if ctx.state.refresh_failed then
    local text = "token refresh failed: " .. (problem(body) or ("HTTP " .. tostring(response.status)))
    return outcome.token_failed(response, text)
  end
  local failed = outcome.transport(response)
  if failed then return failed end
  local status = response.status
  if outcome.ok(response) then
    local item = body and body[1]
    local id = type(item) == "table" and leadf.text(item.id) or nil
    if not id then return outcome.rejected("unknown", "HTTP " .. tostring(status) .. ": no lead id in the answer") end
    if item.merged == true then
      return outcome.rejected("duplicate", "merged into lead " .. id .. " by duplicate control")
    end
    return outcome.accepted(id)
  end
  local text = problem(body)
  if status == 400 then return outcome.rejected("invalid_data", "HTTP 400: " .. (validation(body) or text or "bad request")) end
  if status == 402 then return outcome.rejected("unauthorized", "HTTP 402: " .. (text or "payment required")) end
  if status == 404 then return outcome.rejected("unknown", "HTTP 404: " .. (text or "not found") .. " (check base_url)") end
  return outcome.unrecognised(response, text)
end

return M
