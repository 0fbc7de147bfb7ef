-- lib/checks.lua: what every status check repeats (contract section 2, action `status`):
-- the external ids it asks about, its time window, and the updates of the rows it read.
--
-- Shared by the integrations through `require("lib.checks")`. Pure functions; none raises.

local leadf = require("lib.lead")
local dates = require("lib.dates")
local outcome = require("lib.outcome")

local type, ipairs = type, ipairs

local M = {}

--- The distinct external ids of ctx.leads (the leads a processing or approved check asks
-- about), as a list in their order and as a set. Leads without one are skipped.
---@param ctx leadrelay.Ctx
---@return string[] list
---@return table<string, true> set
function M.ids(ctx)
  local list, set = {}, {}
  for _, item in ipairs(ctx.leads or {}) do
    local id = type(item) == "table" and leadf.text(item.external_id) or nil
    if id and not set[id] then
      list[#list + 1] = id
      set[id] = true
    end
  end
  return list, set
end

--- The window of a check as epoch seconds `from, to`. A range check reads ctx.from and
-- ctx.to (nil and a rejected outcome when either is not ISO 8601); any other check runs
-- from the earliest created_at of ctx.leads (or `lookback` seconds before ctx.now when
-- none has one) to ctx.now.
---@param ctx leadrelay.Ctx
---@param lookback integer seconds
---@return integer|nil from
---@return integer|leadrelay.Outcome to_or_failure
function M.window(ctx, lookback)
  if ctx.check == "range" then
    local from, to = dates.parse(ctx.from), dates.parse(ctx.to)
    if not from or not to then
      return nil, outcome.rejected("unknown", "range check needs ISO 8601 from/to")
    end
    return from, to
  end
  return dates.earliest(ctx.leads) or (ctx.now - lookback), ctx.now
end

--- The result of a check: `update_of(row)` for every row that is a table, leaving out the
-- nil ones and, when `wanted` is a set of external ids, those it does not hold.
---@param rows any[]
---@param update_of fun(row: table): leadrelay.Update|nil
---@param wanted? table<string, true>
---@return leadrelay.Updates
function M.updates(rows, update_of, wanted)
  local updates = {}
  for _, row in ipairs(rows) do
    if type(row) == "table" then
      local update = update_of(row)
      if update and (wanted == nil or wanted[update.external_id]) then
        updates[#updates + 1] = update
      end
    end
  end
  return { updates = updates }
end

return M
