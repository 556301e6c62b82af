// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Tracking: the IV-MTR phase and USPS code tables, and the merge rules — time order, a scan
 * seen twice counted once, each forward stage once per journey and never backwards, late
 * scans placed in history, a return to sender restarting the journey (IV-MTR edge cases,
 * docs/internals/tracking.md), and the piece's shape (certified letters: certified events
 * with Lob's details).
 */
#include "mail/tracking.h"
#include "core/timeutil.h"
#include "test.h"

static long long at(const char *iso)
{
	long long ms = 0;
	time_parse_iso(iso, &ms);
	return ms;
}

static int add_at(json_t *piece, const char *name, const char *when, const char *zip,
		  const char **type)
{
	struct tracking_scan s = { .name = name, .time_ms = at(when) };
	snprintf(s.location, sizeof(s.location), "%s", zip);
	return tracking_add(piece, "letter", &s, type);
}

static int add(json_t *piece, const char *name, const char *when, const char **type)
{
	return add_at(piece, name, when, "94107", type);
}

static int add_code(json_t *piece, const char *code, const char *when, const char **type)
{
	struct tracking_scan s = { .time_ms = at(when) };
	snprintf(s.location, sizeof(s.location), "94107");
	if (!tracking_certified_for_code(code, &s))
		return -2;
	return tracking_add(piece, "letter", &s, type);
}

static const char *names(const json_t *piece)
{
	static char buf[512];
	size_t n = 0, i;
	json_t *e;
	buf[0] = '\0';
	json_array_foreach(json_object_get(piece, "tracking_events"), i, e)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "," : "",
				      json_string_value(json_object_get(e, "name")));
	return buf;
}

static const json_t *event(const json_t *piece, size_t i)
{
	return json_array_get(json_object_get(piece, "tracking_events"), i);
}

static void tables(void)
{
	CHECK_STR(tracking_name_for_phase("Phase 3c - Destination Sequenced Carrier Sortation"),
		  "Processed for Delivery", "Phase 3c is the final sort");
	CHECK_STR(tracking_name_for_phase("Phase 3c- Destination Sequenced Carrier Sortation"),
		  "Processed for Delivery", "the variant without a space before the hyphen");
	CHECK_STR(tracking_name_for_phase("Phase 2a - Destination MMP Processing"), "In Local Area",
		  "Phase 2 is destination processing");
	CHECK_STR(tracking_name_for_phase("Phase 3b - Destination Box Mail Processing"),
		  "In Local Area", "PO box mail ends at In Local Area");
	CHECK_STR(tracking_name_for_phase(" phase 1b - Origin Secondary"), "In Transit",
		  "case and leading blanks do not matter");
	CHECK_STR(tracking_name_for_phase("Phase 4c - Delivery"), "Delivered", "Phase 4c");
	CHECK(tracking_name_for_phase("Miscellaneous") == NULL, "unmapped phases make no event");
	CHECK(tracking_name_for_phase(NULL) == NULL, "no phase, no event");

	struct tracking_scan s;
	CHECK(tracking_certified_for_code("01", &s) && strcmp(s.name, "Delivered") == 0 &&
	      strcmp(s.detail, "delivered") == 0 && strcmp(s.notes, "Delivered") == 0,
	      "01 is Delivered/delivered with USPS's text as notes");
	CHECK(tracking_certified_for_code("55", &s) && strcmp(s.name, "Issue") == 0 &&
	      s.action_required, "55 is an Issue that needs action");
	CHECK(tracking_certified_for_code("11", &s) && strcmp(s.detail,
		"package_undeliverable") == 0 &&
	      s.action_required, "11: package_undeliverable needs action (Lob's table)");
	CHECK(tracking_certified_for_code("44", &s) && strcmp(s.detail, "other") == 0 &&
	      !s.action_required, "44 Customer Recall is Issue/other");
	CHECK(tracking_certified_for_code("QQ", &s) && strcmp(s.name, "Issue") == 0 &&
	      strcmp(s.detail, "other") == 0, "an unknown code is an unrecognized carrier status");
	CHECK(!tracking_certified_for_code("MA", &s), "manifest acknowledgement: no custody yet");
	CHECK(!tracking_certified_for_code("qq", &s) && !tracking_certified_for_code("123", &s) &&
	      !tracking_certified_for_code("", &s) && !tracking_certified_for_code(NULL, &s),
	      "anything that is not a two-character code is refused");
}

