// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Parse rate of the US address-line parser: parses every line of FILE ("line1" or
 * "line1|line2"; with -f each line is a one-line address for us_address_parse_freeform), or
 * N generated lines of every kind, over and over for about two seconds, and prints
 * lines/second.
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Isrc bench/verify_parse.c src/av/usaddr.c src/av/pub28.c \
 *      src/av/pub28_data.c -o verify_parse && ./verify_parse [-f] [FILE | -n N]
 */
#include "av/usaddr.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINE_CAP 512

static const char *const shapes[] = {
	"%u King St", "%u N Main St Apt %u", "%u W 23rd St Ste %u", "%u Avenue of the Americas",
	"%u 1/2 Elm Ct #%u", "PO Box %u", "RR %u Box %u", "HC %u Box %u", "PSC %u Box %u",
	"%u US Hwy 101 N", "%u Pennsylvania Ave NW Fl %u", "URB Las Flores %u Calle %u",
	"%u-%u Jackson Ave", "%u S %u E", "%u Park Ave, Suite %u",
};
static const char *const cities[] = { ", San Francisco CA 94107", " Springfield IL 62701",
				      ", New York, NY 10001-1234", "" };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char (*generate(size_t n, bool freeform))[LINE_CAP]
{
	char (*lines)[LINE_CAP] = malloc(n * LINE_CAP);
	unsigned seed = 12345;

	for (size_t i = 0; lines && i < n; i++) {
		char one[LINE_CAP];
		seed = seed * 1103515245u + 12345u;
		const char *shape = shapes[(seed >> 8) % (sizeof(shapes) / sizeof(shapes[0]))];
		/* shape is one of the constant formats above (one or two %u each) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(one, sizeof(one), shape, 1 + (seed >> 12) % 9999, 1 + (seed >> 20) % 99);
#pragma GCC diagnostic pop
		snprintf(lines[i], LINE_CAP, "%s%s", one, freeform ? cities[(seed >> 4) % 4] : "");
	}
	return lines;
}

static char (*load(const char *path, size_t *n))[LINE_CAP]
{
	char (*lines)[LINE_CAP] = NULL, buf[LINE_CAP];
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	*n = 0;
	while (f && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		if (*n == cap) {
			void *more = realloc(lines, (cap = cap ? 2 * cap : 4096) * LINE_CAP);
			if (!more)
				break;
			lines = more;
		}
		memcpy(lines[(*n)++], buf, LINE_CAP);
	}
	if (f)
		fclose(f);
	return lines;
}

static size_t parse_all(char (*lines)[LINE_CAP], size_t n, bool freeform)
{
	struct us_address a;
	char copy[LINE_CAP], city[64], state[3], zip[11], err[64];
	size_t ok = 0;

	for (size_t i = 0; i < n; i++) {
		char *l2;
		if (freeform) {
			ok += us_address_parse_freeform(lines[i], &a, city, sizeof(city), state,
							zip, err, sizeof(err)) == 0;
			continue;
		}
		memcpy(copy, lines[i], LINE_CAP);
		l2 = strchr(copy, '|');
		if (l2)
			*l2++ = '\0';
		ok += us_address_parse(copy, l2, &a, err, sizeof(err)) == 0;
	}
	return ok;
}

int main(int argc, char **argv)
{
	bool freeform = argc > 1 && !strcmp(argv[1], "-f");
	int arg = freeform ? 2 : 1;
	size_t n = 100000, ok = 0, done = 0;
	char (*lines)[LINE_CAP];
	double t0, t;

	if (arg + 1 < argc && !strcmp(argv[arg], "-n")) {
		n = 0;
		for (const char *s = argv[arg + 1]; *s >= '0' && *s <= '9'; s++)
			n = n * 10 + (size_t)(*s - '0');
	}
	lines = arg < argc && strcmp(argv[arg], "-n") ? load(argv[arg], &n) : generate(n, freeform);
	if (!lines || n == 0) {
		fprintf(stderr, "verify_parse: no lines\n");
		return 1;
	}
	t0 = now();
	do {
		ok = parse_all(lines, n, freeform);
		done += n;
		t = now() - t0;
	} while (t < 2.0);
	printf("%zu lines (%zu parse), %.0f lines/second%s\n", n, ok, (double)done / t,
	       freeform ? " (one-line addresses)" : "");
	free(lines);
	return 0;
}
