/* LeadRelay's Lua pattern matcher: the semantics of Lua 5.4's patterns (same results, same
 * errors) with every step counted against the running call's instruction budget and
 * deadline, so that no pattern can keep a thread inside C. */
#ifndef CLUA_PATTERN_H
#define CLUA_PATTERN_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

/* Lua's own limits for patterns, so that errors arrive where stock Lua's would. */
#define PATTERN_MAX_CAPTURES 32
#define PATTERN_MAX_DEPTH 200

/* A capture's length while it is open, and the length of a position capture `()`. */
#define CAPTURE_OPEN (-1)
#define CAPTURE_POSITION (-2)

/* Steps between two charges to the budget (each also checks the deadline). */
#define PATTERN_STEPS_PER_CHARGE 4096

typedef struct pattern_capture {
    const char *start;
    ptrdiff_t length; /* or CAPTURE_OPEN, CAPTURE_POSITION */
} pattern_capture;

typedef struct pattern_matcher {
    lua_State *L;
    const char *subject;     /* the whole subject */
    const char *subject_end;
    const char *pattern_end; /* the pattern, after a leading '^' was taken off */
    int depth_left;          /* recursion still allowed */
    int captures;            /* captures started so far */
    int64_t steps;           /* steps not charged yet */
    pattern_capture capture[PATTERN_MAX_CAPTURES];
} pattern_matcher;

/* Prepares `m` for matching `pattern` (of `plen` bytes, NUL-terminated as every Lua string)
 * against `subject`. */
void pattern_begin(pattern_matcher *m, lua_State *L, const char *subject, size_t slen,
                   const char *pattern, size_t plen);

/* Matches the pattern at `p` against the subject at `s`: the end of the match, or NULL.
 * Resets the captures first. Raises Lua errors for a malformed pattern or a limit. */
const char *pattern_match_at(pattern_matcher *m, const char *s, const char *p);

/* Counts one step of work outside the matcher proper (a start position tried, a byte
 * copied), charging the budget every PATTERN_STEPS_PER_CHARGE steps. */
void pattern_step(pattern_matcher *m, int64_t n);

/* Charges the steps not charged yet (at the end of a search). */
void pattern_settle(pattern_matcher *m);

/* Pushes capture `i` (the whole match s..e when the pattern has none and i is 0); for
 * gsub's "%n", returns its length, CAPTURE_POSITION when it pushed a position. */
ptrdiff_t pattern_capture_value(pattern_matcher *m, int i, const char *s, const char *e,
                                const char **start);
void pattern_push_capture(pattern_matcher *m, int i, const char *s, const char *e);

/* Pushes every capture (or the whole match when there is none and s is not NULL);
 * returns how many. */
int pattern_push_captures(pattern_matcher *m, const char *s, const char *e);

#endif