static void normal_rules(void)
{
	json_t *p = json_pack("{ssss}", "id", "ltr_1", "extra_service", "none");
	json_object_set_new(p, "extra_service", json_null());
	const char *type;
	CHECK_INT(add(p, "In Transit", "2026-03-03T10:00:00Z", &type), 1, "a scan is added");
	CHECK_STR(type, "letter.in_transit", "with its event type");
	const json_t *e = event(p, 0);
	CHECK_STR(json_string_value(json_object_get(e, "type")), "normal", "a normal event");
	CHECK(json_is_null(json_object_get(e, "details")), "details null");
	CHECK_STR(json_string_value(json_object_get(e, "location")), "94107", "its ZIP");
	CHECK_STR(json_string_value(json_object_get(e, "time")), "2026-03-03T10:00:00.000Z",
		  "its time");
	CHECK(strncmp(json_string_value(json_object_get(e, "id")), "evnt_", 5) == 0, "evnt_ id");
	CHECK_INT(add(p, "In Transit", "2026-03-03T10:00:00Z", &type), 0,
		  "the same scan again is a duplicate");
	CHECK(type == NULL, "and emits nothing");
	CHECK_INT(add(p, "In Transit", "2026-03-03T18:00:00Z", &type), 0,
		  "a stage is reached once");
	CHECK_INT(add(p, "Mailed", "2026-03-02T18:00:00Z", &type), 1,
		  "a late earlier scan is kept");
	CHECK(json_is_null(json_object_get(event(p, 0), "location")), "Mailed has no location");
	CHECK_INT(add(p, "Mailed", "2026-03-02T19:00:00Z", &type), 0, "mailed once");
	CHECK_STR(names(p), "Mailed,In Transit", "in time order");
	CHECK_INT(add(p, "In Local Area", "2026-03-04T10:00:00Z", &type), 1, "In Local Area");
	CHECK_INT(add_at(p, "In Transit", "2026-03-04T12:00:00Z", "60808", &type), 0,
		  "an origin scan after the destination one does not move the piece back");
	CHECK_INT(add(p, "Issue", "2026-03-04T13:00:00Z", &type), 0,
		  "a normal piece has no Issue events");
	CHECK_INT(add(p, "Returned to Sender", "2026-03-05T09:00:00Z", &type), 1,
		  "returned to sender");
	CHECK_STR(type, "letter.returned_to_sender", "its event");
	CHECK_INT(add_at(p, "Returned to Sender", "2026-03-05T11:00:00Z", "94108", &type), 0,
		  "a second PARS scan right after is the same return");
	CHECK_INT(add(p, "In Transit", "2026-03-06T09:00:00Z", &type), 1,
		  "after a return the journey restarts: In Transit again");
	CHECK_INT(add(p, "Delivered", "2026-03-08T09:00:00Z", &type), 1, "and is delivered back");
	CHECK_INT(add(p, "In Local Area", "2026-03-05T08:00:00Z", &type), 0,
		  "a late scan of the first journey's stage already reached is not repeated");
	CHECK_INT(add(p, "Processed for Delivery", "2026-03-04T20:00:00Z", &type), 1,
		  "a late scan of the first journey not yet seen goes into history");
	CHECK_STR(names(p), "Mailed,In Transit,In Local Area,Processed for Delivery,"
			    "Returned to Sender,In Transit,Delivered",
		  "the whole history, ascending");
	CHECK_INT(add(p, "Re-Routed", "2026-03-09T09:00:00Z", &type), 1,
		  "a re-route after delivery");
	CHECK_STR(type, "letter.re-routed", "Lob's id keeps the hyphen");
	CHECK_INT(add(p, "In Transit", "2026-03-10T09:00:00Z", &type), 1, "a third journey");
	struct tracking_scan none = { .name = NULL };
	CHECK_INT(tracking_add(p, "letter", &none, &type), 0, "no name, no event");
	json_decref(p);

	json_t *pc = json_pack("{ss}", "id", "psc_1");
	struct tracking_scan s = { .name = "Delivered", .time_ms = at("2026-03-09T09:00:00Z") };
	CHECK_INT(tracking_add(pc, "postcard", &s, &type), 1,
		  "a postcard without tracking_events yet");
	CHECK_STR(type, "postcard.delivered", "its event type");
	json_decref(pc);
}

