-- lib/rotating_token.lua: OAuth access tokens from a refresh token that rotates on every
-- use (amoCRM, Bitrix24): each refresh answers a new refresh token and the old one stops
-- working, so the current one must outlive the process. It lives in `credentials`
-- (durable, per integration and offer), seeded from the offer's `refresh_token`
-- parameter; the access token lives in `cache` until it expires.
--
-- Keys in `credentials`:
--   refresh_token       the refresh token to use next
--   refresh_token_seed  sha256 of the parameter it descends from: when ops paste a new
--                       refresh token into the parameter (the account was authorized
--                       again), the stored chain is dropped and the new one starts
--
-- Two calls may refresh with the same token at once. Each saves its new token with
-- compare-and-set (`{expect = the token it used}`): the first wins; the second keeps the
-- access token it got for its own call and leaves the winner's refresh token stored.
-- A refresh the network refuses, when the stored token changed meanwhile (another call
-- rotated it first), is tried once more with the new one, or skipped when that call
-- already cached an access token.
--
-- Every token it hands out or stores (access and refresh) is registered with
-- `log.secret`, so a network's answer echoing one never shows it in clear; a token over
-- the 4096 bytes a secret or a credential may hold counts as no token.

local cache, credentials, crypto, log = cache, credentials, crypto, log
local math, tonumber, type = math, tonumber, type

local M = {}

local KEY, SEED = "refresh_token", "refresh_token_seed"
local MAX_TOKEN = 4096

--- `value` registered as a secret of the call when it is a usable token (a non-empty
-- string of at most 4096 bytes), else nil.
---@param value any
---@return string|nil
function M.secret(value)
  if type(value) ~= "string" or value == "" or #value > MAX_TOKEN then return nil end
  return log.secret(value)
end

--- The cache key of the access token of `client_id`.
---@param client_id string
---@return string
function M.cache_key(client_id)
  return "access_token:" .. client_id
end

-- The refresh token to use, and the stored value a save must expect (false: none).
local function current(seed_param)
  local stored = credentials.get(KEY)
  local expect = stored or false
  if stored and credentials.get(SEED) == crypto.sha256(seed_param) then return stored, expect end
  return seed_param, expect
end

--- A cached access token, or a new one from a refresh; nil and the refusing answer
-- when the network gives none. `o`: `client_id`, `seed` (the refresh_token parameter),
-- `request(refresh_token)` (makes the refresh request, returns the response) and
-- `read(response)` (returns access token, new refresh token, lifetime in seconds, or nil).
---@return string|nil, leadrelay.Response|nil
function M.access_token(o)
  local key = M.cache_key(o.client_id)
  local cached = M.secret(cache.get(key))
  if cached then return cached end
  return M.refresh(o)
end

--- Refreshes now (after a 401): see `access_token`.
---@return string|nil, leadrelay.Response|nil
function M.refresh(o)
  local key = M.cache_key(o.client_id)
  cache.delete(key)
  local response
  for round = 1, 2 do
    local used, expect = current(o.seed)
    response = o.request(used)
    local access, rotated, ttl = o.read(response)
    access, rotated = M.secret(access), M.secret(rotated)
    if access then
      if rotated and rotated ~= used then
        if credentials.set(KEY, rotated, { expect = expect }) then
          credentials.set(SEED, crypto.sha256(o.seed))
        end
      end
      cache.set(key, access, math.max((tonumber(ttl) or 3600) - 60, 60))
      return access
    end
    -- Refused. Another call may have rotated the token while this one used it.
    if round == 2 or credentials.get(KEY) == (expect or nil) then break end
    local theirs = M.secret(cache.get(key))
    if theirs then return theirs end
  end
  return nil, response
end

return M
