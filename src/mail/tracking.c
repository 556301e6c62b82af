// SPDX-License-Identifier: AGPL-3.0-or-later
/* Tracking events: mapping tables and merge rules (see tracking.h). */
#include "mail/tracking.h"
#include "core/ids.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* IV-MTR mail phases (USPS IV-MTR User Guide) → Lob; the Lob side is our inference */
static const struct {
	const char *prefix;
	const char *name;
} phases[] = {
	{ "Phase 0", "In Transit" },	/* origin cancellation */
	{ "Phase 1", "In Transit" },	/* origin sortation */
	{ "Phase 2", "In Local Area" },	/* destination processing */
	{ "Phase 3a", "In Local Area" },
	{ "Phase 3b", "In Local Area" },	/* PO box section: Lob's PO box mail ends here */
	{ "Phase 3c", "Processed for Delivery" },	/* carrier walk sequence */
	{ "Phase 4", "Delivered" },
	{ "PARS", "Re-Routed" },	/* forward vs. return is not in the record (§2.4) */
	{ "FPARS", "Re-Routed" },
	{ "Foreign", "International Exit" },
};

const char *tracking_name_for_phase(const char *mail_phase)
{
	if (!mail_phase)
		return NULL;
	mail_phase += strspn(mail_phase, " \t");
	for (size_t i = 0; i < N_OF(phases); i++)
		if (strncasecmp(mail_phase, phases[i].prefix, strlen(phases[i].prefix)) == 0)
			return phases[i].name;
	return NULL;
}

/* Lob's certified details table: name → event → description → action_required */
static const struct detail {
	const char *event, *name, *description;
	bool action;
} details[] = {
	{ "package_accepted", "Mailed",
	  "Package has been accepted into the carrier network for delivery.", false },
	{ "package_arrived", "In Transit",
	  "Package has arrived at an intermediate location in the carrier network.", false },
	{ "package_departed", "In Transit",
	  "Package has departed from an intermediate location in the carrier network.", false },
	{ "package_processing", "In Transit",
	  "Package is processing at an intermediate location in the carrier network.", false },
	{ "package_processed", "In Transit",
	  "Package has been processed at an intermediate location.", false },
	{ "package_in_local_area", "In Local Area",
	  "Package is at a location near the end destination.", false },
	{ "delivery_scheduled", "Processed for Delivery",
	  "Package is scheduled for delivery.", false },
	{ "out_for_delivery", "Processed for Delivery", "Package is out for delivery.", false },
	{ "pickup_available", "Pickup Available",
	  "Package is available for pickup at carrier location.", true },
	{ "delivered", "Delivered", "Package has been delivered.", false },
	{ "package_forwarded", "Re-Routed", "Package has been forwarded.", false },
	{ "returned_to_sender", "Returned to Sender",
	  "Package is to be returned to sender.", false },
	{ "address_issue", "Issue",
	  "Address information is incorrect. Contact carrier to ensure delivery.", true },
	{ "contact_carrier", "Issue", "Contact the carrier for more information.", true },
	{ "delayed", "Issue", "Delivery of package is delayed.", false },
	{ "delivery_attempted", "Issue",
	  "Delivery of package has been attempted. Contact carrier to ensure delivery.", true },
	{ "delivery_rescheduled", "Issue", "Delivery of package has been rescheduled.", false },
	{ "location_inaccessible", "Issue",
	  "Delivery location inaccessible to carrier. Contact carrier to ensure delivery.", true },
	{ "notice_left", "Issue",
	  "Carrier left notice during attempted delivery. Follow carrier instructions on notice.",
	  true },
	{ "package_damaged", "Issue",
	  "Package has been damaged. Contact carrier for more details.", true },
	{ "package_disposed", "Issue", "Package has been disposed.", false },
	{ "package_held", "Issue",
	  "Package held at carrier location. Contact carrier for more details.", true },
	{ "package_lost", "Issue",
	  "Package has been lost. Contact carrier for more details.", true },
	{ "package_unclaimed", "Issue", "Package is unclaimed.", true },
	{ "package_undeliverable", "Issue", "Package is not able to be delivered.", true },
	{ "reschedule_delivery", "Issue", "Contact carrier to reschedule delivery.", true },
	{ "other", "Issue", "Unrecognized carrier status.", false },
};

