/* Declarations shared by CLuaHost's .c files and not seen by Swift. */
#ifndef CLUA_HOST_INTERNAL_H
#define CLUA_HOST_INTERNAL_H

#include <lua.h>
#include "clua_host.h"

void *clua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
void clua_count_hook(lua_State *L, lua_Debug *ar);

#endif
