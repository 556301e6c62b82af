// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Mail calendar: USPS holidays (5 U.S.C. 6103 rules, any year), business days, and Lob's
 * expected_delivery_date. Dates are UTC days.
 */
#ifndef FRANK_MAIL_DATES_H
#define FRANK_MAIL_DATES_H
#include <stdbool.h>

/* days since 1970-01-01 for a UTC date, and back */
long days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(long z, int *y, unsigned *m, unsigned *d);

/*
 * true if the post office is closed on that day: a legal public holiday on its legal date
 * or its federal observed date (Saturday → Friday, Sunday → Monday). Both count, so a
 * delivery estimate never lands on either.
 */
bool usps_holiday(long day);
/* not a Saturday, Sunday or USPS holiday */
bool business_day(long day);
/* the n-th business day after day (n >= 0; 0: day itself if a business day, else the next) */
long add_business_days(long day, unsigned n);

enum mail_class { MAIL_FIRST_CLASS, MAIL_STANDARD };

/*
 * expected_delivery_date for a piece sent at send_ms: 2 production business days (Lob's
 * print_speed core) plus transit — First-Class 3 business days domestic, Marketing
 * (usps_standard) 10, and 6 more for international First-Class. "YYYY-MM-DD" into out[11].
 */
void expected_delivery_date(long long send_ms, enum mail_class cls, bool international,
			    char out[11]);
#endif
