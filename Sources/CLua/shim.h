/*
 * CLua: the thin C layer between liblua5.4 and Swift.
 *
 * It holds only what Swift cannot express safely:
 *   - static inline wrappers for Lua's macros;
 *   - the trampoline through which every Swift host function is called, so that
 *     lua_error / lua_yield (both longjmp) are only ever called from C frames;
 *   - the count hook that enforces the instruction budget and the deadline;
 *   - the allocator that enforces the memory cap.
 *
 * A system library target holds no .c files, so everything here is static inline.
 *
 * SwiftPM does not track changes to this header: Swift files that did not change keep
 * code compiled against the old version (a changed struct layout then breaks at run
 * time). The make targets notice a change and recompile the project's modules; with
 * plain `swift build`, run `make clean` after editing it.
 */
#ifndef CLUA_SHIM_H
#define CLUA_SHIM_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Limits: one per VM, reachable from any thread through the allocator's ud ---- */

enum {
    CLUA_HIT_NONE = 0,
    CLUA_HIT_INSTRUCTIONS = 1,
    CLUA_HIT_TIME = 2,
    CLUA_HIT_MEMORY = 3,
};

/* Small blocks (up to CLUA_SMALL_MAX bytes, in classes of 16) are recycled through
 * per-VM free lists: a VM is used by one thread at a time, so no lock is needed, and
 * most of what a hook call allocates is small and dies with the call. */
#define CLUA_SMALL_MAX 256
#define CLUA_SMALL_CLASSES (CLUA_SMALL_MAX / 16)
#define CLUA_FREE_KEEP 8192

/* Instructions between two runs of the count hook. */
#define CLUA_HOOK_PERIOD 1000

typedef struct clua_limits {
    size_t   mem_used;      /* bytes currently allocated by the VM */
    size_t   mem_peak;      /* high-water mark since the last reset */
    size_t   mem_cap;       /* 0: no cap */
    int      in_host;       /* > 0 while Swift works on the VM: allocations never fail then */
    int      refused_once;  /* the last growth was refused; a second refusal is final */
    int      armed;         /* 1 while a hook call runs: limits apply */
    int      hit;           /* CLUA_HIT_* for the running call; sticky until disarmed */
    int64_t  instr_used;    /* instructions counted in the running call */
    int64_t  instr_limit;   /* 0: no limit */
    uint64_t deadline_ns;   /* CLOCK_MONOTONIC; 0: no deadline */
    int      json_array_ref; /* registry reference of the metatable marking JSON arrays */
    void    *free_blocks[CLUA_SMALL_CLASSES]; /* recycled small blocks, one list per size class */
    int      free_count[CLUA_SMALL_CLASSES];
    char     null_tag;      /* its address is this VM's json.null light userdata */
} clua_limits;

static inline uint64_t clua_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline clua_limits *clua_limits_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (clua_limits *)ud;
}

static inline const char *clua_hit_name(int hit) {
    switch (hit) {
    case CLUA_HIT_INSTRUCTIONS: return "instruction limit";
    case CLUA_HIT_TIME: return "time limit";
    case CLUA_HIT_MEMORY: return "memory limit";
    default: return "limit";
    }
}

static inline int clua_small_class(size_t size) { return (int)((size - 1) >> 4); }

static inline void *clua_small_take(clua_limits *lim, size_t size) {
    int c = clua_small_class(size);
    void *p = lim->free_blocks[c];
    if (p != NULL) {
        lim->free_blocks[c] = *(void **)p;
        lim->free_count[c]--;
        return p;
    }
    return malloc(((size_t)c + 1) << 4);
}

static inline void clua_small_give(clua_limits *lim, void *p, size_t size) {
    int c = clua_small_class(size);
    if (lim->free_count[c] >= CLUA_FREE_KEEP) { free(p); return; }
    *(void **)p = lim->free_blocks[c];
    lim->free_blocks[c] = p;
    lim->free_count[c]++;
}

/* Frees the recycled blocks; after lua_close. */
static inline void clua_free_small_blocks(clua_limits *lim) {
    for (int c = 0; c < CLUA_SMALL_CLASSES; c++) {
        void *p = lim->free_blocks[c];
        while (p != NULL) { void *next = *(void **)p; free(p); p = next; }
        lim->free_blocks[c] = NULL;
        lim->free_count[c] = 0;
    }
}

