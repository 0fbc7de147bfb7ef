/* string.rep with its cost known before any work: an empty result is immediate (stock Lua
 * loops n times copying nothing), a result over the memory cap is the memory limit before
 * anything is allocated, and the copying is charged to the budget. */
#include <lauxlib.h>
#include <limits.h>
#include <string.h>

#include "internal.h"

static int str_rep(lua_State *L) {
    size_t len, seplen;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_Integer n = luaL_checkinteger(L, 2);
    const char *sep = luaL_optlstring(L, 3, "", &seplen);
    if (n <= 0 || len + seplen == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    double total = (double)n * (double)len + (double)(n - 1) * (double)seplen;
    clua_limits *lim = limits_of(L);
    if (n > 1 && lim->armed && lim->mem_cap != 0 && total > (double)lim->mem_cap) {
        lim->hit = CLUA_HIT_MEMORY;
        return clua_raise_limit_with(L, "memory limit exceeded (string.rep of %f bytes)", (lua_Number)total);
    }
    if (len + seplen < len || len + seplen > (size_t)INT_MAX / (size_t)n)
        return luaL_error(L, "resulting string too large");
    size_t size = (size_t)total;
    clua_charge(L, (int64_t)(size >> 6));
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, size);
    while (n-- > 1) {
        memcpy(out, s, len);
        out += len;
        if (seplen > 0) {
            memcpy(out, sep, seplen);
            out += seplen;
        }
    }
    memcpy(out, s, len);
    luaL_pushresultsize(&b, size);
    return 1;
}

const luaL_Reg clua_bounded_rep_function[] = {
    {"rep", str_rep},
    {NULL, NULL},
};
