// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Ingesting USPS scan data: IV-MTR piece-scan records (JSON, or a pipe-delimited file with a
 * header row naming the same fields) and certified tracking records
 * ({"tracking_number","event_code","event_time","zip"}) are mapped to tracking events on the
 * pieces their barcodes belong to, each with its webhook event, idempotently.
 */
#ifndef FRANK_MAIL_SCANS_H
#define FRANK_MAIL_SCANS_H
#include <jansson.h>
#include <stdbool.h>
#include "core/err.h"
#include "store/store.h"

/*
 * How far evidence may run ahead of frankd's clock (the test clock too): a scanner's or a
 * print site's clock a little fast is normal, a date days ahead is forged or broken.
 */
#define SCAN_CLOCK_SKEW_MS (5LL * 60 * 1000)

struct scan_counts {
	unsigned applied, duplicate, unmatched, invalid;
	unsigned rejected;	/* timed in the future or before the piece existed */
};

/*
 * applies records (a JSON array of objects) to their pieces, in any account and mode (an
 * operator's input). A record timed more than SCAN_CLOCK_SKEW_MS after now, or before its
 * piece's date_created, is not applied: it is counted as rejected and, when rejected is an
 * array, described there as {"index","field","message"}. 0, or -1 on a store failure.
 */
int scans_ingest(struct store *s, const json_t *records, struct scan_counts *counts,
		 json_t *rejected, struct api_error *err);
/*
 * An Informed Delivery record (mail/scans_informed.c): {"imb" (or "imbTrackingCode": the
 * piece's IMb, 20 digits or more), "informed_delivery": "email_sent" | "email_opened" |
 * "email_clicked_through", "event_time"} → the webhook event
 * <kind>.informed_delivery.<what> on the piece, once (a record given again is a duplicate).
 * Counted into counts as scans_ingest counts, refusals described in rejected. 0, or -1 on a
 * store failure.
 */
int scans_informed(struct store *s, const json_t *r, size_t index, struct scan_counts *counts,
		   json_t *rejected, struct api_error *err);

/* shared by the record readers */
/* a record's field, with the spellings seen in the wild (IV-MTR keys' casing varies) */
const char *scans_field(const json_t *r, const char *name);
/* "2026-03-02T10:15:00Z" and IV-MTR's variants ("2026-03-02 10:15:00", "2026-03-02") */
bool scans_time(const char *s, long long *ms);
/* a time later than the clock allows (SCAN_CLOCK_SKEW_MS): true with a 422 naming field */
bool scans_in_future(const char *field, long long time_ms, long long now_ms,
		     struct api_error *err);
/* a record refused, as the answer describes it ({"index","field","message"}) */
void scans_reject(json_t *rejected, size_t index, const char *field, const char *message);

/* a pipe-delimited file with a header row → a JSON array of records (new reference) or NULL */
json_t *scans_parse_delimited(const char *text, size_t len, struct api_error *err);
/*
 * adds one confirmed event (e.g. "Mailed" from the print side) to piece id of scope sc, with
 * its webhook event (<kind>.mailed, letter.certified.mailed) in the same transaction, in test
 * mode too: 1 added, 0 not added (the piece already has it: confirming twice is harmless),
 * -1 with *err: 422 `invalid` when the piece is failed, canceled or not rendered yet (only a
 * rendered proof can have been printed), or when time_ms is in the future or before the piece
 * existed (naming field, as scans_ingest refuses); 404 when there is no such piece; or a
 * store failure
 */
int scans_confirm(struct store *s, const struct store_scope *sc, const char *id,
		  const char *name, long long time_ms, const char *field, struct api_error *err);
/* a simulated step of a test piece's journey (its live-only event types are emitted too) */
struct tracking_scan;
int scans_simulate(struct store *s, const struct store_scope *sc, const char *id,
		   const struct tracking_scan *scan, struct api_error *err);
#endif
