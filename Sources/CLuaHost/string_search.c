/* string.find, string.match, string.gmatch and string.gsub over the bounded matcher, with
 * the arguments, results and errors of Lua 5.4's own. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <lauxlib.h>
#include <string.h>

#include "internal.h"
#include "pattern.h"

/* A 1-based start position (negative from the end) as an offset into `len` bytes plus one. */
static size_t start_position(lua_Integer pos, size_t len) {
    if (pos > 0) return (size_t)pos;
    if (pos == 0) return 1;
    if (pos < -(lua_Integer)len) return 1;
    return len + (size_t)pos + 1;
}

static int has_specials(const char *p, size_t len) {
    for (size_t i = 0; i < len; i++) {
        switch (p[i]) {
        case '^': case '$': case '*': case '+': case '?': case '.':
        case '(': case '[': case '%': case '-':
            return 1;
        }
    }
    return 0;
}

/* The first occurrence of `needle` in `hay`, charged as a scan of `hay` (glibc's memmem is
 * linear for long needles and at most 256 bytes per position for short ones). */
static const char *find_plain(lua_State *L, const char *hay, size_t hlen, const char *needle, size_t nlen) {
    if (nlen == 0) return hay;
    if (nlen > hlen) return NULL;
    clua_charge(L, (int64_t)(hlen >> 5) + 1);
    return memmem(hay, hlen, needle, nlen);
}

/* find (find = 1) and match (find = 0). */
static int search(lua_State *L, int find) {
    size_t slen, plen;
    const char *s = luaL_checklstring(L, 1, &slen);
    const char *p = luaL_checklstring(L, 2, &plen);
    size_t init = start_position(luaL_optinteger(L, 3, 1), slen) - 1;
    if (init > slen) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, plen))) {
        const char *at = find_plain(L, s + init, slen - init, p, plen);
        if (at != NULL) {
            lua_pushinteger(L, (at - s) + 1);
            lua_pushinteger(L, (lua_Integer)((at - s) + plen));
            return 2;
        }
    } else {
        pattern_matcher m;
        const char *from = s + init;
        int anchored = *p == '^';
        if (anchored) {
            p++;
            plen--;
        }
        pattern_begin(&m, L, s, slen, p, plen);
        do {
            const char *end = pattern_match_at(&m, from, p);
            if (end != NULL) {
                pattern_settle(&m);
                if (!find) return pattern_push_captures(&m, from, end);
                lua_pushinteger(L, (from - s) + 1);
                lua_pushinteger(L, end - s);
                return pattern_push_captures(&m, NULL, NULL) + 2;
            }
        } while (from++ < m.subject_end && !anchored);
        pattern_settle(&m);
    }
    luaL_pushfail(L);
    return 1;
}

static int str_find(lua_State *L) { return search(L, 1); }
static int str_match(lua_State *L) { return search(L, 0); }

/* ---- gmatch ---- */

typedef struct gmatch_state {
    pattern_matcher m;
    const char *next;       /* where the next search starts */
    const char *pattern;
    const char *last_end;   /* end of the last match: an empty match there is skipped */
} gmatch_state;

static int gmatch_next(lua_State *L) {
    gmatch_state *g = (gmatch_state *)lua_touserdata(L, lua_upvalueindex(3));
    g->m.L = L;
    for (const char *from = g->next; from <= g->m.subject_end; from++) {
        const char *end = pattern_match_at(&g->m, from, g->pattern);
        if (end != NULL && end != g->last_end) {
            g->next = g->last_end = end;
            pattern_settle(&g->m);
            return pattern_push_captures(&g->m, from, end);
        }
    }
    pattern_settle(&g->m);
    return 0;
}

static int str_gmatch(lua_State *L) {
    size_t slen, plen;
    const char *s = luaL_checklstring(L, 1, &slen);
    const char *p = luaL_checklstring(L, 2, &plen);
    size_t init = start_position(luaL_optinteger(L, 3, 1), slen) - 1;
    lua_settop(L, 2); /* the closure keeps both strings alive */
    gmatch_state *g = (gmatch_state *)lua_newuserdatauv(L, sizeof(gmatch_state), 0);
    if (init > slen) init = slen + 1;
    pattern_begin(&g->m, L, s, slen, p, plen);
    g->next = s + init;
    g->pattern = p;
    g->last_end = NULL;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

/* ---- gsub ---- */

/* A replacement string: "%0"-"%9" are captures, "%%" is '%'. */
static void add_replacement_text(pattern_matcher *m, luaL_Buffer *b, const char *s, const char *e) {
    lua_State *L = m->L;
    size_t len;
    const char *text = lua_tolstring(L, 3, &len);
    const char *pct;
    while ((pct = memchr(text, '%', len)) != NULL) {
        luaL_addlstring(b, text, (size_t)(pct - text));
        pct++;
        if (*pct == '%') {
            luaL_addchar(b, '%');
        } else if (*pct == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)*pct)) {
            const char *start;
            ptrdiff_t length = pattern_capture_value(m, *pct - '1', s, e, &start);
            if (length == CAPTURE_POSITION) luaL_addvalue(b);
            else luaL_addlstring(b, start, (size_t)length);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", '%');
        }
        len -= (size_t)(pct + 1 - text);
        text = pct + 1;
        pattern_step(m, 1);
    }
    luaL_addlstring(b, text, len);
}

/* Adds the replacement of the match s..e; returns whether it changed the text. */
static int add_replacement(pattern_matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = pattern_push_captures(m, s, e);
        lua_call(L, n, 1);
    } else if (kind == LUA_TTABLE) {
        pattern_push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_replacement_text(m, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int str_gsub(lua_State *L) {
    size_t slen, plen;
    const char *src = luaL_checklstring(L, 1, &slen);
    const char *p = luaL_checklstring(L, 2, &plen);
    const char *last_end = NULL;
    int kind = lua_type(L, 3);
    lua_Integer most = luaL_optinteger(L, 4, (lua_Integer)slen + 1);
    int anchored = *p == '^';
    lua_Integer count = 0;
    int changed = 0;
    pattern_matcher m;
    luaL_Buffer b;
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                     3, "string/function/table");
    luaL_buffinit(L, &b);
    if (anchored) {
        p++;
        plen--;
    }
    pattern_begin(&m, L, src, slen, p, plen);
    while (count < most) {
        const char *end = pattern_match_at(&m, src, p);
        if (end != NULL && end != last_end) {
            count++;
            changed = add_replacement(&m, &b, src, end, kind) | changed;
            src = last_end = end;
        } else if (src < m.subject_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchored) break;
    }
    pattern_settle(&m);
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(m.subject_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, count);
    return 2;
}

const luaL_Reg clua_bounded_string_functions[] = {
    {"find", str_find},
    {"match", str_match},
    {"gmatch", str_gmatch},
    {"gsub", str_gsub},
    {NULL, NULL},
};
