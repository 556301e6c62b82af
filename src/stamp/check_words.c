// SPDX-License-Identifier: AGPL-3.0-or-later
/* Amounts in words and figures for check faces. */
#include "stamp/check_words.h"
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const ones[20] = {
	"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
	"Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen",
	"Eighteen", "Nineteen",
};
static const char *const tens[10] = {
	"", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
};
/* scales from the top: 10^9, 10^6, 10^3, 1 */
static const char *const scales[4] = { "Billion", "Million", "Thousand", "" };

struct out {
	char *s;
	size_t len, cap;
	bool overflow;
};

static void put(struct out *o, const char *word)
{
	size_t n = strlen(word), sep = o->len ? 1 : 0;
	if (o->len + sep + n + 1 > o->cap) {
		o->overflow = true;
		return;
	}
	if (sep)
		o->s[o->len++] = ' ';
	memcpy(o->s + o->len, word, n + 1);
	o->len += n;
}

/* 1..999 */
static void hundreds(struct out *o, unsigned n)
{
	if (n >= 100) {
		put(o, ones[n / 100]);
		put(o, "Hundred");
		n %= 100;
	}
	if (n >= 20) {
		char w[32];
		if (n % 10)
			snprintf(w, sizeof(w), "%s-%s", tens[n / 10], ones[n % 10]);
		else
			snprintf(w, sizeof(w), "%s", tens[n / 10]);
		put(o, w);
	} else if (n > 0) {
		put(o, ones[n]);
	}
}

static int check_range(int64_t cents, char *out, size_t outlen, struct api_error *err)
{
	if (out && outlen)
		out[0] = '\0';
	if (!out || outlen == 0)
		return api_fail(err, ERR_INTERNAL, "no room for the amount");
	if (cents < 0)
		return api_fail(err, ERR_INVALID, "a check amount cannot be negative");
	if (cents > CHECK_MAX_CENTS)
		return api_fail(err, ERR_INVALID, "a check amount must be at most 999999999999.99");
	return 0;
}

int check_amount_words(int64_t cents, char *out, size_t outlen, struct api_error *err)
{
	if (check_range(cents, out, outlen, err) < 0)
		return -1;
	struct out o = { out, 0, outlen, false };
	uint64_t dollars = (uint64_t)cents / 100;
	if (dollars == 0)
		put(&o, ones[0]);
	uint64_t div = 1000000000;
	for (int i = 0; i < 4; i++, div /= 1000) {
		unsigned group = (unsigned)(dollars / div % 1000);
		if (i == 0)
			group = (unsigned)(dollars / div);	/* < 1000: cents are capped */
		if (group == 0)
			continue;
		hundreds(&o, group);
		if (*scales[i])
			put(&o, scales[i]);
	}
	char frac[16];
	snprintf(frac, sizeof(frac), "%02u/100", (unsigned)((uint64_t)cents % 100));
	put(&o, "and");
	put(&o, frac);
	if (o.overflow) {
		out[0] = '\0';
		return api_fail(err, ERR_INTERNAL, "no room for the amount in words");
	}
	return 0;
}

int check_amount_figures(int64_t cents, char *out, size_t outlen, struct api_error *err)
{
	if (check_range(cents, out, outlen, err) < 0)
		return -1;
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%" PRIu64, (uint64_t)cents / 100);
	char buf[48];
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = digits[i];
	}
	snprintf(buf + k, sizeof(buf) - k, ".%02u", (unsigned)((uint64_t)cents % 100));
	if (strlen(buf) + 1 > outlen) {
		out[0] = '\0';
		return api_fail(err, ERR_INTERNAL, "no room for the amount");
	}
	memcpy(out, buf, strlen(buf) + 1);
	return 0;
}
