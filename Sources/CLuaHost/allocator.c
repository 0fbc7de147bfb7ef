/* The capped allocator given to lua_newstate, with per-VM recycling of small blocks. */
#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "clua_host.h"
#include "internal.h"

static inline int small_class(size_t size) { return (int)((size - 1) >> 4); }

static inline void *small_take(clua_limits *lim, size_t size) {
    int c = small_class(size);
    void *p = lim->free_blocks[c];
    if (p != NULL) {
        lim->free_blocks[c] = *(void **)p;
        lim->free_count[c]--;
        return p;
    }
    return malloc(((size_t)c + 1) << 4);
}

static inline void small_give(clua_limits *lim, void *p, size_t size) {
    int c = small_class(size);
    if (lim->free_count[c] >= CLUA_FREE_KEEP) { free(p); return; }
    *(void **)p = lim->free_blocks[c];
    lim->free_blocks[c] = p;
    lim->free_count[c]++;
}

void clua_free_small_blocks(clua_limits *lim) {
    for (int c = 0; c < CLUA_SMALL_CLASSES; c++) {
        void *p = lim->free_blocks[c];
        while (p != NULL) { void *next = *(void **)p; free(p); p = next; }
        lim->free_blocks[c] = NULL;
        lim->free_count[c] = 0;
    }
}

/* Moves a block between sizes. A block of at most CLUA_SMALL_MAX bytes always has its
 * class's full size (it came from small_take), so it can be recycled safely. */
static void *resize(clua_limits *lim, void *ptr, size_t old, size_t nsize) {
    int small_old = ptr != NULL && old <= CLUA_SMALL_MAX;
    int small_new = nsize <= CLUA_SMALL_MAX;
    if (ptr == NULL) return small_new ? small_take(lim, nsize) : malloc(nsize);
    if (!small_old && !small_new) return realloc(ptr, nsize);
    if (small_old && small_new && small_class(old) == small_class(nsize)) return ptr;
    void *np = small_new ? small_take(lim, nsize) : malloc(nsize);
    if (np == NULL) return NULL;
    memcpy(np, ptr, old < nsize ? old : nsize);
    if (small_old) small_give(lim, ptr, old); else free(ptr);
    return np;
}

/* Lua retries a refused growth once after an emergency full collection; only the second
 * refusal in a row marks the memory limit as hit. */
void *clua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    clua_limits *lim = (clua_limits *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) {
            lim->mem_used -= old;
            if (old <= CLUA_SMALL_MAX) small_give(lim, ptr, old); else free(ptr);
        }
        return NULL;
    }
    if (nsize > old && lim->mem_cap != 0 && lim->in_host == 0 &&
        lim->mem_used + (nsize - old) > lim->mem_cap) {
        if (lim->refused_once && lim->armed) lim->hit = CLUA_HIT_MEMORY;
        lim->refused_once = 1;
        return NULL;
    }
    void *np = resize(lim, ptr, old, nsize);
    if (np == NULL) return NULL;
    lim->mem_used = lim->mem_used - old + nsize;
    if (lim->mem_used > lim->mem_peak) lim->mem_peak = lim->mem_used;
    if (nsize > old) lim->refused_once = 0;
    return np;
}