static const struct detail *detail_find(const char *event)
{
	for (size_t i = 0; event && i < N_OF(details); i++)
		if (strcmp(details[i].event, event) == 0)
			return &details[i];
	return NULL;
}

/* a name's usual details.event, for scans that carry only a name (IV-MTR, Mailed, …) */
static const char *default_detail(const char *name)
{
	static const char *const usual[][2] = {
		{ "Mailed", "package_accepted" },
		{ "In Transit", "package_processed" },
		{ "In Local Area", "package_in_local_area" },
		{ "Processed for Delivery", "delivery_scheduled" },
		{ "Delivered", "delivered" },
		{ "Re-Routed", "package_forwarded" },
		{ "Returned to Sender", "returned_to_sender" },
		{ "Pickup Available", "pickup_available" },
		{ "Issue", "other" },
	};
	for (size_t i = 0; i < N_OF(usual); i++)
		if (strcmp(usual[i][0], name) == 0)
			return usual[i][1];
	return NULL;	/* International Exit: certified mail is domestic only */
}

/*
 * USPS Tracking codes (iv_mtr.md §3.2: USPS's text from the Web Tools code list; the Lob
 * event for each code is our inference there, the name/event pairs are Lob's)
 */
static const struct {
	const char *code, *event, *usps;
} codes[] = {
	{ "OA", "package_accepted", "Origin Acceptance" },
	{ "03", "package_accepted", "Accept or Pickup" },
	{ "PA", "package_accepted", "Shipment Acceptance" },
	{ "UA", "package_accepted", "Accepted At USPS Facility" },
	{ "TM", "package_accepted", "Shipment Acceptance" },
	{ "10", "package_processed", "Processed" },
	{ "EF", "package_departed", "Departed Sort Facility" },
	{ "SF", "package_departed", "Departed Post Office" },
	{ "07", "package_in_local_area", "Arrival at Unit" },
	{ "PC", "delivery_scheduled", "Sorting / Processing Complete" },
	{ "OF", "out_for_delivery", "Out for Delivery" },
	{ "01", "delivered", "Delivered" },
	{ "17", "delivered", "Picked Up By Agent" },
	{ "43", "delivered", "Picked Up" },
	{ "14", "pickup_available", "Arrival at Pickup Point" },
	{ "16", "pickup_available", "Available for Pickup" },
	{ "02", "notice_left", "Attempted/Notice Left" },
	{ "52", "notice_left", "Notice Left" },
	{ "53", "location_inaccessible", "Receptacle Blocked" },
	{ "55", "location_inaccessible", "No Secure Location Available" },
	{ "30", "location_inaccessible", "Delivery Attempted - No Access to Delivery Location" },
	{ "54", "delivery_attempted", "Receptacle Full/Item Oversized" },
	{ "56", "delivery_attempted", "No Authorized Recipient Available" },
	{ "51", "delivery_attempted", "Business Closed" },
	{ "71", "delivery_rescheduled", "Rescheduled to Next Delivery Day" },
	{ "06", "package_forwarded", "Forwarded" },
	{ "09", "returned_to_sender", "Return to Sender" },
	{ "21", "returned_to_sender", "No Such Number" },
	{ "22", "returned_to_sender", "Insufficient Address" },
	{ "23", "returned_to_sender", "Moved Left No Address" },
	{ "24", "returned_to_sender", "Forward Expired" },
	{ "25", "returned_to_sender", "Addressee Unknown" },
	{ "26", "returned_to_sender", "Vacant" },
	{ "27", "returned_to_sender", "Unclaimed" },
	{ "28", "returned_to_sender", "Deceased" },
	{ "29", "returned_to_sender", "Other" },
	{ "31", "returned_to_sender", "Not Picked Up" },
	{ "04", "returned_to_sender", "Refused" },
	{ "05", "address_issue", "Undeliverable as Addressed" },
	{ "08", "delayed", "Missent" },
	{ "15", "delayed", "Mis-shipped" },
	{ "11", "package_undeliverable", "Dead Letter" },
	{ "44", "other", "Customer Recall" },
	{ "DX", "contact_carrier", "Delivery Status Not Updated" },
};

