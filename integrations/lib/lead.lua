-- lib/lead.lua: reading and normalising lead fields (contract section 5).
--
-- Shared by the integrations through `require("lib.lead")`. Every function is pure
-- (no I/O, no module state) and never raises on odd data: a value that cannot be used
-- comes back as nil, so that prepare() can answer `rejected / invalid_data` with a
-- message instead of failing with a Lua error (which would be outcome `error`).

local crypto = crypto
local table, utf8 = table, utf8
local type, ipairs = type, ipairs

local M = {}

-- The checks that run for every lead (text, flag, email, phone, country, language, ip)
-- are the host's `fields` functions: the same rules, without Lua patterns.
local fields = fields
local text = fields.text

--- A trimmed, non-empty string for a scalar value, else nil.
-- nil, json.null, "", "   ", tables and functions give nil; integral floats print
-- without a fraction (49.0 -> "49"), so ids decoded as floats stay readable.
---@type fun(v: any): string|nil
M.text = text

--- True for the usual spellings of "yes" in offer params: true, 1, "1", "true", "yes", "on".
---@type fun(v: any): boolean
M.flag = fields.flag

--- The names (in the given order) whose value in `t` is nil, or nil when none is.
---@param t table
---@param names string[]
---@return string[]|nil
function M.missing(t, names)
  local absent
  for i = 1, #names do
    local name = names[i]
    if t[name] == nil then
      absent = absent or {}
      absent[#absent + 1] = name
    end
  end
  return absent
end

--- Cuts a string to at most `n` characters (UTF-8 aware; bytes if it is not UTF-8).
---@param s string|nil
---@param n integer
---@return string|nil
function M.truncate(s, n)
  if s == nil then return nil end
  if #s <= n then return s end  -- no more bytes than n: no more characters either
  local length = utf8.len(s)
  if length == nil then
    if #s <= n then return s end
    return s:sub(1, n)
  end
  if length <= n then return s end
  return s:sub(1, utf8.offset(s, n + 1) - 1)
end

--- First and last name of a lead. When only one of them is given and it holds
-- several words ("Anna Maria Schmidt"), it is split at the last space.
---@param lead leadrelay.Lead
---@return string|nil first
---@return string|nil last
function M.names(lead)
  local first, last = text(lead.first_name), text(lead.last_name)
  if first and not last then
    local a, b = first:match("^(.-)%s+(%S+)$")
    if a and a ~= "" then first, last = a, b end
  elseif last and not first then
    local a, b = last:match("^(.-)%s+(%S+)$")
    if a and a ~= "" then first, last = a, b end
  end
  return first, last
end

--- "First Last", or whichever of the two is present, or nil.
---@param lead leadrelay.Lead
---@return string|nil
function M.full_name(lead)
  local first, last = M.names(lead)
  if first and last then return first .. " " .. last end
  return first or last
end

--- The digits of a phone number ("+49 151 123-456" -> "49151123456"), or nil when
-- there are fewer than 5.
---@type fun(v: any): string|nil
M.phone_digits = fields.phone_digits

--- A phone number in international form with a plus ("+49151123456"), or nil.
---@type fun(v: any): string|nil
M.phone_plus = fields.phone_plus

--- An ISO 3166 alpha-2 country code in upper case ("de" -> "DE"), or nil.
---@type fun(v: any): string|nil
M.country = fields.country

--- The ISO 639-1 part of a language tag in lower case ("de-AT" -> "de"), or nil.
---@type fun(v: any): string|nil
M.language = fields.language

--- An e-mail address that looks like one (something@domain.tld), or nil.
---@type fun(v: any): string|nil
M.email = fields.email

--- An IPv4 or IPv6 address, or nil. The check is syntactic only.
---@type fun(v: any): string|nil
M.ip = fields.ip

--- Whether a password has at least `min` characters and a special character.
-- ASSUMPTION (Clixnow's seed only says "a special character is required"): a special
-- character is any character that is not an ASCII letter or an ASCII digit, so a space,
-- punctuation and any non-ASCII character count. The rule is deliberately lenient: a lead
-- refused here is lost on this route, while one the network refuses comes back as its own
-- 400. LeadRelay's sandbox applies the same rule.
-- Returns true, or false and the broken rule as text.
---@param password string
---@param min integer
---@return boolean ok
---@return string? broken_rule
function M.password_ok(password, min)
  local length = utf8.len(password) or #password
  if length < min then
    return false, "password must have at least " .. min .. " characters"
  end
  if not password:find("[^A-Za-z0-9]") then
    return false, "password must contain a special character (anything but a letter or a digit)"
  end
  return true
end

--- A password for a lead that brought none: 8 random characters from
-- crypto.random_string followed by "Aa1!", so it always holds an upper-case and a
-- lower-case letter, a digit and a special character (12 characters in all).
---@return string
function M.generate_password()
  return crypto.random_string(8) .. "Aa1!"
end

--- A value from the lead's `extra` table (anything else the affiliate sent), as text.
---@param lead leadrelay.Lead
---@param key string
---@return string|nil
function M.extra(lead, key)
  local extra = lead.extra
  if type(extra) ~= "table" then return nil end
  return text(extra[key])
end

--- Joins the non-nil texts of a list with `sep`.
---@param list any[]
---@param sep string
---@return string
function M.join(list, sep)
  local out = {}
  for _, v in ipairs(list) do
    local s = text(v)
    if s then out[#out + 1] = s end
  end
  return table.concat(out, sep)
end

return M
