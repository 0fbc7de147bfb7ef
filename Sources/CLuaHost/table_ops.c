/* table.concat, insert, remove, move and unpack with the arguments, results and errors of
 * Lua 5.4's own, each element charged to the budget: a length that lies (__len) or a
 * range of 1e12 ends with the instruction limit instead of looping in C. */
#include <limits.h>

#include "table_ops.h"

static int has_field(lua_State *L, const char *key, int n) {
    lua_pushstring(L, key);
    return lua_rawget(L, -n) != LUA_TNIL;
}

void table_check(lua_State *L, int arg, int needs) {
    if (lua_type(L, arg) == LUA_TTABLE) return;
    int n = 1;
    if (lua_getmetatable(L, arg) &&
        (!(needs & TABLE_READ) || has_field(L, "__index", ++n)) &&
        (!(needs & TABLE_WRITE) || has_field(L, "__newindex", ++n)) &&
        (!(needs & TABLE_LENGTH) || has_field(L, "__len", ++n))) {
        lua_pop(L, n);
    } else {
        luaL_checktype(L, arg, LUA_TTABLE);
    }
}

lua_Integer table_length(lua_State *L, int arg, int needs) {
    table_check(L, arg, needs | TABLE_LENGTH);
    return luaL_len(L, arg);
}

static void add_element(lua_State *L, luaL_Buffer *b, lua_Integer i) {
    lua_geti(L, 1, i);
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid value (%s) at index %I in table for 'concat'", luaL_typename(L, -1), (LUAI_UACINT)i);
    luaL_addvalue(b);
}

static int tab_concat(lua_State *L) {
    luaL_Buffer b;
    lua_Integer last = table_length(L, 1, TABLE_READ);
    size_t seplen;
    const char *sep = luaL_optlstring(L, 2, "", &seplen);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    last = luaL_optinteger(L, 4, last);
    element_meter meter = {L, 0};
    luaL_buffinit(L, &b);
    for (; i < last; i++) {
        add_element(L, &b, i);
        luaL_addlstring(&b, sep, seplen);
        meter_tick(&meter);
    }
    if (i == last) add_element(L, &b, i);
    meter_settle(&meter);
    luaL_pushresult(&b);
    return 1;
}

static int tab_insert(lua_State *L) {
    lua_Integer end = luaL_intop(+, table_length(L, 1, TABLE_READ | TABLE_WRITE), 1);
    lua_Integer pos;
    switch (lua_gettop(L)) {
    case 2:
        pos = end;
        break;
    case 3: {
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)end, 2, "position out of bounds");
        element_meter meter = {L, 0};
        for (lua_Integer i = end; i > pos; i--) {
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
            meter_tick(&meter);
        }
        meter_settle(&meter);
        break;
    }
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

static int tab_remove(lua_State *L) {
    lua_Integer size = table_length(L, 1, TABLE_READ | TABLE_WRITE);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size) /* Lua 5.4.4 names argument 1 here; its message is kept */
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1, "position out of bounds");
    lua_geti(L, 1, pos);
    element_meter meter = {L, 0};
    for (; pos < size; pos++) {
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
        meter_tick(&meter);
    }
    meter_settle(&meter);
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

static int tab_move(lua_State *L) {
    lua_Integer first = luaL_checkinteger(L, 2);
    lua_Integer last = luaL_checkinteger(L, 3);
    lua_Integer to = luaL_checkinteger(L, 4);
    int dest = !lua_isnoneornil(L, 5) ? 5 : 1;
    table_check(L, 1, TABLE_READ);
    table_check(L, dest, TABLE_WRITE);
    if (last >= first) {
        luaL_argcheck(L, first > 0 || last < LUA_MAXINTEGER + first, 3, "too many elements to move");
        lua_Integer n = last - first + 1;
        luaL_argcheck(L, to <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        element_meter meter = {L, 0};
        if (to > last || to <= first || (dest != 1 && !lua_compare(L, 1, dest, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++) {
                lua_geti(L, 1, first + i);
                lua_seti(L, dest, to + i);
                meter_tick(&meter);
            }
        } else {
            for (lua_Integer i = n - 1; i >= 0; i--) {
                lua_geti(L, 1, first + i);
                lua_seti(L, dest, to + i);
                meter_tick(&meter);
            }
        }
        meter_settle(&meter);
    }
    lua_pushvalue(L, dest);
    return 1;
}

static int tab_unpack(lua_State *L) {
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer last = luaL_opt(L, luaL_checkinteger, 3, luaL_len(L, 1));
    if (i > last) return 0;
    lua_Unsigned n = (lua_Unsigned)last - (lua_Unsigned)i;
    if (n >= (unsigned int)INT_MAX || !lua_checkstack(L, (int)(++n)))
        return luaL_error(L, "too many results to unpack");
    element_meter meter = {L, 0};
    for (; i < last; i++) {
        lua_geti(L, 1, i);
        meter_tick(&meter);
    }
    lua_geti(L, 1, last);
    meter_settle(&meter);
    return (int)n;
}

const luaL_Reg clua_bounded_table_functions[] = {
    {"concat", tab_concat},
    {"insert", tab_insert},
    {"remove", tab_remove},
    {"move", tab_move},
    {"unpack", tab_unpack},
    {NULL, NULL},
};
