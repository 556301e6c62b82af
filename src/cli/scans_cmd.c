// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank ingest-scans --data DIR FILE: USPS scan data for every account's pieces — IV-MTR JSON
 * (an array of piece-scan records, or {"records": […]}) or a pipe-delimited file whose first row
 * names the fields. Prints the counts as JSON (records timed in the future or before their piece
 * existed are rejected, each named on stderr). Safe to run again: duplicates are skipped.
 * An operator tool: it works on the data directory, for every account.
 */
#include "cli/commands.h"
#include "mail/scans.h"
#include "store/store.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* each record refused for its time, on stderr: "FILE: record N: message" */
static void print_rejected(const char *file, const json_t *rejected)
{
	size_t i;
	json_t *r;
	json_array_foreach(rejected, i, r)
		fprintf(stderr, "frank: %s: record %lld: %s\n", file,
			(long long)json_integer_value(json_object_get(r, "index")) + 1,
			json_string_value(json_object_get(r, "message")));
}

int cmd_ingest_scans(struct cli_args *a)
{
	struct api_error err;
	if (!a->positional) {
		fprintf(stderr, "frank: ingest-scans needs a FILE\n");
		return 2;
	}
	FILE *f = fopen(a->positional, "rb");
	if (!f) {
		fprintf(stderr, "frank: %s: %s\n", a->positional, strerror(errno));
		return 1;
	}
	size_t cap = 1 << 20, n = 0, got;
	char *text = malloc(cap + 1);
	while (text && (got = fread(text + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *bigger = cap < (1u << 30) ? realloc(text, cap * 2 + 1) : NULL;
			if (!bigger) {
				free(text);
				text = NULL;
				break;
			}
			text = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	if (!text) {
		fprintf(stderr, "frank: %s is too large\n", a->positional);
		return 1;
	}
	text[n] = '\0';
	size_t lead = strspn(text, " \t\r\n");
	json_t *records = NULL;
	if (text[lead] == '[' || text[lead] == '{') {
		json_error_t je;
		json_t *doc = json_loadb(text, n, 0, &je);
		if (!doc)
			fprintf(stderr, "frank: %s: line %d: %s\n", a->positional, je.line, je.text);
		records = json_is_array(doc) ? json_incref(doc) : json_incref(json_object_get(doc, "records"));
		json_decref(doc);
	} else {
		records = scans_parse_delimited(text, n, &err);
		if (!records)
			fprintf(stderr, "frank: %s: %s\n", a->positional, err.message);
	}
	free(text);
	if (!records)
		return 1;
	struct store_options opt = { .dir = a->data, .pool_size = 2, .sync_full = true };
	struct store *s = store_open(&opt, &err);
	struct scan_counts c;
	json_t *rejected = json_array();
	int rc = s && scans_ingest(s, records, &c, rejected, &err) == 0 ? 0 : 1;
	if (rc == 0) {
		print_rejected(a->positional, rejected);
		printf("{\"applied\":%u,\"duplicate\":%u,\"unmatched\":%u,\"invalid\":%u,"
		       "\"rejected\":%u}\n", c.applied, c.duplicate, c.unmatched, c.invalid,
		       c.rejected);
	} else {
		fprintf(stderr, "frank: %s\n", err.message);
	}
	json_decref(rejected);
	store_free(s);
	json_decref(records);
	return rc;
}
