---@meta
-- LeadRelay editor definitions (LuaLS): `ctx`, the table shared by the hooks of one call
-- (docs/writing-integrations.md, "The ctx table").

---@alias leadrelay.ActionName "push"|"register"|"update"|"approved"|"status"|"postback"
---@alias leadrelay.CheckKind "processing"|"approved"|"range"

---@class leadrelay.Offer
---@field id string
---@field name string

---The context of one call. Which fields are set depends on the action: `lead` for the lead
---actions, `check` and `leads` or `from`/`to` for `status`; `request` once `prepare` returned.
---@class leadrelay.Ctx
---@field action leadrelay.ActionName
---@field check? leadrelay.CheckKind status only
---@field leads? leadrelay.CheckedLead[] status (processing, approved): at most `limits.batch`
---@field from? string status (range): ISO 8601 UTC
---@field to? string status (range): ISO 8601 UTC
---@field lead? leadrelay.Lead lead actions (push, register, update, approved)
---@field request? leadrelay.Request what `prepare` returned (in `send` and `parse_status`)
---@field state table<string, any> per-call values of the script (empty at the start)
---@field params table<string, any> the offer's params, declared defaults applied, secrets included
---@field offer leadrelay.Offer
---@field attempt integer 1 for the first try
---@field now integer epoch seconds (fixed by a fixture's `now`)
---@field test boolean a test call (the service's test window): LeadRelay extension
