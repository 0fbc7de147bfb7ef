---@meta
-- LeadRelay editor definitions (LuaLS): the host module `fields`, the native half of
-- `lib.lead` (a LeadRelay extension). None raises: unusable values give nil.

---@class leadrelay.fields
fields = {}

---A trimmed, non-empty string for a scalar value, else nil (49.0 gives "49").
---@param v any
---@return string|nil
function fields.text(v) end

---True for true, 1, "1", "true", "yes", "on" (any case).
---@param v any
---@return boolean
function fields.flag(v) end

---The text when it looks like an e-mail address, else nil.
---@param v any
---@return string|nil
function fields.email(v) end

---The digits of a phone number, nil when fewer than 5.
---@param v any
---@return string|nil
function fields.phone_digits(v) end

---"+" and the digits of a phone number, nil when fewer than 5.
---@param v any
---@return string|nil
function fields.phone_plus(v) end

---An ISO 3166 alpha-2 code in upper case, or nil.
---@param v any
---@return string|nil
function fields.country(v) end

---The ISO 639-1 part of a language tag in lower case, or nil.
---@param v any
---@return string|nil
function fields.language(v) end

---The text when it is an IPv4 address or looks like IPv6, else nil.
---@param v any
---@return string|nil
function fields.ip(v) end
