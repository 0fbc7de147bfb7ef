/* table.sort: quicksort with a median-of-three pivot, each comparison charged to the
 * budget. Like Lua 5.4's, it is not stable, and an order function that is not a strict
 * order raises "invalid order function for sorting" instead of running off the range. */
#include <limits.h>

#include "table_ops.h"

typedef unsigned int position;

/* Whether the value at stack index a sorts before the one at b: the order function (at
 * index 2) when there is one, else '<'. */
static int sorts_before(lua_State *L, int a, int b) {
    a = lua_absindex(L, a);
    b = lua_absindex(L, b);
    if (lua_isnil(L, 2)) return lua_compare(L, a, b, LUA_OPLT);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, a);
    lua_pushvalue(L, b);
    lua_call(L, 2, 1);
    int before = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return before;
}

/* Pops the top value into t[i] and the one under it into t[j]. */
static void store_two(lua_State *L, position i, position j) {
    lua_seti(L, 1, i);
    lua_seti(L, 1, j);
}

static void invalid_order(lua_State *L) {
    luaL_error(L, "invalid order function for sorting");
}

/* Leaves the median of t[lo], t[mid], t[hi] at mid, the smallest at lo, the largest at hi. */
static void order_three(lua_State *L, position lo, position mid, position hi) {
    lua_geti(L, 1, mid);
    lua_geti(L, 1, lo);
    if (sorts_before(L, -2, -1)) {
        store_two(L, mid, lo);
        return;
    }
    lua_pop(L, 1);
    lua_geti(L, 1, hi);
    if (sorts_before(L, -1, -2)) store_two(L, mid, hi);
    else lua_pop(L, 2);
}

/* Partitions lo..hi around the pivot (on top of the stack, also at hi - 1); returns where
 * the pivot ends. Pops the pivot. */
static position partition(lua_State *L, position lo, position hi, element_meter *meter) {
    position i = lo, j = hi - 1;
    for (;;) {
        while (lua_geti(L, 1, ++i), sorts_before(L, -1, -2)) {
            if (i == hi - 1) invalid_order(L);
            lua_pop(L, 1);
            meter_tick(meter);
        }
        while (lua_geti(L, 1, --j), sorts_before(L, -3, -1)) {
            if (j < i) invalid_order(L);
            lua_pop(L, 1);
            meter_tick(meter);
        }
        if (j < i) {
            lua_pop(L, 1);                  /* t[j] */
            lua_geti(L, 1, hi - 1);         /* the pivot, to i; t[i] to hi - 1 */
            store_two(L, i, hi - 1);
            lua_pop(L, 1);                  /* the pivot */
            return i;
        }
        store_two(L, i, j);                 /* swap t[i] and t[j] */
        meter_tick(meter);
    }
}

static void sort_range(lua_State *L, position lo, position hi, element_meter *meter) {
    while (lo < hi) {
        lua_geti(L, 1, lo);
        lua_geti(L, 1, hi);
        if (sorts_before(L, -1, -2)) store_two(L, lo, hi);
        else lua_pop(L, 2);
        if (hi - lo == 1) return;
        position mid = lo + (hi - lo) / 2;
        order_three(L, lo, mid, hi);
        if (hi - lo == 2) return;
        /* The pivot goes to hi - 1 and stays on the stack while partitioning. */
        lua_geti(L, 1, mid);
        lua_pushvalue(L, -1);
        lua_geti(L, 1, hi - 1);
        store_two(L, mid, hi - 1);
        position p = partition(L, lo, hi, meter);
        /* The smaller side recursively, the larger one by looping: depth O(log n). */
        if (p - lo < hi - p) {
            sort_range(L, lo, p - 1, meter);
            lo = p + 1;
        } else {
            sort_range(L, p + 1, hi, meter);
            hi = p - 1;
        }
    }
}

static int tab_sort(lua_State *L) {
    lua_Integer n = table_length(L, 1, TABLE_READ | TABLE_WRITE);
    if (n > 1) {
        luaL_argcheck(L, n < INT_MAX, 1, "array too big");
        if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
        lua_settop(L, 2);
        element_meter meter = {L, 0};
        sort_range(L, 1, (position)n, &meter);
        meter_settle(&meter);
    }
    return 0;
}

const luaL_Reg clua_bounded_sort_function[] = {
    {"sort", tab_sort},
    {NULL, NULL},
};
