/* The count hook that enforces the instruction budget, the deadline and the memory cap,
 * and the creation of a state wired to the allocator and the hook. */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>

#include "clua_host.h"
#include "internal.h"

clua_limits *clua_limits_of(lua_State *L) { return limits_of(L); }

const char *clua_hit_name(int hit) {
    switch (hit) {
    case CLUA_HIT_INSTRUCTIONS: return "instruction limit";
    case CLUA_HIT_TIME: return "time limit";
    case CLUA_HIT_MEMORY: return "memory limit";
    default: return "limit";
    }
}

/* Checked every CLUA_HOOK_PERIOD instructions. Once a limit is hit the hook fires on every
 * instruction of that thread, so a script cannot pcall its way past it. */
void clua_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    clua_limits *lim = limits_of(L);
    if (!lim->armed) return;
    lim->instr_used += CLUA_HOOK_PERIOD;
    if (lim->hit == CLUA_HIT_NONE) {
        if (lim->instr_limit != 0 && lim->instr_used > lim->instr_limit)
            lim->hit = CLUA_HIT_INSTRUCTIONS;
        else if (lim->deadline_ns != 0 && clua_now_ns() > lim->deadline_ns)
            lim->hit = CLUA_HIT_TIME;
        else if (lim->mem_cap != 0 && lim->mem_used > lim->mem_cap)
            lim->hit = CLUA_HIT_MEMORY;
    }
    if (lim->hit != CLUA_HIT_NONE) {
        lua_sethook(L, clua_count_hook, LUA_MASKCOUNT, 1);
        luaL_error(L, "%s exceeded", clua_hit_name(lim->hit));
    }
}

void clua_set_count_hook(lua_State *L, int period) {
    lua_sethook(L, clua_count_hook, LUA_MASKCOUNT, period);
}

int clua_over_memory(lua_State *L) {
    clua_limits *lim = limits_of(L);
    return lim->armed && lim->mem_cap != 0 && lim->mem_used > lim->mem_cap;
}

static int panic(lua_State *L) {
    (void)L;
    abort(); /* unreachable by design: Swift calls only non-raising API outside lua_pcall */
}

lua_State *clua_newstate(clua_limits *lim) {
    lua_State *L = lua_newstate(clua_alloc, lim);
    if (L == NULL) return NULL;
    lua_atpanic(L, panic);
    lua_setwarnf(L, NULL, NULL);
    clua_set_count_hook(L, CLUA_HOOK_PERIOD);
    return L;
}
