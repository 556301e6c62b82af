// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * When the daily cut runs next (--print-run-at HH:MM, --print-run-tz ZONE): the first
 * HH:MM after now, in the operator's zone, on a day that is not a Sunday or a USPS holiday
 * (mail/dates.h). Local times go through mktime with TZ set to the zone (runs_register sets
 * it once, before the threads that would read it): no local-time conversion of "now" is
 * needed, each candidate day is built from its civil date.
 */
#include "production/runs.h"
#include "core/parse.h"
#include "mail/dates.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_MS 86400000LL

/* HH:MM → minutes after midnight, or -1 */
static int minutes_of(const char *hhmm)
{
	unsigned long long h, m;
	if (!hhmm || strlen(hhmm) != 5 || hhmm[2] != ':')
		return -1;
	if (parse_digits_n(hhmm, 2, &h) < 0 || parse_digits_n(hhmm + 3, 2, &m) < 0 || h > 23 || m > 59)
		return -1;
	return (int)(h * 60 + m);
}

/* the instant of minutes after midnight of civil day `day` in the process's zone */
static long long local_instant(long day, int minutes, bool utc)
{
	if (utc)
		return (long long)day * DAY_MS + (long long)minutes * 60000;
	int y;
	unsigned mo, d;
	civil_from_days(day, &y, &mo, &d);
	struct tm tm = { .tm_year = y - 1900, .tm_mon = (int)mo - 1, .tm_mday = (int)d,
			 .tm_hour = minutes / 60, .tm_min = minutes % 60, .tm_isdst = -1 };
	return (long long)mktime(&tm) * 1000;
}

int runs_daily_next(const char *at_hhmm, const char *tz, long long now_ms, long long *next_ms,
		    struct api_error *err)
{
	int minutes = minutes_of(at_hhmm);
	if (minutes < 0)
		return api_fail(err, ERR_INVALID, "--print-run-at must be HH:MM (24 hours), e.g. 16:30");
	bool utc = !tz || !*tz || strcmp(tz, "UTC") == 0;
	if (!utc) {
		const char *cur = getenv("TZ");
		if (!cur || strcmp(cur, tz) != 0) {
			setenv("TZ", tz, 1);
			tzset();
		}
	}
	/* from the day before (zones west of UTC) through two weeks: holidays never run longer */
	long today = (long)(now_ms / DAY_MS);
	for (long day = today - 1; day <= today + 14; day++) {
		long long at = local_instant(day, minutes, utc);
		/* 1970-01-01 was a Thursday: day 3 is a Sunday */
		bool sunday = ((day % 7) + 7) % 7 == 3;
		if (at > now_ms && !sunday && !usps_holiday(day)) {
			*next_ms = at;
			return 0;
		}
	}
	return api_fail(err, ERR_INTERNAL, "no day for the daily print run in the next two weeks");
}
