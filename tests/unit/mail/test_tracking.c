/*
 * Tracking: the IV-MTR phase and USPS code tables, and the merge rules — time order, a scan
 * seen twice counted once, each forward stage once per journey, late scans placed in history,
 * and a return to sender restarting the journey (reference/iv_mtr.md §4).
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

static int add(json_t *piece, const char *name, const char *when, const char **type)
{
	struct tracking_scan s = { .name = name, .time_ms = at(when) };
	snprintf(s.location, sizeof(s.location), "94107");
	return tracking_add(piece, "letter", &s, type);
}

static const char *names(json_t *piece)
{
	static char buf[256];
	size_t n = 0, i;
	json_t *e;
	buf[0] = '\0';
	json_array_foreach(json_object_get(piece, "tracking_events"), i, e)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "," : "",
				      json_string_value(json_object_get(e, "name")));
	return buf;
}

int main(void)
{
	CHECK_STR(tracking_name_for_phase("Phase 3c - Destination Sequenced Carrier Sortation"),
		  "Processed for Delivery", "Phase 3c is the final sort");
	CHECK_STR(tracking_name_for_phase("Phase 2a - Destination MMP Processing"), "In Local Area",
		  "Phase 2 is destination processing");
	CHECK_STR(tracking_name_for_phase("Phase 1b - Origin Secondary"), "In Transit", "Phase 1");
	CHECK(tracking_name_for_phase("Miscellaneous") == NULL, "unmapped phases make no event");
	struct tracking_scan s;
	CHECK(tracking_certified_for_code("01", &s) && strcmp(s.name, "Delivered") == 0 &&
	      strcmp(s.detail, "delivered") == 0, "01 is Delivered/delivered");
	CHECK(tracking_certified_for_code("55", &s) && strcmp(s.name, "Issue") == 0 &&
	      s.action_required, "55 is an Issue that needs action");
	CHECK(!tracking_certified_for_code("QQ", &s), "unknown codes are refused");

	json_t *p = json_pack("{ss}", "id", "ltr_1");
	const char *type;
	CHECK_INT(add(p, "In Transit", "2026-03-03T10:00:00Z", &type), 1, "a scan is added");
	CHECK_STR(type, "letter.in_transit", "with its event type");
	CHECK_INT(add(p, "In Transit", "2026-03-03T10:00:00Z", &type), 0, "the same scan again is a duplicate");
	CHECK_INT(add(p, "In Transit", "2026-03-03T18:00:00Z", &type), 0, "a stage is reached once");
	CHECK_INT(add(p, "Mailed", "2026-03-02T18:00:00Z", &type), 1, "a late earlier scan is kept");
	CHECK_STR(names(p), "Mailed,In Transit", "in time order");
	CHECK_INT(add(p, "Returned to Sender", "2026-03-05T09:00:00Z", &type), 1, "returned to sender");
	CHECK_STR(type, "letter.returned_to_sender", "its event");
	CHECK_INT(add(p, "In Transit", "2026-03-06T09:00:00Z", &type), 1,
		  "after a return the journey restarts: In Transit again");
	CHECK_INT(add(p, "Delivered", "2026-03-08T09:00:00Z", &type), 1, "and is delivered back");
	CHECK_STR(names(p), "Mailed,In Transit,Returned to Sender,In Transit,Delivered",
		  "the whole history, ascending");
	struct tracking_scan c = { .time_ms = at("2026-03-09T09:00:00Z") };
	tracking_certified_for_code("OF", &c);
	CHECK_INT(tracking_add(p, "letter", &c, &type), 1, "a certified scan");
	CHECK_STR(type, "letter.certified.processed_for_delivery", "a certified event type");
	json_decref(p);
	return test_done();
}
