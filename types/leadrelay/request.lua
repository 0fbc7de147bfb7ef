---@meta
-- LeadRelay editor definitions (LuaLS): requests, responses and the inbound request of a
-- postback (docs/writing-integrations.md, "Requests and responses").

---@alias leadrelay.Scalar string|number|boolean

---What `prepare` returns and `http.request` takes. At most one of `json`, `form`, `body`.
---@class leadrelay.Request
---@field method? string default "POST"
---@field url string http or https, ASCII only
---@field headers? table<string, leadrelay.Scalar>
---@field query? table<string, leadrelay.Scalar|leadrelay.Scalar[]>
---@field json? any a table sent as JSON (Content-Type application/json unless set)
---@field form? table<string, leadrelay.Scalar> sent application/x-www-form-urlencoded
---@field body? string sent as is
---@field timeout? number seconds (at most 120)

---What the host gives back for a request (and what `send` returns to `parse_status`;
---extra fields a script adds are kept).
---@class leadrelay.Response
---@field status integer 0 for a transport failure
---@field headers table<string, string> lower-case names
---@field body string
---@field json? any the decoded body when it parses as JSON
---@field elapsed? number seconds
---@field error? "timeout"|"connect"|"dns"|"tls"|"invalid_request"|string when `status` is 0
---@field [string] any

---A postback's `response`: the request the network sent to our postback URL.
---@class leadrelay.Inbound
---@field method string
---@field url string
---@field path string
---@field query table<string, string|string[]>
---@field headers table<string, string> lower-case names
---@field body string
---@field form? table<string, string|string[]>
---@field json? any
---@field ip string
