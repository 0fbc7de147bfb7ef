/*
 * CLuaHost: the C half of the Lua host, compiled from the .c files beside this folder.
 *
 * It holds what must run in C, below any Swift frame:
 *   - the capped allocator (allocator.c) and the per-VM limits it shares with the count
 *     hook (hook.c): instruction budget, deadline and memory cap;
 *   - the trampoline through which every Swift host function is called (trampoline.c), so
 *     that lua_error and lua_yield (both longjmp) are only ever called from C frames;
 *   - guards that keep a script's Lua from running once a limit is hit (guards.c);
 *   - bounded versions of the library functions that loop in C: a pattern matcher of our
 *     own (pattern_match.c, string_search.c), string.rep and the table functions.
 *
 * Lua's own headers and the wrappers for its macros are in the CLua module (shim.h); this
 * header only forward-declares lua_State, so Swift sees each Lua declaration once.
 */
#ifndef CLUA_HOST_H
#define CLUA_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct lua_State lua_State;

/* ---- Limits: one per VM, reachable from any thread through the allocator's ud ---- */

enum {
    CLUA_HIT_NONE = 0,
    CLUA_HIT_INSTRUCTIONS = 1,
    CLUA_HIT_TIME = 2,
    CLUA_HIT_MEMORY = 3,
};

/* Small blocks (up to CLUA_SMALL_MAX bytes, in classes of 16) are recycled through per-VM
 * free lists: a VM is used by one thread at a time, so no lock is needed, and most of what
 * a hook call allocates is small and dies with the call. */
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
    int      yield_count;   /* values a host function yields (set before CLUA_YIELD) */
    void    *free_blocks[CLUA_SMALL_CLASSES]; /* recycled small blocks, one list per size class */
    int      free_count[CLUA_SMALL_CLASSES];
    char     null_tag;      /* its address is this VM's json.null light userdata */
} clua_limits;

static inline uint64_t clua_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The limits of the VM `L` belongs to. */
clua_limits *clua_limits_of(lua_State *L);

/* "instruction limit", "time limit", "memory limit" (the names scripts and users see). */
const char *clua_hit_name(int hit);

/* A new state whose allocations go through `lim`, with the count hook set. The caller owns
 * `lim` and must keep it alive (and at the same address) until lua_close. */
lua_State *clua_newstate(clua_limits *lim);

/* Frees the recycled small blocks; after lua_close. */
void clua_free_small_blocks(clua_limits *lim);

/* Arms a thread's count hook with the given period (CLUA_HOOK_PERIOD normally). */
void clua_set_count_hook(lua_State *L, int period);

/* For a watchdog on another thread: the deadline of the hook call running now, or 0 when
 * no call runs. Read and written with atomics, so the watchdog never sees a torn value. */
static inline uint64_t clua_watch_deadline(clua_limits *lim) {
    if (!__atomic_load_n(&lim->armed, __ATOMIC_ACQUIRE)) return 0;
    return __atomic_load_n(&lim->deadline_ns, __ATOMIC_RELAXED);
}

static inline void clua_set_armed(clua_limits *lim, int armed) {
    __atomic_store_n(&lim->armed, armed, __ATOMIC_RELEASE);
}

/* True when an allocation made in host mode took the VM past its cap during a call. */
int clua_over_memory(lua_State *L);

/* True when the VM holds more than its cap, whether a call runs or not (host code that
 * builds large values, such as a decoded response, checks it as it goes). */
int clua_memory_exceeded(lua_State *L);

/* Bytes the VM may still allocate during the running call before its cap (SIZE_MAX when no
 * call runs or there is no cap): what host code may build outside Lua's allocator for it. */
size_t clua_memory_room(lua_State *L);

/* For host code, which must not raise: charges `steps` of work to the running call and
 * checks its deadline; returns the limit that is hit (CLUA_HIT_*), 0 when none. */
int clua_spend(lua_State *L, int64_t steps);

/* Marks `hit` (CLUA_HIT_*) for the running call. A host function that then returns
 * CLUA_RAISE raises it like the hook does: it stays hit for the rest of the call. */
void clua_mark_hit(lua_State *L, int hit);

/* Installs the guards that keep a script's Lua from running once a limit is hit:
 * xpcall's message handler, coroutine.resume, coroutine.wrap and coroutine.close. Call
 * once, on a new state with the base libraries open, before the sandbox is built. */
void clua_open_guards(lua_State *L);

/* Replaces the standard library functions whose running time is not bounded by the memory
 * they allocate (string.find, match, gmatch, gsub, rep; table.concat, insert, remove, move,
 * unpack, sort) with versions of the same behaviour that charge their steps to the running
 * call's instruction budget and check its deadline. Call once, on a new state with the
 * standard libraries open, before the sandbox is built. */
void clua_open_bounded_libs(lua_State *L);

/* ---- Host functions ---- */

/* A Swift host function: returns n >= 0 results, CLUA_RAISE with the error message on top
 * of the stack, or CLUA_YIELD with `clua_set_yield_count` values on top. */
typedef int (*clua_host_fn)(lua_State *L, void *context);

enum { CLUA_RAISE = -1, CLUA_YIELD = -2 };

/* Pushes a Swift host function as a C closure over (fn, context). */
void clua_push_host_function(lua_State *L, clua_host_fn fn, void *context);

/* How many values the host function about to return CLUA_YIELD yields. */
void clua_set_yield_count(lua_State *L, int count);

/* ---- json.null and the JSON array mark ---- */

void clua_push_null(lua_State *L);
int clua_is_null(lua_State *L, int idx);
int clua_json_array_ref(lua_State *L);
void clua_set_json_array_ref(lua_State *L, int ref);

#endif
