// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Mail calendar: holidays computed from the 5 U.S.C. 6103 rules must reproduce every row of
 * usps_holidays_2026_2027.csv beside this file (legal and observed dates); business days skip
 * weekends and holidays; expected delivery dates follow the documented rule.
 */
#include "mail/dates.h"
#include "core/timeutil.h"
#include "test.h"
#include <stdlib.h>

static long day_of(const char *iso)
{
	char day[11];
	long long ms = 0;
	snprintf(day, sizeof(day), "%.10s", iso);
	time_parse_iso(day, &ms);
	return (long)(ms / 86400000);
}

static void test_holiday_csv(void)
{
	FILE *f = fopen(TEST_DATA_DIR "/mail/usps_holidays_2026_2027.csv", "r");
	char line[512];
	int rows = 0;
	CHECK(f != NULL, "holiday reference file opens");
	if (!f)
		return;
	CHECK(fgets(line, sizeof(line), f) != NULL, "holiday reference file has a header");
	while (fgets(line, sizeof(line), f)) {
		/* the legal date is the first field shaped YYYY-MM-DD, the observed date the second */
		const char *dates[2] = { NULL, NULL };
		int found = 0;
		for (char *p = line; *p && found < 2; p++)
			if (p[0] >= '0' && p[0] <= '9' && p[4] == '-' && p[7] == '-' &&
			    (p == line || p[-1] == ','))
				dates[found++] = p;
		if (found < 2)
			continue;
		rows++;
		CHECK(usps_holiday(day_of(dates[0])), "legal holiday %.10s", dates[0]);
		CHECK(usps_holiday(day_of(dates[1])), "observed holiday %.10s", dates[1]);
		CHECK(!business_day(day_of(dates[1])), "no business on %.10s", dates[1]);
	}
	fclose(f);
	CHECK_INT(rows, 22, "every holiday of 2026 and 2027 was checked");
	CHECK(usps_holiday(day_of("2027-12-31")), "New Year's Day 2028 (Sat) observed Fri 2027-12-31");
	CHECK(!usps_holiday(day_of("2026-11-25")), "an ordinary Wednesday is no holiday");
	CHECK(usps_holiday(day_of("2030-11-28")), "Thanksgiving 2030 from the rule (4th Thursday)");
}

static void test_business_days(void)
{
	CHECK_INT(add_business_days(day_of("2026-11-25"), 1), day_of("2026-11-27"),
		  "the business day after Wed 2026-11-25 skips Thanksgiving");
	CHECK_INT(add_business_days(day_of("2026-11-28"), 0), day_of("2026-11-30"),
		  "a Saturday rolls to Monday");
	CHECK_INT(add_business_days(day_of("2026-12-24"), 1), day_of("2026-12-28"),
		  "Christmas and the weekend are skipped");
	long z = day_of("2026-03-02");
	int y;
	unsigned m, d;
	civil_from_days(z, &y, &m, &d);
	CHECK(y == 2026 && m == 3 && d == 2, "civil dates round-trip");
}

static void test_expected_delivery(void)
{
	char out[11];
	/* Thu 2019-08-08: 5 business days → Thu 2019-08-15 */
	expected_delivery_date(day_of("2019-08-08") * 86400000LL + 3600000, MAIL_FIRST_CLASS, false,
			       out);
	CHECK_STR(out, "2019-08-15", "first class: 2 production + 3 transit business days");
	expected_delivery_date(day_of("2026-11-25") * 86400000LL, MAIL_FIRST_CLASS, false, out);
	CHECK_STR(out, "2026-12-03", "first class around Thanksgiving");
	expected_delivery_date(day_of("2026-11-25") * 86400000LL, MAIL_STANDARD, false, out);
	CHECK_STR(out, "2026-12-14", "standard: 2 + 10 business days");
	expected_delivery_date(day_of("2026-11-25") * 86400000LL, MAIL_FIRST_CLASS, true, out);
	CHECK_STR(out, "2026-12-11", "international first class: 6 more");
}

int main(void)
{
	test_holiday_csv();
	test_business_days();
	test_expected_delivery();
	return test_done();
}