static void certified_rules(void)
{
	json_t *p = json_pack("{ssss}", "id", "ltr_2", "extra_service", "certified_return_receipt");
	const char *type;
	CHECK_INT(add(p, "Mailed", "2026-03-02T18:00:00Z", &type), 1,
		  "Mailed (the print side's confirmation) on a certified letter");
	CHECK_STR(type, "letter.certified.mailed", "is a certified event");
	const json_t *e = event(p, 0);
	CHECK_STR(json_string_value(json_object_get(e, "type")), "certified", "type certified");
	const json_t *d = json_object_get(e, "details");
	CHECK_STR(json_string_value(json_object_get(d, "event")), "package_accepted",
		  "details.event");
	CHECK_STR(json_string_value(json_object_get(d, "description")),
		  "Package has been accepted into the carrier network for delivery.",
		  "Lob's description");
	CHECK(json_is_false(json_object_get(d, "action_required")), "no action");
	CHECK(json_object_get(d, "notes") == NULL, "no USPS text, no notes");
	CHECK_STR(json_string_value(json_object_get(e, "location")), "94107",
		  "certified events keep their ZIP");
	CHECK_INT(add_code(p, "10", "2026-03-03T01:00:00Z", &type), 1, "10 processed");
	CHECK_INT(add_code(p, "EF", "2026-03-03T03:00:00Z", &type), 1,
		  "EF departed: a carrier's distinct detail events are all kept");
	CHECK_INT(add_code(p, "EF", "2026-03-03T03:00:00Z", &type), 0, "but each once");
	CHECK_INT(add(p, "In Transit", "2026-03-03T05:00:00Z", &type), 0,
		  "an IMb phase scan of a stage reached adds nothing");
	CHECK_INT(add_code(p, "02", "2026-03-05T15:00:00Z", &type), 1, "a notice left");
	CHECK_STR(type, "letter.certified.issue", "letter.certified.issue");
	e = event(p, 3);
	d = json_object_get(e, "details");
	CHECK_STR(json_string_value(json_object_get(d, "event")), "notice_left", "notice_left");
	CHECK(json_is_true(json_object_get(d, "action_required")), "needs action");
	CHECK_STR(json_string_value(json_object_get(d, "notes")), "Attempted/Notice Left",
		  "USPS text");
	CHECK_INT(add_code(p, "16", "2026-03-05T16:00:00Z", &type), 1, "available for pickup");
	CHECK_STR(type, "letter.certified.pickup_available", "its event");
	CHECK_INT(add_code(p, "01", "2026-03-06T16:00:00Z", &type), 1, "delivered");
	CHECK_INT(add(p, "International Exit", "2026-03-07T16:00:00Z", &type), 0,
		  "certified mail is domestic: no International Exit");
	CHECK_STR(names(p), "Mailed,In Transit,In Transit,Issue,Pickup Available,Delivered",
		  "the certified history");
	json_decref(p);

	/* a carrier code record reaching a normal piece keeps the normal shape */
	json_t *n = json_pack("{ss}", "id", "ltr_3");
	CHECK_INT(add_code(n, "OF", "2026-03-09T09:00:00Z", &type), 1, "OF on a normal letter");
	CHECK_STR(type, "letter.processed_for_delivery", "a normal event type");
	CHECK(json_is_null(json_object_get(event(n, 0), "details")), "without details");
	CHECK_INT(add_code(n, "02", "2026-03-09T10:00:00Z", &type), 0,
		  "normal pieces have no Issue");
	json_decref(n);
}

int main(void)
{
	tables();
	normal_rules();
	certified_rules();
	return test_done();
}
