/* Tracking events: mapping tables and merge rules (see tracking.h). */
#include "mail/tracking.h"
#include "core/ids.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>

/* IV-MTR mail phases → Lob (reference/iv_mtr.md §2.4; the Lob side is our inference there) */
static const struct {
	const char *prefix;
	const char *name;
} phases[] = {
	{ "Phase 0", "In Transit" },	/* origin cancellation */
	{ "Phase 1", "In Transit" },	/* origin sortation */
	{ "Phase 2", "In Local Area" },	/* destination processing */
	{ "Phase 3a", "In Local Area" },
	{ "Phase 3b", "In Local Area" },	/* PO box section */
	{ "Phase 3c", "Processed for Delivery" },	/* carrier walk sequence */
	{ "Phase 4", "Delivered" },
	{ "PARS", "Re-Routed" },
	{ "FPARS", "Re-Routed" },
	{ "Foreign", "International Exit" },
};

const char *tracking_name_for_phase(const char *mail_phase)
{
	if (!mail_phase)
		return NULL;
	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		if (strncmp(mail_phase, phases[i].prefix, strlen(phases[i].prefix)) == 0)
			return phases[i].name;
	return NULL;
}

/* USPS Tracking codes → Lob's certified names and details (reference/iv_mtr.md §3.2) */
static const struct {
	const char *codes;	/* space-separated */
	const char *name, *detail, *description;
	bool action;
} certified[] = {
	{ "OA 03 PA UA TM", "Mailed", "package_accepted",
	  "Package has been accepted into the carrier network for delivery.", false },
	{ "10", "In Transit", "package_processed", "Package has been processed at an intermediate location.", false },
	{ "EF SF", "In Transit", "package_departed",
	  "Package has departed from an intermediate location in the carrier network.", false },
	{ "07", "In Local Area", "package_in_local_area", "Package is at a location near the end destination.", false },
	{ "PC", "Processed for Delivery", "delivery_scheduled", "Package is scheduled for delivery.", false },
	{ "OF", "Processed for Delivery", "out_for_delivery", "Package is out for delivery.", false },
	{ "01 17 43", "Delivered", "delivered", "Package has been delivered.", false },
	{ "14 16", "Pickup Available", "pickup_available",
	  "Package is available for pickup at carrier location.", true },
	{ "02 52", "Issue", "notice_left",
	  "Carrier left notice during attempted delivery. Follow carrier instructions on notice.", true },
	{ "53 55 30", "Issue", "location_inaccessible",
	  "Delivery location inaccessible to carrier. Contact carrier to ensure delivery.", true },
	{ "54 56 51", "Issue", "delivery_attempted",
	  "Delivery of package has been attempted. Contact carrier to ensure delivery.", true },
	{ "71", "Issue", "delivery_rescheduled", "Delivery of package has been rescheduled.", false },
	{ "06", "Re-Routed", "package_forwarded", "Package has been forwarded.", false },
	{ "09 21 22 23 24 25 26 27 28 29 31 04", "Returned to Sender", "returned_to_sender",
	  "Package is to be returned to sender.", false },
	{ "05", "Issue", "address_issue",
	  "Address information is incorrect. Contact carrier to ensure delivery.", true },
	{ "08 15", "Issue", "delayed", "Delivery of package is delayed.", false },
	{ "11", "Issue", "package_undeliverable", "Package is not able to be delivered.", false },
	{ "DX", "Issue", "contact_carrier", "Contact the carrier for more information.", true },
};

static bool in_list(const char *list, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = list; *p;) {
		size_t w = strcspn(p, " ");
		if (w == n && strncmp(p, code, n) == 0)
			return true;
		p += w;
		while (*p == ' ')
			p++;
	}
	return false;
}

