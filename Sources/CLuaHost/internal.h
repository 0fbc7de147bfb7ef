/* Declarations shared by CLuaHost's .c files and not seen by Swift. */
#ifndef CLUA_HOST_INTERNAL_H
#define CLUA_HOST_INTERNAL_H

#include <lauxlib.h>
#include <lua.h>
#include "clua_host.h"

void *clua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* clua_limits_of for the C side: inlined, it is on every host call's path. */
static inline clua_limits *limits_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (clua_limits *)ud;
}
void clua_count_hook(lua_State *L, lua_Debug *ar);

/* Raises the limit `lim->hit` names on L (which must be set), from C code. */
int clua_raise_limit(lua_State *L, clua_limits *lim);

/* The same, with a message of its own: `format` takes one lua_Number (%f). */
int clua_raise_limit_with(lua_State *L, const char *format, lua_Number value);

/* True when the running call has hit a limit. */
int clua_limit_hit(lua_State *L);

/* Raises the running call's limit on L if one was hit; returns otherwise. */
void clua_check_limit(lua_State *L);

/* Charges `steps` instructions of work done in C to the running call and checks the
 * deadline; raises the limit when either is exceeded. Cheap enough to call every few
 * thousand steps of a loop. */
void clua_charge(lua_State *L, int64_t steps);

/* The bounded replacements of the standard library's unbounded functions. */
extern const luaL_Reg clua_bounded_string_functions[];
extern const luaL_Reg clua_bounded_rep_function[];
extern const luaL_Reg clua_bounded_table_functions[];
extern const luaL_Reg clua_bounded_sort_function[];

#endif
