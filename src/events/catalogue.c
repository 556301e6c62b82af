// SPDX-License-Identifier: AGPL-3.0-or-later
/* Event type lookup (binary search over the generated, sorted table). */
#include "events/catalogue.h"
#include <string.h>

/* Frank's own event types: for Frank's extensions (Lob has no webhooks API), and the life
 * cycle of snap packs and booklets, for which Lob's reference lists no event types */
static const struct event_type frank_event_types[] = {
	{ "webhook.disabled", false, "webhooks" },
	{ "snap_pack.created", false, "snap packs" },
	{ "snap_pack.deleted", false, "snap packs" },
	{ "snap_pack.failed", false, "snap packs" },
	{ "snap_pack.rendered_pdf", false, "snap packs" },
	{ "snap_pack.rendered_thumbnails", false, "snap packs" },
	{ "booklet.created", false, "booklets" },
	{ "booklet.deleted", false, "booklets" },
	{ "booklet.failed", false, "booklets" },
	{ "booklet.rendered_pdf", false, "booklets" },
	{ "booklet.rendered_thumbnails", false, "booklets" },
};

const struct event_type *event_type_find(const char *id)
{
	for (size_t i = 0; i < sizeof(frank_event_types) / sizeof(frank_event_types[0]); i++)
		if (strcmp(id, frank_event_types[i].id) == 0)
			return &frank_event_types[i];
	size_t lo = 0, hi = event_types_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, event_types[mid].id);
		if (c == 0)
			return &event_types[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
