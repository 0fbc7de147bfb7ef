-- lib/outcome.lua: building outcomes (contract section 3) and reading HTTP answers.
--
-- Outcomes are plain tables; these constructors only save typing and keep the
-- reason words to the contract's list. The readers map the classes of HTTP status
-- every network shares:
--
--   status 0, error "timeout"        -> retry   timeout      (transport failure)
--   status 0, any other error        -> retry   unavailable  (connect, dns, tls...)
--   401, 403                         -> rejected unauthorized
--   408                              -> retry   timeout
--   429                              -> retry   rate_limited (retry_after from Retry-After)
--   500-599                          -> retry   unavailable  (retry_after from Retry-After)
--
-- A status check that fails as a whole is never "rejected" (there is no lead to
-- burn): check_failed() turns the same classes into `retry` outcomes.

local json = json
local math, table = math, table
local type, tostring, tonumber, ipairs, pairs = type, tostring, tonumber, ipairs, pairs

local M = {}

--- The reasons the contract allows, as a set (REASONS.duplicate == true).
M.REASONS = {
  duplicate = true, invalid_data = true, blocked_country = true, filtered = true,
  cap_reached = true, no_redirect = true, unauthorized = true, timeout = true,
  rate_limited = true, unavailable = true, unknown = true,
}

---@param external_id? string
---@param redirect_url? string
---@param extra? table
---@return leadrelay.Outcome
function M.accepted(external_id, redirect_url, extra)
  return { outcome = "accepted", external_id = external_id, redirect_url = redirect_url, extra = extra }
end

---@param reason leadrelay.Reason
---@param message? string
---@return leadrelay.Outcome
function M.rejected(reason, message)
  return { outcome = "rejected", reason = reason, message = message }
end

---@param reason leadrelay.Reason
---@param message? string
---@param retry_after? number
---@return leadrelay.Outcome
function M.retry(reason, message, retry_after)
  return { outcome = "retry", reason = reason, message = message, retry_after = retry_after }
end

--- The usual answer of prepare() to unusable lead data.
---@param message string
---@return leadrelay.Outcome
function M.invalid(message)
  return M.rejected("invalid_data", message)
end

--- The longest wait an answer may ask for, in seconds (a week).
M.MAX_WAIT = 604800

--- Whole seconds to wait out of a number, or a numeric string, that a network sent:
-- rounded up, at most MAX_WAIT; nil when it is not a number, negative or not finite
-- ("1e999" reads as infinity, which no retry_after may be).
---@param value any
---@return integer|nil
function M.seconds(value)
  local n = tonumber(value)
  if not n or n ~= n or n < 0 or n == math.huge then return nil end
  if n > M.MAX_WAIT then return M.MAX_WAIT end
  return math.ceil(n)
end

--- Seconds from a Retry-After header given in seconds (through `seconds`), else `default`.
-- (An HTTP-date Retry-After is rare on these APIs; it falls back to `default`.)
---@param response leadrelay.Response
---@param default? number
---@return number|nil
function M.retry_after(response, default)
  local headers = response.headers
  local value = type(headers) == "table" and headers["retry-after"]
  return M.seconds(value) or default
end

