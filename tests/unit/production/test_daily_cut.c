// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The daily cut's next time: HH:MM after now in the operator's zone, never on a Sunday or a
 * USPS holiday (Christmas 2026 is a Friday); a bad HH:MM is refused.
 */
#include "core/timeutil.h"
#include "production/runs.h"
#include "test.h"

static long long at(const char *iso)
{
	long long ms = 0;
	time_parse_iso(iso, &ms);
	return ms;
}

static void next_is(const char *hhmm, const char *tz, const char *now, const char *want)
{
	long long next = 0;
	struct api_error err;
	char got[25] = "";
	if (runs_daily_next(hhmm, tz, at(now), &next, &err) == 0)
		time_format_iso(next, got);
	CHECK_STR(got, want, "%s %s after %s", hhmm, tz ? tz : "UTC", now);
}

int main(void)
{
	next_is("16:00", NULL, "2026-12-23T10:00:00.000Z", "2026-12-23T16:00:00.000Z");
	next_is("16:00", NULL, "2026-12-23T16:00:00.000Z", "2026-12-24T16:00:00.000Z");
	next_is("16:00", NULL, "2026-12-24T17:00:00.000Z", "2026-12-26T16:00:00.000Z");
	next_is("16:00", NULL, "2026-12-26T17:00:00.000Z", "2026-12-28T16:00:00.000Z");
	next_is("16:00", "America/New_York", "2026-12-28T12:00:00.000Z", "2026-12-28T21:00:00.000Z");
	next_is("16:00", "America/New_York", "2026-07-06T12:00:00.000Z", "2026-07-06T20:00:00.000Z");
	long long next;
	struct api_error err;
	CHECK(runs_daily_next("25:00", NULL, 0, &next, &err) < 0, "25:00 refused");
	CHECK(runs_daily_next("4pm", NULL, 0, &next, &err) < 0, "4pm refused");
	return test_done();
}
