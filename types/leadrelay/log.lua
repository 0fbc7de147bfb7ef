---@meta
-- LeadRelay editor definitions (LuaLS): the host module `log`. Values are joined by
-- spaces (tables as JSON); secrets are shown as ***.

---@class leadrelay.log
log = {}

---@param ... any
function log.debug(...) end

---@param ... any
function log.info(...) end

---@param ... any
function log.warn(...) end

---An error line; it does not stop the script (use `error` for that).
---@param ... any
function log.error(...) end

---Registers a value the script derived (a login token) as a secret of this call and
---returns it: from then on it is masked like a secret param. LeadRelay extension.
---@generic T: string|number
---@param value T
---@return T
function log.secret(value) end
