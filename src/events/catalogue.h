// SPDX-License-Identifier: AGPL-3.0-or-later
/* Lob's event types: which exist, which are live-only, and the resource each belongs to. */
#ifndef FRANK_EVENTS_CATALOGUE_H
#define FRANK_EVENTS_CATALOGUE_H
#include <stdbool.h>
#include <stddef.h>

struct event_type {
	const char *id;		/* "letter.certified.delivered" */
	bool live_only;		/* never emitted in test mode */
	const char *resource;	/* "letters", "self mailers", … (spec: event_type.resource) */
};

/* sorted by id (generated: scripts/gen-event-types → catalogue_data.c) */
extern const struct event_type event_types[];
extern const size_t event_types_count;

/* borrowed; NULL if neither Lob nor Frank (webhook.disabled) has such an event type */
const struct event_type *event_type_find(const char *id);
#endif
