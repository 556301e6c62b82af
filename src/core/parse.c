/* Bounded number and flag parsing. */
#include <string.h>
#include "core/parse.h"
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
