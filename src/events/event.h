// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Events: the record of a state change, written in the same transaction as the change and
 * served at /v1/events (and, later, sent to webhooks). The object is Lob's: id evt_…, body
 * (the resource as it was), reference_id, event_type {id, enabled_for_test, resource,
 * object}, date_created, object "event".
 */
#ifndef FRANK_EVENTS_EVENT_H
#define FRANK_EVENTS_EVENT_H
#include <stdbool.h>
#include <jansson.h>
#include "store/store.h"

/*
 * The event object for a change of body (borrowed) with id reference_id (new reference),
 * its id written to id_out (40 bytes). NULL when no event is due: the type is live-only
 * and mode is test, or Lob has no such type (logged: a programming error).
 */
json_t *event_new(const char *type, enum store_mode mode, const json_t *body,
		  const char *reference_id, long long now_ms, char *id_out);
/*
 * As event_new, also for live-only types in test mode: the test-mode tracking simulation is an
 * explicit opt-in whose point is that webhooks fire as they would in live mode.
 */
json_t *event_new_simulated(const char *type, enum store_mode mode, const json_t *body,
			    const char *reference_id, long long now_ms, char *id_out);
#endif
