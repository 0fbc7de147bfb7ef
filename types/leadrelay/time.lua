---@meta
-- LeadRelay editor definitions (LuaLS): the host module `time`.

---@class leadrelay.time
time = {}

---The call's clock in integer epoch seconds (fixed in fixtures).
---@return integer
function time.now() end

---`epoch` written by an os.date pattern in the IANA zone `tz` (default UTC).
---@param epoch number
---@param pattern string e.g. "%Y-%m-%d %H:%M:%S"
---@param tz? string e.g. "Europe/Moscow"
---@return string
function time.format(epoch, pattern, tz) end

---Reads `s` by an os.date pattern; input that does not match gives nil and a message.
---@param s string
---@param pattern string
---@param tz? string local zone of a time without %z (default UTC)
---@return integer|nil epoch
---@return string? err
function time.parse(s, pattern, tz) end

---ISO 8601 in UTC to the second: "2026-11-25T10:00:00Z".
---@param epoch number
---@return string
function time.iso(epoch) end
