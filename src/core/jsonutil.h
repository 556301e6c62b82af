// SPDX-License-Identifier: AGPL-3.0-or-later
/* jansson helpers shared across layers. */
#ifndef FRANK_JSONUTIL_H
#define FRANK_JSONUTIL_H
#include <jansson.h>
#include "core/arena.h"

/* ties a new reference to the arena: it is released with the arena; returns v */
json_t *arena_own_json(struct arena *a, json_t *v);
/* json_dumps(v) copied into the arena (compact), or NULL */
char *arena_dump_json(struct arena *a, const json_t *v);
#endif