/* Moves a block between sizes. A block of at most CLUA_SMALL_MAX bytes always has its
 * class's full size (it came from clua_small_take), so it can be recycled safely. */
static inline void *clua_resize(clua_limits *lim, void *ptr, size_t old, size_t nsize) {
    int small_old = ptr != NULL && old <= CLUA_SMALL_MAX;
    int small_new = nsize <= CLUA_SMALL_MAX;
    if (ptr == NULL) return small_new ? clua_small_take(lim, nsize) : malloc(nsize);
    if (!small_old && !small_new) return realloc(ptr, nsize);
    if (small_old && small_new && clua_small_class(old) == clua_small_class(nsize)) return ptr;
    void *np = small_new ? clua_small_take(lim, nsize) : malloc(nsize);
    if (np == NULL) return NULL;
    memcpy(np, ptr, old < nsize ? old : nsize);
    if (small_old) clua_small_give(lim, ptr, old); else free(ptr);
    return np;
}

/* The capped allocator. Lua retries a refused growth once after an emergency full
 * collection; only the second refusal in a row marks the memory limit as hit. */
static inline void *clua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    clua_limits *lim = (clua_limits *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) {
            lim->mem_used -= old;
            if (old <= CLUA_SMALL_MAX) clua_small_give(lim, ptr, old); else free(ptr);
        }
        return NULL;
    }
    if (nsize > old && lim->mem_cap != 0 && lim->in_host == 0 &&
        lim->mem_used + (nsize - old) > lim->mem_cap) {
        if (lim->refused_once && lim->armed) lim->hit = CLUA_HIT_MEMORY;
        lim->refused_once = 1;
        return NULL;
    }
    void *np = clua_resize(lim, ptr, old, nsize);
    if (np == NULL) return NULL;
    lim->mem_used = lim->mem_used - old + nsize;
    if (lim->mem_used > lim->mem_peak) lim->mem_peak = lim->mem_used;
    if (nsize > old) lim->refused_once = 0;
    return np;
}

/* The count hook: instruction budget, deadline and memory, checked every
 * CLUA_HOOK_PERIOD instructions. Once a limit is hit the hook fires on every
 * instruction of that thread, so a script cannot pcall its way past it. */
static void clua_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    clua_limits *lim = clua_limits_of(L);
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

/* Arms (period > 1) or re-arms a thread's count hook. */
static inline void clua_set_count_hook(lua_State *L, int period) {
    lua_sethook(L, clua_count_hook, LUA_MASKCOUNT, period);
}

static int clua_panic(lua_State *L) {
    (void)L;
    abort(); /* unreachable by design: Swift calls only non-raising API outside lua_pcall */
}

/* A new state whose allocations go through `lim`. The caller owns `lim` and must keep
 * it alive (and at the same address) until lua_close. */
static inline lua_State *clua_newstate(clua_limits *lim) {
    lua_State *L = lua_newstate(clua_alloc, lim);
    if (L == NULL) return NULL;
    lua_atpanic(L, clua_panic);
    lua_setwarnf(L, NULL, NULL);
    clua_set_count_hook(L, CLUA_HOOK_PERIOD);
    return L;
}

/* ---- Host functions ---- */

/* A Swift host function: returns n >= 0 results, CLUA_RAISE with the error message on
 * top of the stack, or CLUA_YIELD with `yielded` values on top (see clua_yield_count). */
typedef int (*clua_host_fn)(lua_State *L, void *context);

enum { CLUA_RAISE = -1, CLUA_YIELD = -2 };

/* The number of values a host function yields is passed through the registry-free
 * slot below: the Swift side sets it before returning CLUA_YIELD. */
static inline int *clua_yield_slot(lua_State *L) {
    return (int *)lua_getextraspace(L);
}

static int clua_trampoline(lua_State *L) {
    clua_host_fn fn = (clua_host_fn)lua_touserdata(L, lua_upvalueindex(1));
    void *context = lua_touserdata(L, lua_upvalueindex(2));
    clua_limits *lim = clua_limits_of(L);
    lim->in_host++;
    int r = fn(L, context);
    lim->in_host--;
    if (r >= 0) {
        if (lim->armed && lim->mem_cap != 0 && lim->mem_used > lim->mem_cap) {
            lim->hit = CLUA_HIT_MEMORY;
            return luaL_error(L, "memory limit exceeded");
        }
        return r;
    }
    if (r == CLUA_RAISE) return lua_error(L);
    if (r == CLUA_YIELD) return lua_yield(L, *clua_yield_slot(L));
    return luaL_error(L, "host function returned an invalid code (%d)", r);
}

