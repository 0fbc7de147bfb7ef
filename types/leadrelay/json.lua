---@meta
-- LeadRelay editor definitions (LuaLS): the host module `json`.

---JSON for scripts. Encoding is deterministic (compact, keys sorted by bytes) so signed
---bodies are reproducible. Both directions raise on bad input: `pcall` them on network data.
---@class leadrelay.json
json = {}

---The JSON null (a unique value, distinct from nil).
---@type userdata
json.null = nil

---Compact JSON of `value`; raises on cycles, nesting deeper than 200, mixed keys, NaN.
---@param value any
---@return string
function json.encode(value) end

---The value of `text`: integers for integral numbers, `json.null` for null, arrays marked.
---Raises on malformed text (`json.decode: line 3, column 7: ...`).
---@param text string
---@return any
function json.decode(text) end

---Marks `t` (or a new empty table) as a JSON array, so it encodes as `[]` when empty.
---@generic T: table
---@param t? T
---@return T
function json.array(t) end
