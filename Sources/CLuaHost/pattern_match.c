/* The matcher proper: Lua 5.4's pattern items (single characters, classes, sets, the
 * '*', '+', '-' and '?' suffixes, captures, back-references, %b and %f, anchors) matched by
 * backtracking, with every step counted (see pattern.h). */
#include <ctype.h>
#include <lauxlib.h>
#include <string.h>

#include "internal.h"
#include "pattern.h"

#define ESCAPE '%'

static const char *match_here(pattern_matcher *m, const char *s, const char *p);

/* ---- Steps ---- */

static void charge_steps(pattern_matcher *m) {
    int64_t steps = m->steps;
    m->steps = 0;
    clua_charge(m->L, steps);
}

static inline void step(pattern_matcher *m) {
    if (++m->steps >= PATTERN_STEPS_PER_CHARGE) charge_steps(m);
}

void pattern_step(pattern_matcher *m, int64_t n) {
    m->steps += n;
    if (m->steps >= PATTERN_STEPS_PER_CHARGE) charge_steps(m);
}

void pattern_settle(pattern_matcher *m) {
    if (m->steps > 0) charge_steps(m);
}

/* ---- Single items ---- */

/* Whether byte `c` is in class `cls` (the letter after '%'); an upper-case class letter
 * is the complement; any other byte stands for itself. */
static int in_class(int c, int cls) {
    int yes;
    switch (tolower(cls)) {
    case 'a': yes = isalpha(c); break;
    case 'c': yes = iscntrl(c); break;
    case 'd': yes = isdigit(c); break;
    case 'g': yes = isgraph(c); break;
    case 'l': yes = islower(c); break;
    case 'p': yes = ispunct(c); break;
    case 's': yes = isspace(c); break;
    case 'u': yes = isupper(c); break;
    case 'w': yes = isalnum(c); break;
    case 'x': yes = isxdigit(c); break;
    case 'z': yes = c == 0; break; /* deprecated in Lua 5.2, still there in 5.4 */
    default: return cls == c;
    }
    return isupper(cls) ? !yes : yes;
}

/* Whether byte `c` is in the set that opens at `p` ('[') and closes at `close` (']'). */
static int in_set(int c, const char *p, const char *close) {
    int wanted = 1;
    p++;
    if (*p == '^') {
        wanted = 0;
        p++;
    }
    for (; p < close; p++) {
        if (*p == ESCAPE) {
            p++;
            if (in_class(c, (unsigned char)*p)) return wanted;
        } else if (p[1] == '-' && p + 2 < close) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return wanted;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return wanted;
        }
    }
    return !wanted;
}

/* Where the single item at `p` ends (its suffix, if any, is there). */
static const char *item_end(pattern_matcher *m, const char *p) {
    char c = *p++;
    if (c == ESCAPE) {
        if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (*p == '^') p++;
        do { /* the first byte of a set is never its end: "[]]" holds ']' */
            if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
            c = *p++;
            if (c == ESCAPE && p < m->pattern_end) p++;
        } while (*p != ']');
        return p + 1;
    }
    return p;
}

