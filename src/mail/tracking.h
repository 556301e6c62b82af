/*
 * Tracking events on mail pieces, in Lob's shapes (spec: tracking_event_normal,
 * tracking_event_certified), from USPS scan data, `mailed` confirmations and the test-mode
 * simulation. Mapping tables (reference/iv_mtr.md §2.4 and §3.2) are data here.
 */
#ifndef FRANK_MAIL_TRACKING_H
#define FRANK_MAIL_TRACKING_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"

/* one scan or confirmation, mapped to Lob's vocabulary */
struct tracking_scan {
	const char *name;	/* "Mailed", "In Transit", … (Lob's names) */
	const char *detail;	/* certified: details.event ("delivered"); NULL for normal */
	const char *notes;	/* certified: USPS's status text */
	bool action_required;
	long long time_ms;
	char location[10];	/* the scan facility's ZIP, or "" */
};

/*
 * IV-MTR mail phase text ("Phase 3c - Destination Sequenced Carrier Sortation") → Lob name,
 * or NULL when the phase makes no event (miscellaneous, unknown).
 */
const char *tracking_name_for_phase(const char *mail_phase);
/* USPS Tracking event code ("01", "OF", …) → certified name and details; false if unmapped */
bool tracking_certified_for_code(const char *code, struct tracking_scan *out);

/*
 * Adds the scan to piece's tracking_events (kept in time order): 1 added, 0 a duplicate (same
 * name, time and place; or a forward stage the piece already reached — stages never move
 * back, but Re-Routed / Returned to Sender / Issue may follow anything and later scans still
 * attach after a return). *event_type gets the webhook event's type ("letter.in_transit",
 * "letter.certified.delivered"), or NULL when Lob has none.
 */
int tracking_add(json_t *piece, const char *kind, const struct tracking_scan *scan,
		 const char **event_type);
#endif
