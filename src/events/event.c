// SPDX-License-Identifier: AGPL-3.0-or-later
/* Building event objects. */
#include "events/event.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "events/catalogue.h"

static json_t *build(const char *type, enum store_mode mode, const json_t *body,
		     const char *reference_id, long long now_ms, char *id_out, bool simulated)
{
	const struct event_type *t = event_type_find(type);
	char when[25];
	if (!t) {
		log_msg(LOG_ERROR, "events: no event type %s", type);
		return NULL;
	}
	if (t->live_only && mode == MODE_TEST && !simulated)
		return NULL;
	if (ids_new("evt_", id_out, 40) < 0)
		return NULL;
	time_format_iso(now_ms, when);
	return json_pack("{sssOsss{sssbssss}ssss}", "id", id_out, "body", body, "reference_id",
			 reference_id, "event_type", "id", t->id, "enabled_for_test", !t->live_only,
			 "resource", t->resource, "object", "event_type", "date_created", when,
			 "object", "event");
}

json_t *event_new(const char *type, enum store_mode mode, const json_t *body,
		  const char *reference_id, long long now_ms, char *id_out)
{
	return build(type, mode, body, reference_id, now_ms, id_out, false);
}

json_t *event_new_simulated(const char *type, enum store_mode mode, const json_t *body,
			    const char *reference_id, long long now_ms, char *id_out)
{
	return build(type, mode, body, reference_id, now_ms, id_out, true);
}
