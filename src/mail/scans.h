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

struct scan_counts {
	unsigned applied, duplicate, unmatched, invalid;
};

/*
 * applies records (a JSON array of objects) to their pieces; only: pieces of that account
 * and mode only (the API: a key never touches the other mode's data), NULL: any (the
 * operator's CLI). 0, or -1 on a store failure.
 */
int scans_ingest(struct store *s, const json_t *records, const struct store_scope *only,
		 struct scan_counts *counts, struct api_error *err);
/* a pipe-delimited file with a header row → a JSON array of records (new reference) or NULL */
json_t *scans_parse_delimited(const char *text, size_t len, struct api_error *err);
/* adds one confirmed event (e.g. "Mailed" from the print side) to piece id of scope sc */
int scans_confirm(struct store *s, const struct store_scope *sc, const char *id,
		  const char *name, long long time_ms, struct api_error *err);
/* a simulated step of a test piece's journey (its live-only event types are emitted too) */
struct tracking_scan;
int scans_simulate(struct store *s, const struct store_scope *sc, const char *id,
		   const struct tracking_scan *scan, struct api_error *err);
#endif