/* Whether the single item p..ep matches the byte at `s`. */
static int item_matches(pattern_matcher *m, const char *s, const char *p, const char *ep) {
    if (s >= m->subject_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case ESCAPE: return in_class(c, (unsigned char)p[1]);
    case '[': return in_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

/* ---- Repetition ---- */

/* '*' (and '+' after its first match): as many as possible, then back off one at a time. */
static const char *repeat_greedy(pattern_matcher *m, const char *s, const char *p, const char *ep) {
    ptrdiff_t count = 0;
    while (item_matches(m, s + count, p, ep)) {
        count++;
        step(m);
    }
    for (; count >= 0; count--) {
        const char *end = match_here(m, s + count, ep + 1);
        if (end != NULL) return end;
    }
    return NULL;
}

/* '-': as few as possible, one more at a time. */
static const char *repeat_lazy(pattern_matcher *m, const char *s, const char *p, const char *ep) {
    for (;;) {
        const char *end = match_here(m, s, ep + 1);
        if (end != NULL) return end;
        if (!item_matches(m, s, p, ep)) return NULL;
        s++;
    }
}

/* ---- Captures ---- */

static const char *open_capture(pattern_matcher *m, const char *s, const char *p, ptrdiff_t kind) {
    if (m->captures >= PATTERN_MAX_CAPTURES) luaL_error(m->L, "too many captures");
    m->capture[m->captures].start = s;
    m->capture[m->captures].length = kind;
    m->captures++;
    const char *end = match_here(m, s, p);
    if (end == NULL) m->captures--;
    return end;
}

static const char *close_capture(pattern_matcher *m, const char *s, const char *p) {
    int i = m->captures - 1;
    while (i >= 0 && m->capture[i].length != CAPTURE_OPEN) i--;
    if (i < 0) luaL_error(m->L, "invalid pattern capture");
    m->capture[i].length = s - m->capture[i].start;
    const char *end = match_here(m, s, p);
    if (end == NULL) m->capture[i].length = CAPTURE_OPEN;
    return end;
}

/* %1-%9 in a pattern: the text of a closed capture again. */
static const char *match_back_reference(pattern_matcher *m, const char *s, int digit) {
    int i = digit - '1';
    if (i < 0 || i >= m->captures || m->capture[i].length == CAPTURE_OPEN)
        luaL_error(m->L, "invalid capture index %%%d", i + 1);
    size_t length = (size_t)m->capture[i].length; /* a position capture never matches */
    if ((size_t)(m->subject_end - s) < length) return NULL;
    pattern_step(m, (int64_t)(length >> 6));
    return memcmp(m->capture[i].start, s, length) == 0 ? s + length : NULL;
}

/* %bxy: from an x to the y that balances it. */
static const char *match_balanced(pattern_matcher *m, const char *s, const char *p) {
    if (p >= m->pattern_end - 1) luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->subject_end || *s != p[0]) return NULL;
    char open = p[0], close = p[1];
    int depth = 1;
    while (++s < m->subject_end) {
        step(m);
        if (*s == close) {
            if (--depth == 0) return s + 1;
        } else if (*s == open) {
            depth++;
        }
    }
    return NULL;
}

/* ---- The matcher ---- */

/* Matches the rest of the pattern, from `p`, against the subject from `s`. Tail positions
 * loop instead of recursing; recursion is bounded by PATTERN_MAX_DEPTH. */
static const char *match_here(pattern_matcher *m, const char *s, const char *p) {
    if (m->depth_left-- == 0) luaL_error(m->L, "pattern too complex");
    for (;;) {
        step(m);
        if (p == m->pattern_end) break;
        char c = *p;
        if (c == '(') {
            s = p[1] == ')' ? open_capture(m, s, p + 2, CAPTURE_POSITION)
                            : open_capture(m, s, p + 1, CAPTURE_OPEN);
            break;
        }
        if (c == ')') {
            s = close_capture(m, s, p + 1);
            break;
        }
        if (c == '$' && p + 1 == m->pattern_end) {
            if (s != m->subject_end) s = NULL;
            break;
        }
        if (c == ESCAPE && p[1] == 'b') {
            s = match_balanced(m, s, p + 2);
            if (s == NULL) break;
            p += 4;
            continue;
        }
        if (c == ESCAPE && p[1] == 'f') {
            p += 2;
            if (*p != '[') luaL_error(m->L, "missing '[' after '%%f' in pattern");
            const char *ep = item_end(m, p);
            int before = s == m->subject ? 0 : (unsigned char)s[-1];
            int here = (unsigned char)*s; /* the string's terminating 0 at its end */
            if (!in_set(before, p, ep - 1) && in_set(here, p, ep - 1)) {
                p = ep;
                continue;
            }
            s = NULL;
            break;
        }
        if (c == ESCAPE && p[1] >= '0' && p[1] <= '9') {
            s = match_back_reference(m, s, (unsigned char)p[1]);
            if (s == NULL) break;
            p += 2;
            continue;
        }
        /* A single item and its optional suffix. */
        const char *ep = item_end(m, p);
        char suffix = *ep;
        if (!item_matches(m, s, p, ep)) {
            if (suffix == '*' || suffix == '?' || suffix == '-') {
                p = ep + 1;
                continue;
            }
            s = NULL;
            break;
        }
        if (suffix == '?') {
            const char *end = match_here(m, s + 1, ep + 1);
            if (end != NULL) {
                s = end;
                break;
            }
            p = ep + 1;
            continue;
        }
        if (suffix == '+') { s = repeat_greedy(m, s + 1, p, ep); break; }
        if (suffix == '*') { s = repeat_greedy(m, s, p, ep); break; }
        if (suffix == '-') { s = repeat_lazy(m, s, p, ep); break; }
        s++;
        p = ep;
    }
    m->depth_left++;
    return s;
}

void pattern_begin(pattern_matcher *m, lua_State *L, const char *subject, size_t slen,
                   const char *pattern, size_t plen) {
    m->L = L;
    m->subject = subject;
    m->subject_end = subject + slen;
    m->pattern_end = pattern + plen;
    m->depth_left = PATTERN_MAX_DEPTH;
    m->captures = 0;
    m->steps = 0;
}

const char *pattern_match_at(pattern_matcher *m, const char *s, const char *p) {
    m->captures = 0;
    m->depth_left = PATTERN_MAX_DEPTH;
    return match_here(m, s, p);
}

/* ---- Results ---- */

ptrdiff_t pattern_capture_value(pattern_matcher *m, int i, const char *s, const char *e,
                                const char **start) {
    if (i >= m->captures) {
        if (i != 0) luaL_error(m->L, "invalid capture index %%%d", i + 1);
        *start = s;
        return e - s;
    }
    ptrdiff_t length = m->capture[i].length;
    *start = m->capture[i].start;
    if (length == CAPTURE_OPEN) luaL_error(m->L, "unfinished capture");
    if (length == CAPTURE_POSITION) lua_pushinteger(m->L, (m->capture[i].start - m->subject) + 1);
    return length;
}

void pattern_push_capture(pattern_matcher *m, int i, const char *s, const char *e) {
    const char *start;
    ptrdiff_t length = pattern_capture_value(m, i, s, e, &start);
    if (length != CAPTURE_POSITION) lua_pushlstring(m->L, start, (size_t)length);
}

int pattern_push_captures(pattern_matcher *m, const char *s, const char *e) {
    int n = (m->captures == 0 && s != NULL) ? 1 : m->captures;
    luaL_checkstack(m->L, n, "too many captures");
    for (int i = 0; i < n; i++) pattern_push_capture(m, i, s, e);
    return n;
}
