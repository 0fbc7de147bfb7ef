---@meta
-- LeadRelay editor definitions (LuaLS): the host module `cache` (per integration and
-- offer, in memory, evictable; values stored as JSON).

---@class leadrelay.cache
cache = {}

---The stored value, or nil when missing or expired.
---@param key string
---@return any
function cache.get(key) end

---Stores `value` for `ttl` seconds (> 0, cut to 24 h); a nil value deletes.
---@param key string
---@param value any
---@param ttl? number
function cache.set(key, value, ttl) end

---Removes the entry, if any.
---@param key string
function cache.delete(key) end
