-- lib/dates.lua: ISO 8601 timestamps in and out.
--
-- Leads, ctx.from/ctx.to and most network answers carry ISO 8601 strings in UTC, with
-- or without fractional seconds ("2023-08-28T14:10:44.176Z"), a space instead of the
-- "T", or a numeric offset. parse() reads all of these in pure Lua (no host call, so
-- it behaves the same everywhere); format() and iso() hand back to the host's `time`.

local time = time
local math = math
local type, tonumber, ipairs = type, tonumber, ipairs

local M = {}

-- Days from 1970-01-01 to a civil date (proleptic Gregorian calendar).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

--- Epoch seconds of an ISO 8601 date or date-time, or nil when it is not one.
-- A date alone is midnight UTC; no offset means UTC.
---@param s any
---@return integer|nil epoch
function M.parse(s)
  if type(s) ~= "string" then return nil end
  local y, mo, d, rest = s:match("^%s*(%d%d%d%d)-(%d%d)-(%d%d)(.*)$")
  if not y then return nil end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  if mo < 1 or mo > 12 or d < 1 or d > 31 then return nil end
  local h, mi, sec, zone = 0, 0, 0, ""
  if rest:match("^%s*$") == nil then
    local hh, mm, tail = rest:match("^[T ](%d%d):(%d%d)(.*)$")
    if not hh then return nil end
    h, mi = tonumber(hh), tonumber(mm)
    local ss, after = tail:match("^:(%d%d)(.*)$")
    if ss then
      sec, tail = tonumber(ss), after
      tail = tail:gsub("^[.,]%d+", "")
    end
    zone = tail
  end
  if h > 23 or mi > 59 or sec > 60 then return nil end
  local offset = 0
  zone = zone:gsub("%s", "")
  if zone ~= "" and zone ~= "Z" and zone ~= "z" then
    local sign, oh, om = zone:match("^([+-])(%d%d):?(%d%d)$")
    if not sign then return nil end
    offset = (tonumber(oh) * 60 + tonumber(om)) * 60
    if sign == "-" then offset = -offset end
  end
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset
end

--- "2026-11-20T10:00:00Z" for an ISO string in any of the accepted shapes, or nil.
---@param s any
---@return string|nil
function M.iso(s)
  local epoch = M.parse(s)
  if not epoch then return nil end
  return time.iso(epoch)
end

--- time.format of an ISO string (nil when it does not parse).
---@param s any
---@param pattern string
---@param tz? string
---@return string|nil
function M.format(s, pattern, tz)
  local epoch = M.parse(s)
  if not epoch then return nil end
  return time.format(epoch, pattern, tz)
end

--- The earliest `created_at` of a status check's leads (epoch), or nil.
---@param leads? leadrelay.CheckedLead[]
---@return integer|nil epoch
function M.earliest(leads)
  local min
  for _, item in ipairs(leads or {}) do
    local epoch = M.parse(item.created_at)
    if epoch and (min == nil or epoch < min) then min = epoch end
  end
  return min
end

--- Rounds epoch seconds down to the minute, or up when `up` is true.
---@param epoch integer
---@param up? boolean
---@return integer
function M.minute(epoch, up)
  if up then return math.ceil(epoch / 60) * 60 end
  return epoch // 60 * 60
end

return M
