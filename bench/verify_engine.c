// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Verification throughput in-process, one thread: parse + standardise + ZIP/city/state
 * check + the us_verification JSON, over N generated one-line addresses (default 100,000),
 * as frankd does it for a live key. Prints addresses/second.
 *   build/bench/verify_engine [N]
 */
#include "av/verify.h"
#include "av/zipdb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const streets[] = { "King St", "N Main St Apt 4", "W 23rd St Ste 200",
				       "Avenue of the Americas", "Elm Ct #12", "Pennsylvania Ave NW",
				       "Park Ave, Suite 5", "S Broadway Blvd" };
static const char *const places[] = { ", San Francisco CA 94107", ", Springfield IL 62701",
				      ", New York, NY 10001", ", Austin TX 78701" };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct av_engine av;
	char err[256];
	size_t n = 100000;
	if (argc > 1) {
		n = 0;
		for (const char *s = argv[1]; *s >= '0' && *s <= '9'; s++)
			n = n * 10 + (size_t)(*s - '0');
	}
	if (n == 0 || av_engine_load(&av, zipdb_default_path(), NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "verify_engine: %s\n", n ? err : "N must be a positive number");
		return 1;
	}
	char (*lines)[128] = malloc(n * sizeof(*lines));
	for (size_t i = 0; i < n; i++)
		snprintf(lines[i], sizeof(lines[i]), "%zu %s%s", 1 + i % 9000,
			 streets[i % 8], places[(i / 8) % 4]);
	double t0 = now();
	size_t consistent = 0;
	for (size_t i = 0; i < n; i++) {
		struct us_input in = { .address = lines[i] };
		json_t *o = av_verify_us(&av, &in, "us_ver_bench", false);
		json_t *notes = json_object_get(json_object_get(o, "deliverability_analysis"),
						"dpv_footnotes");
		const char *first = json_string_value(json_array_get(notes, 0));
		consistent += first && strcmp(first, "AA") == 0;
		json_decref(o);
	}
	double secs = now() - t0;
	printf("verify_engine: %zu addresses in %.2f s = %.0f addresses/s on one thread "
	       "(%zu consistent street-level)\n", n, secs, (double)n / secs, consistent);
	free(lines);
	av_engine_release(&av);
	return 0;
}
