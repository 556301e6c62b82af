// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Tracking events on mail pieces, in Lob's shapes (spec: tracking_event_normal,
 * tracking_event_certified), from USPS scan data, `mailed` confirmations and the test-mode
 * simulation. Mapping tables (IV-MTR mail phases and USPS Tracking 3.0 event codes to Lob's
 * events and certified details, docs/internals/tracking.md) are data here. A piece's type
 * decides the shape: a certified letter's events are all `certified` (with details), every
 * other piece's `normal`.
 */
#ifndef FRANK_MAIL_TRACKING_H
#define FRANK_MAIL_TRACKING_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"

/* one scan or confirmation, mapped to Lob's vocabulary */
struct tracking_scan {
	const char *name;	/* "Mailed", "In Transit", … (Lob's names) */
	const char *detail;	/* details.event ("delivered"); NULL: the name's usual one */
	const char *notes;	/* certified: USPS's status text (details.notes); NULL: none */
	bool action_required;	/* informative: Lob's table for `detail` decides */
	long long time_ms;
	char location[10];	/* the scan facility's ZIP, or "" */
};

/*
 * IV-MTR mail phase text ("Phase 3c - Destination Sequenced Carrier Sortation") → Lob name,
 * or NULL when the phase makes no event (miscellaneous, unknown).
 */
const char *tracking_name_for_phase(const char *mail_phase);
/*
 * USPS Tracking event code ("01", "OF", …) → certified name, details.event and USPS's text
 * as notes. Another two-character code is Lob's "Issue / other" (unrecognized carrier status);
 * false for codes that mean no custody yet (MA, GX) and for anything else.
 */
bool tracking_certified_for_code(const char *code, struct tracking_scan *out);

/*
 * Adds the scan to piece's tracking_events (kept in ascending time): 1 added, 0 not added,
 * -1 out of entropy. Not added: the same event again (name, details.event, time, place);
 * Mailed a second time; a forward stage the journey already reached, or one behind a later
 * stage already reached before it (stages never move back); a second Re-Routed / Returned to
 * Sender right next to another; a name the piece's shape cannot carry. Returned to Sender and
 * Re-Routed start a new journey: later scans still attach ("RTS is not an end state").
 * *event_type gets the webhook event's type ("letter.in_transit",
 * "letter.certified.delivered").
 */
int tracking_add(json_t *piece, const char *kind, const struct tracking_scan *scan,
		 const char **event_type);

/* true for a certified letter (extra_service certified or certified_return_receipt) */
bool tracking_piece_certified(const json_t *piece);
#endif
