// SPDX-License-Identifier: AGPL-3.0-or-later
/* Event type lookup (binary search over the generated, sorted table). */
#include "events/catalogue.h"
#include "core/mail_product.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Frank's own event types, for Frank's extensions (Lob has no webhooks API) */
static const struct event_type frank_event_types[] = {
	{ "webhook.disabled", false, "webhooks" },
};

/*
 * The life cycle of the mail products Lob's reference lists no event types for (snap packs,
 * booklets): "<object>.created", ... for each such row of core/mail_product.h, built once.
 */
#define N_LIFECYCLE MAIL_PRODUCT_LIFECYCLE_EVENTS
static struct event_type lifecycle[PRODUCT_KIND_COUNT][N_LIFECYCLE];
static char lifecycle_ids[PRODUCT_KIND_COUNT][N_LIFECYCLE][48];
static pthread_once_t lifecycle_once = PTHREAD_ONCE_INIT;

static void lifecycle_build(void)
{
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *mp = mail_product_at(i);
		for (size_t k = 0; k < N_LIFECYCLE && !mp->lob_events; k++) {
			snprintf(lifecycle_ids[i][k], sizeof(lifecycle_ids[i][k]), "%s.%s", mp->object,
				 mail_product_lifecycle_events[k]);
			lifecycle[i][k] = (struct event_type){ lifecycle_ids[i][k], false,
							       mp->event_resource };
		}
	}
}

static const struct event_type *lifecycle_find(const char *id)
{
	pthread_once(&lifecycle_once, lifecycle_build);
	const char *dot = strchr(id, '.');
	for (size_t i = 0; dot && i < mail_product_count(); i++) {
		const struct mail_product *mp = mail_product_at(i);
		if (mp->lob_events || strncmp(id, mp->object, (size_t)(dot - id)) != 0 ||
		    mp->object[dot - id] != '\0')
			continue;
		for (size_t k = 0; k < N_LIFECYCLE; k++)
			if (strcmp(lifecycle[i][k].id, id) == 0)
				return &lifecycle[i][k];
	}
	return NULL;
}

const struct event_type *event_type_find(const char *id)
{
	for (size_t i = 0; i < sizeof(frank_event_types) / sizeof(frank_event_types[0]); i++)
		if (strcmp(id, frank_event_types[i].id) == 0)
			return &frank_event_types[i];
	const struct event_type *own = lifecycle_find(id);
	if (own)
		return own;
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