bool tracking_certified_for_code(const char *code, struct tracking_scan *out)
{
	for (size_t i = 0; code && i < sizeof(certified) / sizeof(certified[0]); i++) {
		if (in_list(certified[i].codes, code)) {
			out->name = certified[i].name;
			out->detail = certified[i].detail;
			out->notes = certified[i].description;
			out->action_required = certified[i].action;
			return true;
		}
	}
	return false;
}

/* forward stages in order; the others may follow any of them */
static int stage(const char *name)
{
	static const char *const order[] = { "Mailed", "In Transit", "In Local Area",
					     "Processed for Delivery", "Delivered" };
	for (int i = 0; i < 5; i++)
		if (strcmp(order[i], name) == 0)
			return i;
	return -1;
}

/* "In Local Area" → "in_local_area", "Re-Routed" → "re-routed" (Lob's event ids) */
static void event_suffix(const char *name, char *out, size_t outlen)
{
	size_t n = 0;
	for (const char *c = name; *c && n + 1 < outlen; c++)
		out[n++] = *c == ' ' ? '_' : (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	out[n] = '\0';
}

int tracking_add(json_t *piece, const char *kind, const struct tracking_scan *scan,
		 const char **event_type)
{
	static __thread char type[96];
	json_t *events = json_object_get(piece, "tracking_events");
	char when[25];
	*event_type = NULL;
	if (!json_is_array(events)) {
		events = json_array();
		json_object_set_new(piece, "tracking_events", events);
	}
	time_format_iso(scan->time_ms, when);
	int st = stage(scan->name);
	/* a return or re-route restarts the journey: forward stages may be reached again */
	const char *restart = NULL;
	size_t i, at = json_array_size(events);
	json_t *e;
	json_array_foreach(events, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		if (name && (strcmp(name, "Returned to Sender") == 0 || strcmp(name, "Re-Routed") == 0))
			restart = json_string_value(json_object_get(e, "time"));
	}
	json_array_foreach(events, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *t = json_string_value(json_object_get(e, "time"));
		const char *loc = json_string_value(json_object_get(e, "location"));
		if (!name || strcmp(name, scan->name) != 0)
			continue;
		if (t && strcmp(t, when) == 0 && strcmp(loc ? loc : "", scan->location) == 0)
			return 0;	/* the same scan again */
		/* each forward stage once per journey (iv_mtr.md §4.1, §4.3) */
		if (st >= 0 && (!restart || (t && strcmp(t, restart) > 0) == (strcmp(when, restart) > 0)))
			return 0;
	}
	/* late scans go into history at their time: tracking_events are in ascending time */
	json_array_foreach(events, i, e) {
		long long tm;
		const char *t = json_string_value(json_object_get(e, "time"));
		if (t && time_parse_iso(t, &tm) == 0 && tm > scan->time_ms) {
			at = i;
			break;
		}
	}
	char id[40];
	if (ids_new("evnt_", id, sizeof(id)) < 0)
		return -1;
	json_t *ev = json_object();
	json_object_set_new(ev, "id", json_string(id));
	json_object_set_new(ev, "type", json_string(scan->detail ? "certified" : "normal"));
	json_object_set_new(ev, "name", json_string(scan->name));
	if (scan->detail)
		json_object_set_new(ev, "details",
				    json_pack("{sssssssb}", "event", scan->detail, "description",
					      scan->notes ? scan->notes : "", "notes",
					      scan->notes ? scan->notes : "", "action_required",
					      scan->action_required));
	json_object_set_new(ev, "location", scan->location[0] ? json_string(scan->location)
							      : json_null());
	json_object_set_new(ev, "time", json_string(when));
	json_object_set_new(ev, "date_created", json_string(when));
	json_object_set_new(ev, "date_modified", json_string(when));
	json_object_set_new(ev, "object", json_string("tracking_event"));
	json_array_insert_new(events, at, ev);
	char suffix[48];
	event_suffix(scan->name, suffix, sizeof(suffix));
	snprintf(type, sizeof(type), "%s.%s%s", kind, scan->detail ? "certified." : "", suffix);
	*event_type = type;
	return 1;
}
