---@meta
-- LeadRelay editor definitions (LuaLS): what the sandbox keeps of `os` and `debug`
-- (.luarc.json turns LuaLS's full `os`, `debug`, `io` and `package` off).

---@class leadrelay.os
os = {}

---Without a table: the host's clock (the same as time.now()); with one, as in Lua.
---@param t? table a date table (year, month, day, hour, min, sec, isdst)
---@return integer
function os.time(t) end

---As in Lua 5.4.
---@param format? string
---@param time? integer
---@return string|table
function os.date(format, time) end

---CPU time of the process, as in Lua 5.4.
---@return number
function os.clock() end

---@class leadrelay.debug
debug = {}

---As in Lua 5.4.
---@param message? any
---@param level? integer
---@return string
function debug.traceback(message, level) end
