/* Guards on the base functions through which a script's Lua could run after a limit was
 * hit, with the count hook off: an error raised inside the hook calls xpcall's message
 * handler with hooks disabled, and a coroutine killed inside the hook keeps them disabled,
 * so its __close handlers would run unbounded when it is closed (coroutine.close, or the
 * error path of coroutine.wrap). Each guard checks the running call's limit and raises it
 * instead of running any of the script's code; a coroutine killed by a limit is remembered
 * and never closed, in this call or a later one. */
#include <lauxlib.h>
#include <lua.h>

#include "clua_host.h"
#include "internal.h"

/* Registry key of the weak-keyed table of coroutines killed by a limit, each with the
 * limit's message. */
static const char killed_key = 0;

static void mark_killed(lua_State *L, lua_State *co, int hit) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &killed_key);
    lua_pushthread(co);
    lua_xmove(co, L, 1);
    lua_pushfstring(L, "%s exceeded", clua_hit_name(hit));
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Pushes the message of the limit that killed `co` and returns 1, or returns 0 (nothing
 * pushed) when no limit killed it. */
static int push_killed_message(lua_State *L, lua_State *co) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &killed_key);
    lua_pushthread(co);
    lua_xmove(co, L, 1);
    if (lua_rawget(L, -2) == LUA_TNIL) {
        lua_pop(L, 2);
        return 0;
    }
    lua_remove(L, -2);
    return 1;
}

/* ---- xpcall ---- */

/* The message handler xpcall really installs: the script's handler, unless a limit was
 * hit, in which case the error object goes through untouched. */
static int guarded_handler(lua_State *L) {
    if (clua_limit_hit(L)) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* After the protected call: results, or false and the error; the limit if one was hit. */
static int xpcall_done(lua_State *L, int status, lua_KContext base) {
    if (status != LUA_OK && status != LUA_YIELD) {
        clua_check_limit(L);
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)base;
}

/* xpcall(f, msgh, ...): as in the base library, with msgh behind guarded_handler. */
static int guarded_xpcall(lua_State *L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    /* Stack: f, handler, args... -> f, handler, true, f, args... */
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, xpcall_done);
    return xpcall_done(L, status, 2);
}

/* ---- coroutines ---- */

/* Resumes `co` with the `nargs` values on top of L; leaves its results (returns their
 * count) or its error (returns -1) on L. */
static int resume_into(lua_State *L, lua_State *co, int nargs) {
    int status = lua_status(co);
    lua_Debug ar;
    if (co == L || (status == LUA_OK && lua_getstack(co, 0, &ar))) {
        lua_pushliteral(L, "cannot resume non-suspended coroutine");
        return -1;
    }
    if ((status == LUA_OK && lua_gettop(co) == 0) || (status != LUA_OK && status != LUA_YIELD)) {
        lua_pushliteral(L, "cannot resume dead coroutine");
        return -1;
    }
    if (!lua_checkstack(co, nargs)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    lua_xmove(L, co, nargs);
    int nresults = 0;
    status = lua_resume(co, L, nargs, &nresults);
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_xmove(co, L, 1);
        return -1;
    }
    if (!lua_checkstack(L, nresults + 1)) {
        lua_pop(co, nresults);
        lua_pushliteral(L, "too many results to resume");
        return -1;
    }
    lua_xmove(co, L, nresults);
    return nresults;
}

/* After a resume: a limit hit inside `co` kills it and is raised here, in the resumer. */
static void check_after_resume(lua_State *L, lua_State *co) {
    if (!clua_limit_hit(L)) return;
    clua_limits *lim = limits_of(L);
    mark_killed(L, co, lim->hit);
    clua_raise_limit(L, lim);
}

static lua_State *coroutine_arg(lua_State *L, int arg) {
    lua_State *co = lua_tothread(L, arg);
    luaL_argexpected(L, co != NULL, arg, "coroutine");
    return co;
}

static int guarded_resume(lua_State *L) {
    lua_State *co = coroutine_arg(L, 1);
    clua_check_limit(L);
    int r = resume_into(L, co, lua_gettop(L) - 1);
    check_after_resume(L, co);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(r + 1));
    return r + 1;
}

/* The function coroutine.wrap returns: resumes its coroutine; on an error, closes it
 * (unless a limit killed it) and raises the error with the caller's position. */
static int guarded_wrap_call(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    clua_check_limit(L);
    int r = resume_into(L, co, lua_gettop(L));
    check_after_resume(L, co);
    if (r >= 0) return r;
    int status = lua_status(co);
    if (status != LUA_OK && status != LUA_YIELD) {
        if (push_killed_message(L, co)) {
            lua_pop(L, 1);
        } else {
            status = lua_resetthread(co);
            lua_xmove(co, L, 1);
            clua_check_limit(L);
        }
    }
    if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

static int guarded_wrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, guarded_wrap_call, 1);
    return 1;
}

/* coroutine.close through the stock function, unless a limit was hit in this call or
 * killed the coroutine: then its __close handlers never run. */
static int guarded_close(lua_State *L) {
    lua_State *co = coroutine_arg(L, 1);
    clua_check_limit(L);
    if (push_killed_message(L, co)) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_CFunction stock = lua_tocfunction(L, lua_upvalueindex(1));
    int n = stock(L);
    clua_check_limit(L);
    return n;
}

void clua_open_guards(lua_State *L) {
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &killed_key);

    lua_pushcfunction(L, guarded_xpcall);
    lua_setglobal(L, "xpcall");

    lua_getglobal(L, "coroutine");
    lua_pushcfunction(L, guarded_resume);
    lua_setfield(L, -2, "resume");
    lua_pushcfunction(L, guarded_wrap);
    lua_setfield(L, -2, "wrap");
    lua_getfield(L, -1, "close");
    lua_pushcclosure(L, guarded_close, 1);
    lua_setfield(L, -2, "close");
    lua_pop(L, 1);
}
