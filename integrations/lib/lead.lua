-- lib/lead.lua: reading and normalising lead fields (contract section 5).
--
-- Shared by the integrations through `require("lib.lead")`. Every function is pure
-- (no I/O, no module state) and never raises on odd data: a value that cannot be used
-- comes back as nil, so that prepare() can answer `rejected / invalid_data` with a
-- message instead of failing with a Lua error (which would be outcome `error`).

local crypto = crypto
local math, string, table, utf8 = math, string, table, utf8
local type, tostring, tonumber, ipairs = type, tostring, tonumber, ipairs

local M = {}

local byte = string.byte
-- The bytes %s matches: tab, line feed, vertical tab, form feed, carriage return, space.
local is_space = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }

--- A trimmed, non-empty string for a scalar value, else nil.
-- nil, json.null, "", "   ", tables and functions give nil; integral floats print
-- without a fraction (49.0 -> "49"), so ids decoded as floats stay readable.
function M.text(v)
  local kind = type(v)
  if kind == "string" then
    -- Fast path: most values have no space at either end (a pattern costs ~7x more).
    local first, last = byte(v, 1), byte(v, -1)
    if first and not is_space[first] and not is_space[last] then return v end
    local s = v:match("^%s*(.-)%s*$")
    if s ~= "" then return s end
  elseif kind == "number" then
    if math.type(v) == "float" and v == math.floor(v) and v > -2^53 and v < 2^53 then
      return string.format("%d", v)
    end
    return tostring(v)
  elseif kind == "boolean" then
    return tostring(v)
  end
  return nil
end

--- True for the usual spellings of "yes" in offer params: true, 1, "1", "true", "yes", "on".
function M.flag(v)
  if v == true or v == 1 or v == "1" then return true end
  if v == nil or v == false or v == 0 or v == "0" or v == "" then return false end
  local s = M.text(v)
  if not s then return false end
  s = s:lower()
  return s == "1" or s == "true" or s == "yes" or s == "on"
end

--- The names (in the given order) whose value in `t` is nil, or nil when none is.
function M.missing(t, names)
  local absent = {}
  for _, name in ipairs(names) do
    if t[name] == nil then absent[#absent + 1] = name end
  end
  if #absent == 0 then return nil end
  return absent
end

--- Cuts a string to at most `n` characters (UTF-8 aware; bytes if it is not UTF-8).
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
function M.names(lead)
  local first, last = M.text(lead.first_name), M.text(lead.last_name)
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
function M.full_name(lead)
  local first, last = M.names(lead)
  if first and last then return first .. " " .. last end
  return first or last
end

--- The digits of a phone number ("+49 151 123-456" -> "49151123456"), or nil.
function M.phone_digits(v)
  local s = M.text(v)
  if not s then return nil end
  local digits = s:gsub("%D", "")
  if #digits < 5 then return nil end
  return digits
end

--- A phone number in international form with a plus ("+49151123456"), or nil.
function M.phone_plus(v)
  local digits = M.phone_digits(v)
  if not digits then return nil end
  return "+" .. digits
end

--- An ISO 3166 alpha-2 country code in upper case ("de" -> "DE"), or nil.
function M.country(v)
  local s = M.text(v)
  if not s or not s:match("^%a%a$") then return nil end
  return s:upper()
end

--- The ISO 639-1 part of a language tag in lower case ("de-AT" -> "de"), or nil.
function M.language(v)
  local s = M.text(v)
  if not s then return nil end
  local code = s:match("^(%a%a)$") or s:match("^(%a%a)[-_]")
  if not code then return nil end
  return code:lower()
end

--- An e-mail address that looks like one (something@domain.tld), or nil.
function M.email(v)
  local s = M.text(v)
  if not s or not s:match("^[^@%s]+@[^@%s]+%.[^@%s]+$") then return nil end
  return s
end

local function octet_ok(part)
  return #part <= 3 and tonumber(part) <= 255
end

--- An IPv4 or IPv6 address, or nil. The check is syntactic only.
function M.ip(v)
  local s = M.text(v)
  if not s then return nil end
  local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if a then
    if octet_ok(a) and octet_ok(b) and octet_ok(c) and octet_ok(d) then return s end
    return nil
  end
  if s:find(":", 1, true) and s:match("^[%x:%.]+$") then return s end
  return nil
end

--- Whether a password follows the common broker rule: at least `min` characters
-- and at least one special character (anything but letters, digits and spaces).
-- Returns true, or false and the broken rule as text.
function M.password_ok(password, min)
  local length = utf8.len(password) or #password
  if length < min then
    return false, "password must have at least " .. min .. " characters"
  end
  if not password:find("[^%w%s]") then
    return false, "password must contain a special character"
  end
  return true
end

--- A password for a lead that brought none: 8 random characters from
-- crypto.random_string followed by "Aa1!", so it always holds an upper-case and a
-- lower-case letter, a digit and a special character (12 characters in all).
function M.generate_password()
  return crypto.random_string(8) .. "Aa1!"
end

--- A value from the lead's `extra` table (anything else the affiliate sent), as text.
function M.extra(lead, key)
  local extra = lead.extra
  if type(extra) ~= "table" then return nil end
  return M.text(extra[key])
end

--- Joins the non-nil texts of a list with `sep`.
function M.join(list, sep)
  local out = {}
  for _, v in ipairs(list) do
    local s = M.text(v)
    if s then out[#out + 1] = s end
  end
  return table.concat(out, sep)
end

return M
