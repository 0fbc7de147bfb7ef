-- lib/postback.lua: reading the requests a network sends to our postback URL.
--
-- A network calls https://<leadrelay host>/postback/<integration>/<route token>?... with the
-- macros the affiliate configured in the network's UI, as query parameters (GET) or as a
-- form (POST). The host hands the script that inbound request as parse_status's
-- `response` (contract section 3): method, url, path, query, headers, body, form, json.
--
-- fields() merges the form and the query into one table, money() and at() read the
-- usual payout and time fields, none() is the "nothing usable" answer, and updates() is
-- the whole parser for the format most scripts configure:
--
--   ?id=<network lead id>&status=<network status>[&at=<ISO 8601>][&comment=...]
--    [&price=<payout>|&amount=<payout>][&currency=<code>]

local log = log
local type, pairs, ipairs, tonumber, tostring = type, pairs, ipairs, tonumber, tostring

local leadf = require("lib.lead")
local dates = require("lib.dates")

local M = {}

--- The fields of an inbound request: its form (when it had one), then its query on top
-- (a name in both gives the query's value). Always a table.
---@param inbound leadrelay.Inbound
---@return table<string, any>
function M.fields(inbound)
  local fields = {}
  if type(inbound) ~= "table" then return fields end
  if type(inbound.form) == "table" then
    for k, v in pairs(inbound.form) do fields[k] = v end
  end
  if type(inbound.query) == "table" then
    for k, v in pairs(inbound.query) do fields[k] = v end
  end
  return fields
end

--- amount, currency of a postback: the amount is tonumber of the first field of `names`
-- that has text (default { "price", "amount" }); the currency (upper case) comes only
-- with an amount. nil, nil when there is no usable amount.
---@param fields table<string, any>
---@param names? string[]
---@return number|nil amount
---@return string|nil currency
function M.money(fields, names)
  local raw
  for _, name in ipairs(names or { "price", "amount" }) do
    raw = leadf.text(fields[name])
    if raw then break end
  end
  local amount = tonumber(raw or "")
  if not amount then return nil, nil end
  local currency = leadf.text(fields.currency)
  return amount, currency and currency:upper() or nil
end

--- The `at` field normalised to ISO 8601 UTC ("2026-01-01T00:03:00Z"), or nil.
---@param fields table<string, any>
---@param name? string
---@return string|nil
function M.at(fields, name)
  return dates.iso(leadf.text(fields[name or "at"]))
end

--- The result of a postback that gives nothing to update: logs a warning made of the
-- arguments (e.g. the script's name and what is missing) and returns no updates.
---@param ... any
---@return leadrelay.Updates
function M.none(...)
  log.warn(...)
  return { updates = {} }
end

--- The updates of a postback in the format above. `name` is the script's name (for the
-- warning), `stage_of(status)` its own mapping of the network's status to a stage. A
-- postback without an id or a status, or one whose status stage_of does not map, gives
-- no update and a warning.
---@param inbound leadrelay.Inbound
---@param name string
---@param stage_of fun(status: string): leadrelay.Stage|nil
---@return leadrelay.Updates
function M.updates(inbound, name, stage_of)
  local fields = M.fields(inbound)
  local id = leadf.text(fields.id)
  local status = leadf.text(fields.status)
  if not id or not status then
    local missing = not id and (not status and "id and status" or "id") or "status"
    return M.none(name .. ": postback without a usable " .. missing .. ":",
      "id=" .. tostring(fields.id), "status=" .. tostring(fields.status))
  end
  local stage = stage_of(status)
  if not stage then
    return M.none(name .. ": postback for lead", id, "has a status with no stage:", status)
  end
  local amount, currency = M.money(fields)
  return { updates = { {
    external_id = id,
    stage = stage,
    status = status,
    comment = leadf.text(fields.comment),
    amount = amount,
    currency = currency,
    at = M.at(fields),
  } } }
end

return M