--- A short human text out of an error body: the first of the usual fields that
-- holds text (message, error, error.message, errors[1], detail, title), else the
-- raw body cut to 300 bytes, else nil.
---@param body any
---@param raw? string
---@return string|nil
function M.message(body, raw)
  if type(body) == "table" then
    for _, key in ipairs({ "message", "errorMessage", "error", "detail", "title", "msg" }) do
      local v = body[key]
      if type(v) == "string" and v ~= "" then return v end
      if type(v) == "table" and type(v.message) == "string" then return v.message end
    end
    local errors = body.errors
    if type(errors) == "table" then
      local parts = {}
      for k, v in pairs(errors) do
        if type(v) == "string" then
          parts[#parts + 1] = v
        elseif type(v) == "table" then
          if type(v.message) == "string" then
            parts[#parts + 1] = v.message
          elseif type(v[1]) == "string" then
            parts[#parts + 1] = (type(k) == "string" and (k .. ": ") or "") .. v[1]
          end
        end
      end
      table.sort(parts)
      if #parts > 0 then return table.concat(parts, "; ") end
    end
  end
  if type(raw) == "string" and raw ~= "" then return raw:sub(1, 300) end
  return nil
end

--- Whether an error text says the lead already exists.
---@param text any
---@return boolean
function M.says_duplicate(text)
  if type(text) ~= "string" then return false end
  local s = text:lower()
  return s:find("duplicat", 1, true) ~= nil
    or s:find("already exist", 1, true) ~= nil
    or s:find("already registered", 1, true) ~= nil
    or s:find("already in use", 1, true) ~= nil
end

--- The retry outcome of a transport failure (status 0), or nil for a real answer.
---@param response leadrelay.Response
---@return leadrelay.Outcome|nil
function M.transport(response)
  if response.status ~= 0 then return nil end
  local err = tostring(response.error or "unknown")
  if err == "timeout" then
    return M.retry("timeout", "no answer in time (transport timeout)")
  end
  return M.retry("unavailable", "transport failure: " .. err)
end

--- The outcome of the status classes shared by all networks (table above), or nil
-- when the status is not one of them. `message` overrides the generic text.
---@param response leadrelay.Response
---@param message? string
---@return leadrelay.Outcome|nil
function M.by_status(response, message)
  local failed = M.transport(response)
  if failed then return failed end
  local status = response.status
  local prefix = "HTTP " .. tostring(status)
  local function text(default)
    if message then return prefix .. ": " .. message end
    return prefix .. ": " .. default
  end
  if status == 401 or status == 403 then
    return M.rejected("unauthorized", text("credentials refused"))
  elseif status == 408 then
    return M.retry("timeout", text("request timeout"))
  elseif status == 429 then
    return M.retry("rate_limited", text("too many requests"), M.retry_after(response, nil))
  elseif status >= 500 and status <= 599 then
    return M.retry("unavailable", text("server error"), M.retry_after(response, nil))
  end
  return nil
end

--- The outcome of a token request (a login, an OAuth refresh) that gave no token: a
-- transport failure, 429 and 5xx are retried as by_status has them (the credentials may
-- be fine); any other answer is rejected unauthorized. `text` names what failed.
---@param response leadrelay.Response
---@param text string
---@return leadrelay.Outcome
function M.token_failed(response, text)
  local status = response.status
  if status == 0 or status == 429 or (type(status) == "number" and status >= 500 and status <= 599) then
    return M.by_status(response, text)
  end
  return M.rejected("unauthorized", text)
end

--- The outcome of a delivery answer no rule of the script matched: by_status's classes
-- (transport failure, 401/403, 408, 429, 5xx), else rejected unknown naming the HTTP
-- status and `message`.
---@param response leadrelay.Response
---@param message? string
---@return leadrelay.Outcome
function M.unrecognised(response, message)
  return M.by_status(response, message)
    or M.rejected("unknown", "HTTP " .. tostring(response.status) .. (message and (": " .. message) or ""))
end

--- The `retry` outcome of a status check that failed as a whole (any answer that is
-- not a usable listing). The reason follows the same classes; anything else is
-- `unknown`.
---@param response leadrelay.Response
---@param message? string
---@return leadrelay.Outcome
function M.check_failed(response, message)
  local failed = M.transport(response)
  if failed then return failed end
  local status = response.status
  local text = "status check failed: HTTP " .. tostring(status)
  local detail = message or M.message(response.json, response.body)
  if detail then text = text .. ": " .. detail end
  if status == 401 or status == 403 then
    return M.retry("unauthorized", text)
  elseif status == 408 then
    return M.retry("timeout", text)
  elseif status == 429 then
    return M.retry("rate_limited", text, M.retry_after(response, nil))
  elseif status >= 500 and status <= 599 then
    return M.retry("unavailable", text, M.retry_after(response, nil))
  end
  return M.retry("unknown", text)
end

--- Whether a response is a 2xx answer.
---@param response leadrelay.Response
---@return boolean
function M.ok(response)
  local status = response.status
  return type(status) == "number" and status >= 200 and status <= 299
end

--- The decoded JSON body when it is a table (object or array), else nil.
---@param response leadrelay.Response
---@return table|nil
function M.body(response)
  local body = response.json
  if type(body) == "table" and body ~= json.null then return body end
  return nil
end

return M
