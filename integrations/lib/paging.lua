-- lib/paging.lua: following a paged listing inside send().
--
-- Status checks read listings that come a page at a time. collect() asks for page
-- after page with http.request (so it works only in send, like http.request itself),
-- merges the rows and returns one synthetic response that parse_status() reads like
-- any other: { status = 200, json = <all rows>, pages = n, truncated = bool }.
-- The first page that is not a 2xx answer, or whose body is not a listing, is
-- returned as it came, so parse_status() sees the failure itself.

local http = http
local json = json
local type, pairs, ipairs = type, pairs, ipairs

local M = {}

---@class leadrelay.PagingOptions
---@field rows fun(response: leadrelay.Response): any[]|nil the rows of a page, nil when not a listing
---@field next fun(request: leadrelay.Request, response: leadrelay.Response, rows: any[], pages: integer): leadrelay.Request|nil
---@field max_pages? integer default 20

--- A copy of `request` whose query has the given keys replaced.
---@param request leadrelay.Request
---@param changes table<string, any>
---@return leadrelay.Request
function M.with_query(request, changes)
  local copy, query = {}, {}
  for k, v in pairs(request) do copy[k] = v end
  for k, v in pairs(request.query or {}) do query[k] = v end
  for k, v in pairs(changes) do query[k] = v end
  copy.query = query
  return copy
end

--- A copy of `request` whose JSON body has the given keys replaced.
---@param request leadrelay.Request
---@param changes table<string, any>
---@return leadrelay.Request
function M.with_json(request, changes)
  local copy, body = {}, {}
  for k, v in pairs(request) do copy[k] = v end
  for k, v in pairs(request.json or {}) do body[k] = v end
  for k, v in pairs(changes) do body[k] = v end
  copy.json = body
  return copy
end

--- Fetches pages until `next` says there is none, or `max_pages` were read.
-- opts.rows(response) -> list of rows, or nil when the body is not a listing;
-- opts.next(request, response, rows, pages_read) -> the next request, or nil;
-- opts.max_pages (default 20): a guard against a listing that never ends. When it
-- stops the loop early the result has `truncated = true` (and a warning is logged
-- by the caller if it matters).
---@param first leadrelay.Request
---@param opts leadrelay.PagingOptions
---@return leadrelay.Response
function M.collect(first, opts)
  local max_pages = opts.max_pages or 20
  local all, pages, truncated = {}, 0, false
  local request, response = first, nil
  while request do
    response = http.request(request)
    pages = pages + 1
    if type(response.status) ~= "number" or response.status < 200 or response.status > 299 then
      return response
    end
    local rows = opts.rows(response)
    if rows == nil then return response end
    for _, row in ipairs(rows) do all[#all + 1] = row end
    local following = opts.next(request, response, rows, pages)
    if following and pages >= max_pages then
      truncated = true
      following = nil
    end
    request = following
  end
  return {
    status = 200,
    headers = response and response.headers or {},
    json = json.array(all),
    pages = pages,
    truncated = truncated,
  }
end

return M
