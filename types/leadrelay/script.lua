---@meta
-- LeadRelay editor definitions (LuaLS): the table an integration script returns
-- (docs/writing-integrations.md, "The module table"). Annotate a script's table with
-- `---@type leadrelay.Integration` to have its fields and hooks checked:
--
--   ---@type leadrelay.Integration
--   local M = { name = "leadpond", title = "...", actions = { "push" }, params = {} }

---@class leadrelay.ParamSpec
---@field required? boolean a missing required param ends the call as outcome error
---@field secret? boolean masked as *** everywhere but on the wire
---@field default? any applied when the offer does not set the param
---@field description? string

---@class leadrelay.RateTable
---@field limit string "N/<duration>", e.g. "10/3s"
---@field methods? string[] the HTTP methods it counts (default: all)
---@field per? "integration"|"credential" one bucket per integration (default) or per credential

---@class leadrelay.Limits
---@field rate? string|leadrelay.RateTable "10/3s": requests per period, shared by all VMs
---@field timeout? number HTTP timeout in seconds (at most 120; default 30)
---@field batch? integer most leads per status check call

---The script's table. `prepare` and `parse_status` are required by the host; they are
---optional here only because a script defines them after the table (`function M.prepare`).
---@class leadrelay.Integration
---@field name string must equal the file name
---@field title string
---@field actions leadrelay.ActionName[]
---@field params table<string, leadrelay.ParamSpec>
---@field limits? leadrelay.Limits
---Builds the request (no I/O), or finishes the lead with an outcome.
---@field prepare? fun(lead: leadrelay.Lead?, ctx: leadrelay.Ctx): leadrelay.Request|leadrelay.Outcome
---Optional: performs the request itself (log in first, sign, follow pages) with `http.request`.
---@field send? fun(request: leadrelay.Request, ctx: leadrelay.Ctx): leadrelay.Response
---Interprets the response (for `postback`, the inbound request).
---@field parse_status? fun(response: leadrelay.Response|leadrelay.Inbound, ctx: leadrelay.Ctx): leadrelay.Outcome|leadrelay.Updates
