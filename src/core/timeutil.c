// SPDX-License-Identifier: AGPL-3.0-or-later
/* The program's clock and ISO-8601 time text. */
#include "core/timeutil.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <time.h>

/* real time + this offset; atomic because tests move the clock while requests run */
static _Atomic long long clock_offset_ms;
static _Atomic int clock_movable;	/* FRANK_CLOCK was set: a test clock */

static long long real_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int clock_init_from_env(void)
{
	const char *v = getenv("FRANK_CLOCK");
	long long start;
	if (!v || !*v)
		return 0;
	if (time_parse_iso(v, &start) < 0)
		return -1;
	atomic_store(&clock_offset_ms, start - real_now_ms());
	atomic_store(&clock_movable, 1);
	return 0;
}

long long clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long clock_now_ms(void)
{
	return real_now_ms() + atomic_load(&clock_offset_ms);
}

bool clock_is_test(void)
{
	return atomic_load(&clock_movable) != 0;
}

static pthread_mutex_t advance_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*advance_fn)(void *ctx);
static void *advance_ctx;

void clock_on_advance(void (*fn)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&advance_lock);
	advance_fn = fn;
	advance_ctx = ctx;
	pthread_mutex_unlock(&advance_lock);
}

int clock_advance_ms(long long delta_ms)
{
	/* forward only: objects, events and cursors assume time does not run backwards */
	if (delta_ms < 0)
		return -1;
	atomic_fetch_add(&clock_offset_ms, delta_ms);
	pthread_mutex_lock(&advance_lock);
	if (advance_fn)
		advance_fn(advance_ctx);
	pthread_mutex_unlock(&advance_lock);
	return 0;
}

long long clock_offset_now(void)
{
	return atomic_load(&clock_offset_ms);
}

void clock_set_offset(long long offset_ms)
{
	atomic_store(&clock_offset_ms, offset_ms);
}

int clock_advance_to(long long offset_ms)
{
	long long cur = atomic_load(&clock_offset_ms);
	while (offset_ms > cur && !atomic_compare_exchange_weak(&clock_offset_ms, &cur, offset_ms))
		;
	if (offset_ms <= cur)
		return 0;
	pthread_mutex_lock(&advance_lock);
	if (advance_fn)
		advance_fn(advance_ctx);
	pthread_mutex_unlock(&advance_lock);
	return 0;
}

void time_format_iso(long long ms, char out[25])
{
	time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int millis = (int)(ms - (long long)secs * 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	/* unsigned and bounded so the compiler can see the text fits in 25 bytes */
	snprintf(out, 25, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
		 (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
		 (unsigned)tm.tm_sec % 100u, (unsigned)millis % 1000u);
}

/* reads exactly n digits; -1 if any is not a digit */
static int digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

static const int month_days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

static int parse_clock_part(const char **pp, struct tm *tm, int *millis)
{
	const char *p = *pp;
	tm->tm_hour = digits(&p, 2);
	if (tm->tm_hour < 0 || tm->tm_hour > 23 || *p++ != ':')
		return -1;
	tm->tm_min = digits(&p, 2);
	if (tm->tm_min < 0 || tm->tm_min > 59)
		return -1;
	if (*p == ':') {
		p++;
		tm->tm_sec = digits(&p, 2);
		if (tm->tm_sec < 0 || tm->tm_sec > 60)
			return -1;
		if (*p == '.') {
			int scale = 100, nd = 0;
			p++;
			while (*p >= '0' && *p <= '9') {
				if (nd++ < 3) {
					*millis += (*p - '0') * scale;
					scale /= 10;
				}
				p++;
			}
			if (nd == 0)
				return -1;
		}
	}
	*pp = p;
	return 0;
}

static int parse_zone(const char *p, long long *offset_ms)
{
	if (*p == '\0' || (p[0] == 'Z' && p[1] == '\0'))
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	int sign = *p++ == '-' ? -1 : 1;
	int hh = digits(&p, 2);
	if (hh < 0 || hh > 23)
		return -1;
	if (*p == ':')
		p++;
	int mm = digits(&p, 2);
	if (mm < 0 || mm > 59 || *p != '\0')
		return -1;
	*offset_ms = sign * (hh * 3600000LL + mm * 60000LL);
	return 0;
}

int time_parse_iso(const char *s, long long *ms)
{
	struct tm tm = { 0 };
	int millis = 0;
	long long offset = 0;
	const char *p = s;
	int year = digits(&p, 4);
	if (year < 0 || *p++ != '-')
		return -1;
	int mon = digits(&p, 2);
	if (mon < 1 || mon > 12 || *p++ != '-')
		return -1;
	int day = digits(&p, 2);
	if (day < 1 || day > month_days[mon - 1])
		return -1;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (parse_clock_part(&p, &tm, &millis) < 0)
			return -1;
	}
	if (parse_zone(p, &offset) < 0)
		return -1;
	time_t t = timegm(&tm);
	*ms = (long long)t * 1000 + millis - offset;
	return 0;
}
