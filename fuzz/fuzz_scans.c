// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * USPS scan data (mail/scans.c) as POST /v1/_frank/scans and `frank scans import` take it:
 * JSON records (an array, or one object) or a pipe-delimited IV-MTR file with a header row,
 * mapped record by record (IV-MTR phases and times, certified event codes) and looked up in
 * a store. The store is opened once, in a temporary directory, and holds no pieces: every
 * record that parses is counted unmatched and nothing is written, so runs stay independent.
 */
#include "fuzz.h"
#include "core/log.h"
#include "mail/scans.h"
#include <ftw.h>
#include <unistd.h>

static struct store *store;
static char dir[] = "/tmp/frank-fuzz-scans-XXXXXX";

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

static void close_store(void)
{
	store_free(store);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct api_error err = { 0 };
	log_set_level(LOG_ERROR);
	FUZZ_ASSERT(mkdtemp(dir) != NULL, "cannot make a temporary directory");
	struct store_options opt = { .dir = dir, .pool_size = 1 };
	store = store_open(&opt, &err);
	FUZZ_ASSERT(store != NULL, err.message);
	atexit(close_store);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_error err = { 0 };
	size_t i = 0;
	while (i < size && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
		i++;
	json_t *records;
	if (i < size && (data[i] == '[' || data[i] == '{')) {
		records = json_loadb((const char *)data, size, 0, NULL);
		if (json_is_object(records))
			records = json_pack("[o]", records);
	} else {
		records = scans_parse_delimited((const char *)data, size, &err);
		if (!records)
			fuzz_check_error(&err);
	}
	if (!records)
		return 0;
	struct scan_counts n;
	int rc = scans_ingest(store, records, &n, NULL, &err);
	if (rc == 0) {
		FUZZ_ASSERT(n.applied == 0 && n.duplicate == 0, "a scan matched a piece of an empty store");
		FUZZ_ASSERT(!json_is_array(records) ||
			    n.unmatched + n.invalid + n.rejected == json_array_size(records),
			    "a record was neither matched, unmatched, invalid nor rejected");
	} else {
		fuzz_check_error(&err);
	}
	json_decref(records);
	return 0;
}
