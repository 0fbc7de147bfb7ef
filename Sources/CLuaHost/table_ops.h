/* What the bounded table functions share: Lua 5.4's checks on their table argument and a
 * meter that charges one step per element they touch. */
#ifndef CLUA_TABLE_OPS_H
#define CLUA_TABLE_OPS_H

#include <lauxlib.h>
#include <lua.h>

#include "internal.h"

enum { TABLE_READ = 1, TABLE_WRITE = 2, TABLE_LENGTH = 4 };

/* Accepts a table, or a value whose metatable has the metamethods `needs` asks for. */
void table_check(lua_State *L, int arg, int needs);

/* The length (`#t`, __len included) of a checked table argument. */
lua_Integer table_length(lua_State *L, int arg, int needs);

/* Charges the budget every TABLE_STEPS_PER_CHARGE elements, so that a loop of elements
 * with C metamethods (an __index that is itself a library function) stays bounded. */
#define TABLE_STEPS_PER_CHARGE 1024

typedef struct element_meter {
    lua_State *L;
    int64_t pending;
} element_meter;

static inline void meter_tick(element_meter *meter) {
    if (++meter->pending >= TABLE_STEPS_PER_CHARGE) {
        clua_charge(meter->L, meter->pending);
        meter->pending = 0;
    }
}

static inline void meter_settle(element_meter *meter) {
    if (meter->pending > 0) clua_charge(meter->L, meter->pending);
    meter->pending = 0;
}

#endif
