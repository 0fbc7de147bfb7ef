-- luacheck configuration for integrations/ (`make lint` and `make test` run it).
--
-- Scripts run in LeadRelay's Lua 5.4 sandbox (docs/writing-integrations.md, "What the host
-- gives a script"): the safe part of the standard library plus the host's modules, and
-- nothing else. Every global is read-only once a script has loaded, so here every one is
-- a read-only global: a write to one, or a read of any other name (`local c = crpyto`),
-- is reported at the line and column where it is written.
--
-- The host modules and their functions are those Sources/Host/Modules registers
-- (StandardModules.all); types/leadrelay/ describes the same names for editors, and
-- Tests/RuntimeTests/Host/HostDefinitionsTests.swift keeps both in step with the host.

local function fields(names)
  local t = {}
  for name in names:gmatch("[%w_]+") do t[name] = {} end
  return { fields = t }
end

stds.leadrelay = {
  read_globals = {
    -- the base library the sandbox keeps
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
    "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring", "type",
    "xpcall", "load", "collectgarbage", "print", "require", "_G", "_VERSION",
    -- the standard libraries the sandbox keeps (os and debug cut down)
    coroutine = fields("close create isyieldable resume running status wrap yield"),
    math = fields([[abs ceil cos deg exp floor fmod huge log max maxinteger min mininteger
      modf pi rad random randomseed sin sqrt tan tointeger type ult acos asin atan
      atan2 cosh frexp ldexp log10 pow sinh tanh]]),  -- the last line: Lua's 5.3 compatibility
    string = fields([[byte char find format gmatch gsub len lower match pack packsize rep
      reverse sub unpack upper]]),
    table = fields("concat insert move pack remove sort unpack"),
    utf8 = fields("char charpattern codepoint codes len offset"),
    os = fields("time date clock"),
    debug = fields("traceback"),
    -- the host's modules (contract section 4)
    json = fields("encode decode array null"),
    http = fields("request"),
    crypto = fields([[md5 sha1 sha256 sha512 hmac base64_encode base64_decode
      base64url_encode hex uuid random_string]]),
    url = fields("encode decode query parse_query"),
    time = fields("now format parse iso"),
    log = fields("debug info warn error secret"),
    cache = fields("get set delete"),
    credentials = fields("get set delete"),  -- **Extension**
    fields = fields("text flag email phone_digits phone_plus country language ip"),
  },
}

std = "leadrelay"
max_line_length = 160
