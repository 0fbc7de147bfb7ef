/* Limits as library code written in C sees them: the instruction budget it charges for its
 * own steps, the deadline it checks, and the one way a limit is raised outside the hook. */
#include <lauxlib.h>
#include <lua.h>
#include <stdint.h>

#include "clua_host.h"
#include "internal.h"

int clua_raise_limit(lua_State *L, clua_limits *lim) {
    /* The hook fires before every instruction of this thread from now on, so nothing of
     * the script runs between a caught error and the next raise. */
    lua_sethook(L, clua_count_hook, LUA_MASKCOUNT, 1);
    return luaL_error(L, "%s exceeded", clua_hit_name(lim->hit));
}

int clua_raise_limit_with(lua_State *L, const char *format, lua_Number value) {
    lua_sethook(L, clua_count_hook, LUA_MASKCOUNT, 1);
    return luaL_error(L, format, value);
}

int clua_limit_hit(lua_State *L) {
    clua_limits *lim = limits_of(L);
    return lim->armed && lim->hit != CLUA_HIT_NONE;
}

void clua_check_limit(lua_State *L) {
    clua_limits *lim = limits_of(L);
    if (lim->armed && lim->hit != CLUA_HIT_NONE) clua_raise_limit(L, lim);
}

void clua_charge(lua_State *L, int64_t steps) {
    if (clua_spend(L, steps) != CLUA_HIT_NONE) clua_raise_limit(L, limits_of(L));
}

int clua_memory_exceeded(lua_State *L) {
    clua_limits *lim = limits_of(L);
    return lim->mem_cap != 0 && lim->mem_used > lim->mem_cap;
}

size_t clua_memory_room(lua_State *L) {
    clua_limits *lim = limits_of(L);
    if (!lim->armed || lim->mem_cap == 0) return SIZE_MAX;
    return lim->mem_used >= lim->mem_cap ? 0 : lim->mem_cap - lim->mem_used;
}

int clua_spend(lua_State *L, int64_t steps) {
    clua_limits *lim = limits_of(L);
    if (!lim->armed) return CLUA_HIT_NONE;
    lim->instr_used += steps;
    if (lim->hit == CLUA_HIT_NONE) {
        if (lim->instr_limit != 0 && lim->instr_used > lim->instr_limit)
            lim->hit = CLUA_HIT_INSTRUCTIONS;
        else if (lim->deadline_ns != 0 && clua_now_ns() > lim->deadline_ns)
            lim->hit = CLUA_HIT_TIME;
    }
    return lim->hit;
}

void clua_mark_hit(lua_State *L, int hit) {
    clua_limits *lim = limits_of(L);
    if (lim->armed && lim->hit == CLUA_HIT_NONE) lim->hit = hit;
}
