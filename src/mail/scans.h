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