/* Pushes a Swift host function as a C closure over (fn, context). */
static inline void clua_push_host_function(lua_State *L, clua_host_fn fn, void *context) {
    lua_pushlightuserdata(L, (void *)fn);
    lua_pushlightuserdata(L, context);
    lua_pushcclosure(L, clua_trampoline, 2);
}

/* For a watchdog on another thread: the deadline of the hook call running now, or 0 when
 * no call runs. Read and written with atomics, so the watchdog never sees a torn value. */
static inline uint64_t clua_watch_deadline(clua_limits *lim) {
    if (!__atomic_load_n(&lim->armed, __ATOMIC_ACQUIRE)) return 0;
    return __atomic_load_n(&lim->deadline_ns, __ATOMIC_RELAXED);
}

static inline void clua_set_armed(clua_limits *lim, int armed) {
    __atomic_store_n(&lim->armed, armed, __ATOMIC_RELEASE);
}

/* Light userdata json.null of this VM. */
static inline void clua_push_null(lua_State *L) {
    lua_pushlightuserdata(L, &clua_limits_of(L)->null_tag);
}

static inline int clua_is_null(lua_State *L, int idx) {
    return lua_type(L, idx) == LUA_TLIGHTUSERDATA &&
           lua_touserdata(L, idx) == (void *)&clua_limits_of(L)->null_tag;
}

/* True when an allocation made in host mode took the VM past its cap. */
static inline int clua_over_memory(lua_State *L) {
    clua_limits *lim = clua_limits_of(L);
    return lim->armed && lim->mem_cap != 0 && lim->mem_used > lim->mem_cap;
}

/* ---- Wrappers for Lua's macros ---- */

static inline int clua_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int clua_json_array_ref(lua_State *L) { return clua_limits_of(L)->json_array_ref; }
static inline void clua_set_json_array_ref(lua_State *L, int ref) { clua_limits_of(L)->json_array_ref = ref; }
static inline int clua_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void clua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void clua_newtable(lua_State *L) { lua_newtable(L); }
static inline const char *clua_tolstring(lua_State *L, int idx, size_t *len) {
    return lua_tolstring(L, idx, len);
}
static inline lua_Integer clua_tointegerx(lua_State *L, int idx, int *isnum) {
    return lua_tointegerx(L, idx, isnum);
}
static inline lua_Number clua_tonumberx(lua_State *L, int idx, int *isnum) {
    return lua_tonumberx(L, idx, isnum);
}
static inline int clua_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
static inline void clua_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void clua_remove(lua_State *L, int idx) { lua_remove(L, idx); }
static inline void clua_replace(lua_State *L, int idx) { lua_replace(L, idx); }
static inline int clua_load_text(lua_State *L, const char *buf, size_t len, const char *chunkname) {
    return luaL_loadbufferx(L, buf, len, chunkname, "t");
}
static inline int clua_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline void clua_traceback(lua_State *L, lua_State *L1, const char *msg, int level) {
    luaL_traceback(L, L1, msg, level);
}
static inline void clua_pushstring(lua_State *L, const char *s) { lua_pushstring(L, s); }
static inline void clua_rawgetfield(lua_State *L, int idx, const char *k) {
    idx = lua_absindex(L, idx);
    lua_pushstring(L, k);
    lua_rawget(L, idx);
}
static inline void clua_rawsetfield(lua_State *L, int idx, const char *k) {
    idx = lua_absindex(L, idx);
    lua_pushstring(L, k);
    lua_insert(L, -2);
    lua_rawset(L, idx);
}
static inline void clua_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }
/* Generational mode: most of what a hook call allocates dies with the call. */
static inline void clua_gc_generational(lua_State *L) { lua_gc(L, LUA_GCGEN, 0, 0); }
static inline void clua_open_base_libs(lua_State *L) {
    luaL_openlibs(L);
}

#endif
