/* json.null (a light userdata unique to each VM) and the JSON array mark's registry slot. */
#include <lua.h>

#include "clua_host.h"
#include "internal.h"

void clua_push_null(lua_State *L) {
    lua_pushlightuserdata(L, &limits_of(L)->null_tag);
}

int clua_is_null(lua_State *L, int idx) {
    return lua_type(L, idx) == LUA_TLIGHTUSERDATA &&
           lua_touserdata(L, idx) == (void *)&limits_of(L)->null_tag;
}

int clua_json_array_ref(lua_State *L) { return limits_of(L)->json_array_ref; }

void clua_set_json_array_ref(lua_State *L, int ref) { limits_of(L)->json_array_ref = ref; }
