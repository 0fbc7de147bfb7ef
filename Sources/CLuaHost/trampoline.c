/* The trampoline every Swift host function is called through: Swift returns a code and the
 * trampoline raises or yields here, in C, so no longjmp ever crosses a Swift frame. */
#include <lauxlib.h>
#include <lua.h>

#include "clua_host.h"
#include "internal.h"

static int trampoline(lua_State *L) {
    clua_host_fn fn = (clua_host_fn)lua_touserdata(L, lua_upvalueindex(1));
    void *context = lua_touserdata(L, lua_upvalueindex(2));
    clua_limits *lim = limits_of(L);
    lim->in_host++;
    int r = fn(L, context);
    lim->in_host--;
    if (r >= 0) {
        if (lim->armed && lim->mem_cap != 0 && lim->mem_used > lim->mem_cap) {
            lim->hit = CLUA_HIT_MEMORY;
            return luaL_error(L, "memory limit exceeded");
        }
        return r;
    }
    if (r == CLUA_RAISE) {
        /* A limit the host function found stays hit, as when the hook raises it. */
        if (lim->armed && lim->hit != CLUA_HIT_NONE) lua_sethook(L, clua_count_hook, LUA_MASKCOUNT, 1);
        return lua_error(L);
    }
    if (r == CLUA_YIELD) return lua_yield(L, lim->yield_count);
    return luaL_error(L, "host function returned an invalid code (%d)", r);
}

void clua_push_host_function(lua_State *L, clua_host_fn fn, void *context) {
    lua_pushlightuserdata(L, (void *)fn);
    lua_pushlightuserdata(L, context);
    lua_pushcclosure(L, trampoline, 2);
}

void clua_set_yield_count(lua_State *L, int count) {
    limits_of(L)->yield_count = count;
}
