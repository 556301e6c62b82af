// SPDX-License-Identifier: AGPL-3.0-or-later
/* Event types and event objects. */
#include "events/catalogue.h"
#include "events/event.h"
#include "test.h"
#include <string.h>

int main(void)
{
	char id[40];
	CHECK_INT(event_types_count, 90, "every event type of Lob's reference and later spec");
	for (size_t i = 1; i < event_types_count; i++)
		CHECK(strcmp(event_types[i - 1].id, event_types[i].id) < 0, "sorted at %zu", i);
	for (size_t i = 0; i < event_types_count; i++)
		CHECK(event_type_find(event_types[i].id) == &event_types[i], "finds %s", event_types[i].id);
	CHECK(event_type_find("letter.nope") == NULL, "unknown type");
	const struct event_type *t = event_type_find("letter.certified.delivered");
	CHECK(t && t->live_only && strcmp(t->resource, "letters") == 0, "certified delivered: live only");
	t = event_type_find("self_mailer.created");
	CHECK(t && !t->live_only && strcmp(t->resource, "self mailers") == 0, "self mailer resource");

	json_t *body = json_pack("{ss}", "id", "adr_0123456789abcdef");
	json_t *ev = event_new("address.created", MODE_TEST, body, "adr_0123456789abcdef",
			       1565568960361LL, id);
	CHECK(ev != NULL, "event built");
	CHECK(strncmp(id, "evt_", 4) == 0 && strlen(id) == 20, "evt_ id");
	CHECK_STR(json_string_value(json_object_get(ev, "id")), id, "id in the object");
	CHECK(json_equal(json_object_get(ev, "body"), body), "body is the resource");
	CHECK_STR(json_string_value(json_object_get(ev, "reference_id")), "adr_0123456789abcdef",
		  "reference_id");
	CHECK_STR(json_string_value(json_object_get(ev, "date_created")), "2019-08-12T00:16:00.361Z",
		  "date_created");
	json_t *type = json_object_get(ev, "event_type");
	CHECK_STR(json_string_value(json_object_get(type, "id")), "address.created", "type id");
	CHECK(json_is_true(json_object_get(type, "enabled_for_test")), "enabled for test");
	CHECK_STR(json_string_value(json_object_get(type, "object")), "event_type", "type object");
	CHECK_STR(json_string_value(json_object_get(ev, "object")), "event", "object event");
	json_decref(ev);
	CHECK(event_new("letter.in_transit", MODE_TEST, body, "ltr_1", 0, id) == NULL,
	      "live-only events are not emitted in test mode");
	ev = event_new("letter.in_transit", MODE_LIVE, body, "ltr_1", 0, id);
	CHECK(ev && json_is_false(json_object_get(json_object_get(ev, "event_type"), "enabled_for_test")),
	      "live-only event in live mode");
	json_decref(ev);
	json_decref(body);
	return test_done();
}
