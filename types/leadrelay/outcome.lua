---@meta
-- LeadRelay editor definitions (LuaLS): what `parse_status` (or `prepare`) returns
-- (docs/writing-integrations.md, "parse_status" and "Conventions").

---@alias leadrelay.OutcomeWord "accepted"|"rejected"|"retry"
---@alias leadrelay.Reason "duplicate"|"invalid_data"|"blocked_country"|"filtered"|"cap_reached"|"no_redirect"|"unauthorized"|"timeout"|"rate_limited"|"unavailable"|"unknown"
---@alias leadrelay.Stage "wait"|"hold"|"approve"|"cancel"|"trash"

---The result of a lead action (push, register, update, approved), or of a status check
---that failed as a whole (`retry`).
---@class leadrelay.Outcome
---@field outcome leadrelay.OutcomeWord
---@field reason? leadrelay.Reason rejected and retry
---@field message? string
---@field external_id? string accepted: the network's id of the lead
---@field redirect_url? string accepted: the autologin URL (register)
---@field retry_after? number retry: seconds
---@field extra? table<string, any> accepted: kept with the lead

---One status change of a lead (status checks and postbacks).
---@class leadrelay.Update
---@field external_id? string the network's id (or `lead_id`: at least one of the two)
---@field lead_id? string LeadRelay's lead id, when the network lists ours: LeadRelay extension
---@field stage leadrelay.Stage
---@field status? string the network's own word
---@field comment? string
---@field amount? number
---@field currency? string
---@field at? string ISO 8601 UTC

---The result of a status check or a postback.
---@class leadrelay.Updates
---@field updates leadrelay.Update[]
