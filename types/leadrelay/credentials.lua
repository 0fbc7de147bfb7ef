---@meta
-- LeadRelay editor definitions (LuaLS): the host module `credentials` (**Extension**):
-- small secret strings kept durably per integration and offer (a rotating OAuth refresh
-- token). Every value read or written is masked as a secret of the call.

---@class leadrelay.credentials
credentials = {}

---@class leadrelay.CredentialOptions
---@field expect? string|false the value last read: write only if it is still stored (false: only if none is)

---The stored string, or nil.
---@param key string
---@return string|nil
function credentials.get(key) end

---Stores the string `value` (at most 4096 bytes; a scope holds at most 32 keys) and
---returns true; with `{expect = old}`, only if `old` is still stored, else returns false.
---@param key string
---@param value string
---@param options? leadrelay.CredentialOptions
---@return boolean
function credentials.set(key, value, options) end

---Removes the entry and returns true; with `{expect = old}`, only if `old` is still stored.
---@param key string
---@param options? leadrelay.CredentialOptions
---@return boolean
function credentials.delete(key, options) end
