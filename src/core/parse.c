// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Bounded number and flag parsing. The one file allowed to call strtod (check-banned
 * exempts it): parse_double checks its syntax, whole-string use, range and errno around it.
 */
#include <string.h>
#include "core/parse.h"
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>

int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned long d = (unsigned long)(*s - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_llong(const char *s, long long min, long long max, long long *out)
{
	if (!s)
		return -1;
	bool neg = *s == '-';
	unsigned long long limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX, v = 0;
	const char *p = s + neg;
	if (!*p)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	/* -(LLONG_MAX + 1) is LLONG_MIN: negate in unsigned arithmetic, then convert */
	long long r = neg ? (v == limit ? LLONG_MIN : -(long long)v) : (long long)v;
	if (r < min || r > max)
		return -1;
	*out = r;
	return 0;
}

int parse_double(const char *s, double min, double max, double *out)
{
	/* strtod alone would take " 1", "0x1p3", "inf", "nan" and "1e999" (HUGE_VAL) */
	if (!s || !*s || s[strspn(s, "0123456789+-.eE")] != '\0')
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || (errno == ERANGE && fabs(v) > 1.0) || !isfinite(v) || v < min ||
	    v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_digits_n(const char *s, size_t n, unsigned long long *out)
{
	unsigned long long v = 0;
	if (n == 0 || n > 19)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;	/* also stops at a NUL before n bytes */
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

bool digits_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

size_t strlen_capped(const char *s, size_t max)
{
	size_t n = 0;
	while (n <= max && s[n])
		n++;
	return n;
}

void put_digits(char *dst, uint64_t v, size_t width)
{
	for (size_t i = width; i > 0; i--) {
		dst[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10) */
bool aba_routing_valid(const char *r)
{
	static const int weight[3] = { 3, 7, 1 };
	int sum = 0;
	if (!r || strlen(r) != 9 || !digits_only(r, 9))
		return false;
	for (int i = 0; i < 9; i++)
		sum += (r[i] - '0') * weight[i % 3];
	return sum % 10 == 0;
}