bool tracking_certified_for_code(const char *code, struct tracking_scan *out)
{
	if (!code)
		return false;
	/* Manifest Acknowledgement, Shipping Label Created: USPS has no custody yet */
	if (strcmp(code, "MA") == 0 || strcmp(code, "GX") == 0)
		return false;
	const char *event = NULL, *usps = NULL;
	for (size_t i = 0; i < N_OF(codes) && !event; i++)
		if (strcmp(codes[i].code, code) == 0) {
			event = codes[i].event;
			usps = codes[i].usps;
		}
	if (!event) {
		/* USPS codes are two letters or digits; anything else is not a code */
		if (strlen(code) != 2 || strspn(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 2)
			return false;
		event = "other";
	}
	const struct detail *d = detail_find(event);
	out->name = d->name;
	out->detail = d->event;
	out->notes = usps;
	out->action_required = d->action;
	return true;
}

bool tracking_piece_certified(const json_t *piece)
{
	const char *s = json_string_value(json_object_get(piece, "extra_service"));
	return s && strncmp(s, "certified", 9) == 0;
}

/* forward stages in order (-1: not a stage: returns, re-routes and issues follow anything) */
static int stage(const char *name)
{
	static const char *const order[][2] = {
		{ "Mailed", "0" },		   { "In Transit", "1" },
		{ "In Local Area", "2" },	   { "Processed for Delivery", "3" },
		{ "Pickup Available", "3" },	   { "Delivered", "4" },
		{ "International Exit", "4" },
	};
	for (size_t i = 0; i < N_OF(order); i++)
		if (strcmp(order[i][0], name) == 0)
			return order[i][1][0] - '0';
	return -1;
}

static bool restarts(const char *name)
{
	return strcmp(name, "Returned to Sender") == 0 || strcmp(name, "Re-Routed") == 0;
}

static bool normal_name(const char *name)
{
	return stage(name) >= 0 ? strcmp(name, "Pickup Available") != 0 : restarts(name);
}

/* "In Local Area" → "in_local_area", "Re-Routed" → "re-routed" (Lob's event ids) */
static void event_suffix(const char *name, char *out, size_t outlen)
{
	size_t n = 0;
	for (const char *c = name; *c && n + 1 < outlen; c++)
		out[n++] = *c == ' ' ? '_' : (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	out[n] = '\0';
}

struct ev_view {
	const char *name, *time, *location, *detail;
};

static struct ev_view view(const json_t *e)
{
	const char *loc = json_string_value(json_object_get(e, "location"));
	const char *name = json_string_value(json_object_get(e, "name"));
	const char *time = json_string_value(json_object_get(e, "time"));
	const json_t *ev_details = json_object_get(e, "details");
	return (struct ev_view){
		.name = name ? name : "", .time = time ? time : "", .location = loc ? loc : "",
		.detail = json_string_value(json_object_get(ev_details, "event")),
	};
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/*
 * Whether the scan may join the history (tracking.h lists the rules). events are in
 * ascending time; `at` is where the scan would go (after every event at or before its time).
 * Times are ISO strings of one format, so they compare as text.
 */
static bool admissible(const json_t *events, size_t at, const char *name, const char *detail,
		       bool carrier_detail, const char *when, const char *location)
{
	size_t n = json_array_size(events), start = 0, end = n;
	int st = stage(name);
	for (size_t i = 0; i < n; i++) {
		struct ev_view e = view(json_array_get(events, i));
		if (strcmp(e.name, name) == 0 && strcmp(e.time, when) == 0 &&
		    strcmp(e.location, location) == 0 && same_str(e.detail, detail))
			return false;	/* the same scan again */
		if (st == 0 && strcmp(e.name, "Mailed") == 0)
			return false;	/* handed to USPS once */
		if (restarts(e.name)) {
			if (i < at)
				start = i + 1;	/* this journey began after it */
			else if (end == n)
				end = i;	/* the next journey begins here */
		}
	}
	if (restarts(name)) {
		/* consecutive PARS scans are one return (or re-route), not several */
		const char *before = at > 0 ? view(json_array_get(events, at - 1)).name : "";
		const char *after = at < n ? view(json_array_get(events, at)).name : "";
		return strcmp(before, name) != 0 && strcmp(after, name) != 0;
	}
	if (st <= 0)
		return true;	/* Issue: every distinct one; Mailed: checked above */
	for (size_t i = start; i < end; i++) {
		struct ev_view e = view(json_array_get(events, i));
		int est = stage(e.name);
		/* a stage once per journey; a carrier's own detail events each once */
		if (strcmp(e.name, name) == 0 && (!carrier_detail || same_str(e.detail, detail)))
			return false;
		if (est > st && i < at)
			return false;	/* a later stage was already reached before this scan */
	}
	return true;
}

int tracking_add(json_t *piece, const char *kind, const struct tracking_scan *scan,
		 const char **event_type)
{
	static __thread char type[96];
	json_t *events = json_object_get(piece, "tracking_events");
	bool certified = tracking_piece_certified(piece);
	char when[25];
	*event_type = NULL;
	if (!scan->name)
		return 0;
	/* the piece's shape decides: certified events carry details, normal ones never do */
	const char *detail = certified ? (scan->detail ? scan->detail : default_detail(scan->name))
				       : NULL;
	const struct detail *d = certified ? detail_find(detail) : NULL;
	if (certified ? !d || strcmp(d->name, scan->name) != 0 : !normal_name(scan->name))
		return 0;
	if (!json_is_array(events)) {
		events = json_array();
		json_object_set_new(piece, "tracking_events", events);
	}
	time_format_iso(scan->time_ms, when);
	/* late scans go into history at their time: tracking_events are in ascending time */
	size_t at = json_array_size(events);
	for (size_t i = 0; i < json_array_size(events); i++)
		if (strcmp(view(json_array_get(events, i)).time, when) > 0) {
			at = i;
			break;
		}
	/* a carrier's detail event is distinct per detail; a phase scan's per name */
	if (!admissible(events, at, scan->name, detail, certified && scan->detail, when,
			scan->location))
		return 0;
	char id[40];
	if (ids_new("evnt_", id, sizeof(id)) < 0)
		return -1;
	json_t *ev = json_object();
	json_object_set_new(ev, "id", json_string(id));
	json_object_set_new(ev, "type", json_string(certified ? "certified" : "normal"));
	json_object_set_new(ev, "name", json_string(scan->name));
	if (d) {
		json_t *det = json_pack("{sssssb}", "event", d->event, "description",
					d->description, "action_required", d->action);
		if (scan->notes)
			json_object_set_new(det, "notes", json_string(scan->notes));
		json_object_set_new(ev, "details", det);
	} else {
		json_object_set_new(ev, "details", json_null());
	}
	/* Lob: location is null for Mailed (normal events) and when no ZIP is known */
	bool no_place = !scan->location[0] || (!certified && stage(scan->name) == 0);
	json_object_set_new(ev, "location", no_place ? json_null() : json_string(scan->location));
	json_object_set_new(ev, "time", json_string(when));
	json_object_set_new(ev, "date_created", json_string(when));
	json_object_set_new(ev, "date_modified", json_string(when));
	json_object_set_new(ev, "object", json_string("tracking_event"));
	json_array_insert_new(events, at, ev);
	char suffix[48];
	event_suffix(scan->name, suffix, sizeof(suffix));
	snprintf(type, sizeof(type), "%s.%s%s", kind, certified ? "certified." : "", suffix);
	*event_type = type;
	return 1;
}
