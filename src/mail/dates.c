// SPDX-License-Identifier: AGPL-3.0-or-later
/* USPS holidays from their statutory rules, business days, delivery estimates. */
#include "mail/dates.h"
#include <stdio.h>

/* Howard Hinnant's civil-date algorithms (public domain): proleptic Gregorian, UTC */
long days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const long era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

void civil_from_days(long z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const long era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((long)yoe + era * 400 + (*m <= 2));
}

/* 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday) */
static int weekday(long day)
{
	long w = (day + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

/* the n-th (1-based; -1: last) given weekday of a month */
static long nth_weekday(int y, unsigned m, int wd, int n)
{
	if (n < 0) {
		long last = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
		return last - ((weekday(last) - wd + 7) % 7);
	}
	long first = days_from_civil(y, m, 1);
	return first + ((wd - weekday(first) + 7) % 7) + 7L * (n - 1);
}

/* 5 U.S.C. 6103(a): the eleven legal public holidays */
static const struct holiday_rule {
	unsigned month, day;	/* a fixed date, or … */
	int weekday, nth;	/* … the nth weekday of the month (day 0) */
} holiday_rules[] = {
	{ 1, 1, 0, 0 },		/* New Year's Day */
	{ 1, 0, 1, 3 },		/* Birthday of Martin Luther King, Jr.: third Monday */
	{ 2, 0, 1, 3 },		/* Washington's Birthday: third Monday */
	{ 5, 0, 1, -1 },	/* Memorial Day: last Monday */
	{ 6, 19, 0, 0 },	/* Juneteenth */
	{ 7, 4, 0, 0 },		/* Independence Day */
	{ 9, 0, 1, 1 },		/* Labor Day: first Monday */
	{ 10, 0, 1, 2 },	/* Columbus Day: second Monday */
	{ 11, 11, 0, 0 },	/* Veterans Day */
	{ 11, 0, 4, 4 },	/* Thanksgiving Day: fourth Thursday */
	{ 12, 25, 0, 0 },	/* Christmas Day */
};

bool usps_holiday(long day)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	/* a holiday of next year observed on Dec 31 (New Year's Day on a Saturday) is included */
	for (int year = y; year <= y + 1; year++) {
		for (size_t i = 0; i < sizeof(holiday_rules) / sizeof(holiday_rules[0]); i++) {
			const struct holiday_rule *r = &holiday_rules[i];
			long legal = r->day ? days_from_civil(year, r->month, r->day)
					    : nth_weekday(year, r->month, r->weekday, r->nth);
			int wd = weekday(legal);
			long observed = wd == 6 ? legal - 1 : wd == 0 ? legal + 1 : legal;
			if (day == legal || day == observed)
				return true;
		}
	}
	return false;
}

bool business_day(long day)
{
	int wd = weekday(day);
	return wd != 0 && wd != 6 && !usps_holiday(day);
}

long add_business_days(long day, unsigned n)
{
	while (!business_day(day))
		day++;
	for (; n > 0; n--) {
		day++;
		while (!business_day(day))
			day++;
	}
	return day;
}

void expected_delivery_date(long long send_ms, enum mail_class cls, bool international,
			    char out[11])
{
	long day = (long)(send_ms >= 0 ? send_ms / 86400000 : (send_ms - 86399999) / 86400000);
	unsigned production = 2, transit = cls == MAIL_STANDARD ? 10 : 3;
	if (international)
		transit += 6;
	long when = add_business_days(day, production + transit);
	int y;
	unsigned m, d;
	civil_from_days(when, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, m % 100u, d % 100u);
}
