/* libFuzzer target `pattern-differential`: LeadRelay's own pattern matcher and bounded string
 * functions (CLuaHost) against stock Lua 5.4's, in one state. The input is split into a
 * subject, a pattern and a replacement (separated by 0xFF bytes); its last byte gives an init
 * position. find, plain find, match, gmatch, gsub (string, table and function replacements)
 * and rep are called on both sides under pcall: results (types and values) and error messages
 * must be equal (an argument error's function name excepted: it comes from where the function
 * is stored, not from the function). A difference aborts with both results printed.
 *
 * Our side runs first, under an instruction budget: a pattern that backtracks
 * exponentially ends there with the instruction limit, and stock Lua, which would take as
 * long without any bound, is then not called for that input. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clua_host.h>

static lua_State *L;
static clua_limits limits;

static const char driver[] =
    "local function pack(...) return { n = select('#', ...), ... } end\n"
    "local function same(a, b)\n"
    "  if a.n ~= b.n then return false end\n"
    "  for i = 1, a.n do\n"
    "    local x, y = a[i], b[i]\n"
    "    if type(x) ~= type(y) then return false end\n"
    "    if type(x) == 'string' and i == 2 and a[1] == false then\n"
    "      x = x:gsub(\"^(bad argument #%d+ to )'[^']*'\", '%1f'); y = y:gsub(\"^(bad argument #%d+ to )'[^']*'\", '%1f')\n"
    "    end\n"
    "    if type(x) ~= 'function' and x ~= y then return false end\n"
    "  end\n"
    "  return true\n"
    "end\n"
    "local function all(gmatch) return function(s, p, i)\n"
    "  local out, n = {}, 0\n"
    "  for a, b, c in gmatch(s, p, i) do n = n + 1; out[n] = tostring(a) .. '/' .. tostring(b) .. '/' .. tostring(c); if n > 50 then break end end\n"
    "  return table.concat(out, ';') end end\n"
    "local ours_gmatch, stock_gmatch = all(string.gmatch), all(stock.gmatch)\n"
    "return function(s, p, r, i)\n"
    "  local checks = {\n"
    "    { 'find', string.find, stock.find, s, p, i },\n"
    "    { 'find plain', string.find, stock.find, s, p, i, true },\n"
    "    { 'match', string.match, stock.match, s, p, i },\n"
    "    { 'gmatch', ours_gmatch, stock_gmatch, s, p, i },\n"
    "    { 'gsub', string.gsub, stock.gsub, s, p, r, i % 5 },\n"
    "    { 'gsub table', string.gsub, stock.gsub, s, p, { a = 'A', [''] = 'E', b = false } },\n"
    "    { 'gsub function', string.gsub, stock.gsub, s, p, function(x, y) return y or (x and #x > 1 and x:upper()) end },\n"
    "    { 'rep', string.rep, stock.rep, p, i % 7, r },\n"
    "  }\n"
    "  for _, c in ipairs(checks) do\n"
    "    local r = pack(bounded(c[2], table.unpack(c, 4, 8)))\n"
    "    local limited, a = r[1], { n = r.n - 1 }\n"
    "    for k = 2, r.n do a[k - 1] = r[k] end\n"
    "    local b = limited or pack(pcall(c[3], table.unpack(c, 4, 8)))\n"
    "    if not limited and not same(a, b) then\n"
    "      local function show(r) local t = {} for k = 1, r.n do t[k] = type(r[k]) .. ':' .. tostring(r[k]) end return table.concat(t, ',') end\n"
    "      return c[1] .. string.format(' %q %q %q %d', s, p, r, i) .. ' ours ' .. show(a) .. ' stock ' .. show(b)\n"
    "    end\n"
    "  end\n"
    "end\n";

static int compare_ref = LUA_NOREF;

/* bounded(f, ...) -> limited, ok, results...: pcall(f, ...) with the budget armed. */
static int bounded(lua_State *L) {
    int n = lua_gettop(L);
    limits.hit = CLUA_HIT_NONE;
    limits.instr_used = 0;
    limits.instr_limit = 2000000;
    clua_set_armed(&limits, 1);
    int status = lua_pcall(L, n - 1, LUA_MULTRET, 0);
    int limited = limits.hit != CLUA_HIT_NONE;
    clua_set_armed(&limits, 0);
    limits.hit = CLUA_HIT_NONE;
    clua_set_count_hook(L, CLUA_HOOK_PERIOD);
    lua_pushboolean(L, status == LUA_OK);
    lua_insert(L, 1);
    lua_pushboolean(L, limited);
    lua_insert(L, 1);
    return lua_gettop(L);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc; (void)argv;
    L = clua_newstate(&limits);
    luaL_openlibs(L);
    if (luaL_dostring(L, "stock = {} for _, n in ipairs({'find','match','gmatch','gsub','rep'}) do stock[n] = string[n] end")) abort();
    clua_open_bounded_libs(L);
    lua_pushcfunction(L, bounded);
    lua_setglobal(L, "bounded");
    if (luaL_loadstring(L, driver) || lua_pcall(L, 0, 1, 0)) {
        fprintf(stderr, "driver: %s\n", lua_tostring(L, -1));
        abort();
    }
    compare_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* Keep inputs small: backtracking is exponential in the pattern for both sides. */
    if (size > 64) return -1;
    const uint8_t *parts[3] = {data, data, data};
    size_t lens[3] = {0, 0, 0};
    int part = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && part < 3; i++) {
        if (i == size || (data[i] == 0xFF && part < 2)) {
            parts[part] = data + start;
            lens[part] = i - start;
            part++;
            start = i + 1;
        }
    }
    lua_Integer init = size > 0 ? (lua_Integer)(int8_t)data[size - 1] % 20 : 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, compare_ref);
    for (int k = 0; k < 3; k++) lua_pushlstring(L, (const char *)parts[k], lens[k]);
    lua_pushinteger(L, init);
    if (lua_pcall(L, 4, 1, 0) != LUA_OK) {
        fprintf(stderr, "driver error: %s\n", lua_tostring(L, -1));
        abort();
    }
    if (!lua_isnil(L, -1)) {
        fprintf(stderr, "DIFFERENCE: %s\n", lua_tostring(L, -1));
        abort();
    }
    lua_pop(L, 1);
    lua_gc(L, LUA_GCSTEP, 0);
    return 0;
}
