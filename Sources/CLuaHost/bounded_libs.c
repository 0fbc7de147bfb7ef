/* Puts the bounded functions in place of the standard library's unbounded ones. */
#include "internal.h"

static void replace_in(lua_State *L, const char *library, const luaL_Reg *functions) {
    lua_getglobal(L, library);
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 1);
}

void clua_open_bounded_libs(lua_State *L) {
    replace_in(L, "string", clua_bounded_string_functions);
    replace_in(L, "string", clua_bounded_rep_function);
    replace_in(L, "table", clua_bounded_table_functions);
    replace_in(L, "table", clua_bounded_sort_function);
}
