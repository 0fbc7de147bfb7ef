---@meta
-- LeadRelay editor definitions (LuaLS): the host module `url`.

---@class leadrelay.url
url = {}

---Every byte but A-Z a-z 0-9 - . _ ~ as %XX.
---@param s string
---@return string
function url.encode(s) end

---%XX and + (a space) decoded; a malformed escape stays as is.
---@param s string
---@return string
function url.decode(s) end

---`t` as a query string, keys sorted by bytes; an array repeats its key.
---@param t table<string, leadrelay.Scalar|leadrelay.Scalar[]>
---@return string
function url.query(t) end

---A query string (leading ? ignored) as a table; a repeated key gives an array.
---@param s string
---@return table<string, string|string[]>
function url.parse_query(s) end
