---@meta
-- LeadRelay editor definitions (LuaLS): the host module `http`.

---@class leadrelay.http
http = {}

---Performs `request` and returns its response; a transport failure is `status = 0` with
---`error`, not a Lua error. Only inside `send` (also under `pcall`); elsewhere it raises.
---@param request leadrelay.Request
---@return leadrelay.Response
function http.request(request) end
