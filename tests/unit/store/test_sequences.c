// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Sequences: values never repeat, across blocks and across a restart (a restart skips the
 * rest of a reserved block rather than reusing it).
 */
#include "store/store.h"
#include "test.h"
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	char dir[] = "/tmp/frank-seq-XXXXXX";
	struct api_error err;
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	struct store *s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens");
	long long v, prev = 0;
	bool contiguous = true;
	for (int i = 0; i < 250; i++) {
		if (store_sequence_next_block(s, "imb:999999999", 1, 100, &v, &err) < 0)
			break;
		contiguous &= v == prev + 1;
		prev = v;
	}
	CHECK(contiguous && prev == 250, "250 values from blocks of 100: 1..250 in order");
	CHECK_INT(store_sequence_next(s, "check:bank_1", 10000, &v, &err), 0, "a plain sequence");
	CHECK_INT(v, 10000, "starts at its start");
	store_sequence_next(s, "check:bank_1", 10000, &v, &err);
	CHECK_INT(v, 10001, "then counts up by one");
	store_free(s);
	s = store_open(&opt, &err);
	CHECK_INT(store_sequence_next_block(s, "imb:999999999", 1, 100, &v, &err), 0, "after a restart");
	CHECK_INT(v, 301, "the rest of the reserved block is skipped, never reused");
	store_free(s);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
	return test_done();
}
