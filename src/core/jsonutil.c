// SPDX-License-Identifier: AGPL-3.0-or-later
/* jansson values and text owned by an arena. */
#include "core/jsonutil.h"
#include <stdlib.h>
#include <string.h>

static void decref_cb(void *p)
{
	json_decref(p);
}

json_t *arena_own_json(struct arena *a, json_t *v)
{
	if (v)
		arena_defer(a, decref_cb, v);
	return v;
}

char *arena_dump_json(struct arena *a, const json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT);
	if (!text)
		return NULL;
	char *copy = arena_strdup(a, text);
	free(text);
	return copy;
}
