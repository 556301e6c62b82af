// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Per-request (and per-job) memory arena. Everything a request allocates lives here and is
 * released at once by arena_free(); handlers never call free(). Not thread-safe: one owner.
 */
#ifndef FRANK_ARENA_H
#define FRANK_ARENA_H
#include <stddef.h>

struct arena;

/* caller frees with arena_free(); NULL on OOM */
struct arena *arena_new(void);
/* runs deferred callbacks (last registered first), then frees every block */
void arena_free(struct arena *a);

/* arena; aborts on OOM (a request cannot continue without memory) */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strfmt(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* run fn(p) when the arena is freed: ties ref-counted objects (jansson) to the request */
void arena_defer(struct arena *a, void (*fn)(void *), void *p);

/* bytes handed out so far (for limits and tests) */
size_t arena_used(const struct arena *a);
#endif
