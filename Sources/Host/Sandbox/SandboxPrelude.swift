/// The Lua code that turns a full standard library into the sandbox of the contract
/// (section 4). It runs once per VM, after the host modules are installed, built by
/// allow-list: every global not named here is removed.
///
/// It receives the host's library loader and returns `fresh`, which makes the global table
/// one load of a script runs in (a copy of the pruned globals, its own `require` cache) and
/// the function that seals it: `LuaVM.renewGlobals()` installs a new one before each load.
enum SandboxPrelude {
    /// `source` compiled once per process; nil only if it did not compile (then each VM
    /// loads the source and reports the error).
    static let compiled: LuaChunk? = try? LuaChunk.compile(LuaSource(name: "sandbox", code: source))

    static let source = #"""
        local load_lib, charge_source = ...
        local G = _G
        local type, error, next, tostring, select = type, error, next, tostring, select
        local raw_setmetatable, raw_getmetatable = setmetatable, getmetatable
        local raw_rawset, raw_rawget = rawset, rawget
        local raw_load, raw_collectgarbage = load, collectgarbage
        local os_time, os_date, os_clock = os.time, os.date, os.clock
        local traceback = debug.traceback
        local host_time = G.time

        -- Globals scripts keep: the safe part of the base library, the safe libraries and the
        -- host modules. Anything else (io, package, dofile, loadfile, ...) goes.
        local keep = {
          assert = true, error = true, getmetatable = true, ipairs = true, next = true,
          pairs = true, pcall = true, rawequal = true, rawget = true, rawlen = true,
          rawset = true, select = true, setmetatable = true, tonumber = true, tostring = true,
          type = true, xpcall = true, load = true, collectgarbage = true, print = true,
          require = true, _G = true, _VERSION = true,
          coroutine = true, math = true, string = true, table = true, utf8 = true,
          os = true, debug = true,
          json = true, http = true, crypto = true, url = true, time = true, log = true, cache = true, fields = true,
          credentials = true,
        }
        local drop = {}
        for name in next, G do
          if not keep[name] then drop[#drop + 1] = name end
        end
        for i = 1, #drop do G[drop[i]] = nil end

        string.dump = nil

        G.os = {
          -- os.time() without a table is the host's clock, so fixtures that fix "now" are exact.
          time = function(t)
            if t == nil and host_time then return host_time.now() end
            return os_time(t)
          end,
          date = os_date,
          clock = os_clock,
        }
        G.debug = { traceback = traceback }

        -- Compiling runs in C, where the count hook cannot reach: the source is charged to the
        -- budget by its size before the parser sees it (a reader function's pieces as they come).
        G.load = function(chunk, chunkname, mode, ...)
          if mode ~= nil and mode ~= "t" then
            error("load: only text chunks are allowed (mode \"t\")", 2)
          end
          if type(chunk) == "string" then
            charge_source(#chunk)
          elseif type(chunk) == "function" then
            local read = chunk
            chunk = function()
              local piece = read()
              if type(piece) == "string" then charge_source(#piece) end
              return piece
            end
          end
          -- As plain `load`: an `env` given (nil included) is the chunk's _ENV; none given,
          -- the chunk sees the globals.
          if select("#", ...) > 0 then
            return raw_load(chunk, chunkname, "t", (...))
          end
          return raw_load(chunk, chunkname, "t")
        end

        G.collectgarbage = function(opt)
          if opt == "count" then return raw_collectgarbage("count") end
          error("collectgarbage: only \"count\" is allowed here, not " .. tostring(opt), 2)
        end

        G.setmetatable = function(t, mt)
          if type(mt) == "table" and raw_rawget(mt, "__gc") ~= nil then
            error("setmetatable: a metatable with __gc is not allowed (finalizers run outside the limits)", 2)
          end
          return raw_setmetatable(t, mt)
        end

        if G.log and G.log.info then G.print = G.log.info else G.print = nil end

        -- Read-only tables: a frozen table is emptied and reads go through its metatable to a
        -- hidden copy; writes (and rawset) raise.
        local frozen = raw_setmetatable({}, { __mode = "k" })

        G.rawset = function(t, k, v)
          if frozen[t] then error("rawset: table is read-only", 2) end
          return raw_rawset(t, k, v)
        end

        local function readonly(what)
          return function(_, key)
            error("attempt to modify " .. what .. " (field '" .. tostring(key) ..
              "'); keep per-lead values in ctx.state or locals", 2)
          end
        end

        -- pairs on a frozen table iterates its hidden copy without handing the copy out: the
        -- state pairs returns is the frozen table itself, which refuses writes.
        local function frozen_next(t, key)
          return next(frozen[t], key)
        end

        local function freeze(t, what)
          if frozen[t] or raw_getmetatable(t) ~= nil then return t end
          local hidden = {}
          for k, v in next, t do hidden[k] = v end
          for k in next, hidden do raw_rawset(t, k, nil) end
          frozen[t] = hidden
          raw_setmetatable(t, {
            __index = hidden,
            __newindex = readonly(what),
            __len = function() return #hidden end,
            __pairs = function(self) return frozen_next, self, nil end,
            __metatable = "read-only table",
          })
          return t
        end

        local function deep_freeze(t, what, seen)
          seen = seen or {}
          if seen[t] then return t end
          seen[t] = true
          for _, v in next, t do
            if type(v) == "table" then deep_freeze(v, what, seen) end
          end
          return freeze(t, what)
        end

        local string_mt = raw_getmetatable("")
        string_mt.__metatable = "string"

        local libraries = {
          "coroutine", "math", "string", "table", "utf8", "os", "debug",
          "json", "http", "crypto", "url", "time", "log", "cache", "fields", "credentials",
        }

        -- The globals as every script first sees them. No script ever runs in this table:
        -- each load gets a deep copy (`fresh`), so that what one load did to its globals
        -- and library tables cannot reach the next one.
        local template = G
        local random_seed = math.randomseed

        local function copy(t, seen)
          local c = seen[t]
          if c then return c end
          c = {}
          seen[t] = c
          for k, v in next, t do
            if type(v) == "table" then v = copy(v, seen) end
            c[k] = v
          end
          return c
        end

        -- A new global table for one load of a script, with its own `require` (an empty
        -- module cache) and the function that seals it once the script has loaded.
        local function fresh()
          local env = copy(template, {})
          env._G = env
          string_mt.__index = env.string
          random_seed()

          local loaded, loading = {}, {}
          env.require = function(name)
            if type(name) ~= "string" then
              error("require: expected a module name such as \"lib.util\", got " .. type(name), 2)
            end
            local value = loaded[name]
            if value ~= nil then return value end
            if loading[name] then error("require: circular require of \"" .. name .. "\"", 2) end
            local chunk = load_lib(name)
            loading[name] = true
            value = chunk(name)
            loading[name] = nil
            if value == nil then value = true end
            if type(value) == "table" then deep_freeze(value, "a library table") end
            loaded[name] = value
            return value
          end

          -- Seals the globals, the libraries and the script's table once the script has loaded.
          local function seal(script_table)
            for i = 1, #libraries do
              local lib = env[libraries[i]]
              if type(lib) == "table" then freeze(lib, "the library table '" .. libraries[i] .. "'") end
            end
            string_mt.__index = frozen[env.string] or env.string
            if type(script_table) == "table" then deep_freeze(script_table, "the script's table") end
            freeze(env, "a global: globals are read-only once the script has loaded")
          end

          return env, seal
        end

        return fresh
        """#
}
