// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The US address parser (av/usaddr.c, usaddr_box.c, usaddr_freeform.c, usaddr_text.c). The
 * input up to its first newline is line 1, the rest line 2; both go through
 * us_address_parse, the whole input through us_address_parse_freeform, and the first line
 * through us_city_standardise with an output size taken from the input's length. usaddr.h
 * promises that every output is NUL-terminated upper-case ASCII whatever the bytes: checked.
 */
#include "fuzz.h"
#include "av/usaddr.h"

/* s[0..cap) holds a NUL and, before it, only printable ASCII without lower-case letters */
static void check_text(const char *s, size_t cap, const char *what)
{
	const char *end = memchr(s, '\0', cap);
	FUZZ_ASSERT(end != NULL, what);
	for (; s < end; s++)
		FUZZ_ASSERT(*s >= 0x20 && *s < 0x7f && !(*s >= 'a' && *s <= 'z'), what);
}

#define CHECK_FIELD(a, f) check_text((a)->f, sizeof (a)->f, "us_address." #f " is not upper-case ASCII")

static void check_address(const struct us_address *a)
{
	FUZZ_ASSERT(a->kind >= US_ADDR_STREET && a->kind <= US_ADDR_UNKNOWN, "kind out of range");
	CHECK_FIELD(a, primary_number);
	CHECK_FIELD(a, street_predirection);
	CHECK_FIELD(a, street_name);
	CHECK_FIELD(a, street_suffix);
	CHECK_FIELD(a, street_postdirection);
	CHECK_FIELD(a, secondary_designator);
	CHECK_FIELD(a, secondary_number);
	CHECK_FIELD(a, pmb_designator);
	CHECK_FIELD(a, pmb_number);
	CHECK_FIELD(a, extra_secondary_designator);
	CHECK_FIELD(a, extra_secondary_number);
	CHECK_FIELD(a, urbanization);
	CHECK_FIELD(a, route_designator);
	CHECK_FIELD(a, route_number);
	CHECK_FIELD(a, military_city);
	CHECK_FIELD(a, military_state);
	CHECK_FIELD(a, military_zip);
	CHECK_FIELD(a, primary_line);
	CHECK_FIELD(a, secondary_line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *all = fuzz_cstr(data, size);
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n1 = nl ? (size_t)(nl - data) : size;
	char *line1 = fuzz_cstr(data, n1);
	char *line2 = nl ? fuzz_cstr(nl + 1, size - n1 - 1) : NULL;
	struct us_address a;
	char err[64];

	/* poison the outputs, so a field left unwritten shows as not terminated */
	memset(&a, 0xAA, sizeof a);
	memset(err, 0xAA, sizeof err);
	int rc = us_address_parse(line1, line2, &a, err, sizeof err);
	check_address(&a);
	if (rc < 0) {
		FUZZ_ASSERT(a.kind == US_ADDR_UNKNOWN, "a failed parse has a kind");
		FUZZ_ASSERT(memchr(err, '\0', sizeof err) && err[0], "a failed parse has no reason");
	}

	char city[64], state[3], zip[11];
	memset(&a, 0xAA, sizeof a);
	memset(city, 0xAA, sizeof city);
	memset(state, 0xAA, sizeof state);
	memset(zip, 0xAA, sizeof zip);
	rc = us_address_parse_freeform(all, &a, city, sizeof city, state, zip, err, sizeof err);
	check_address(&a);
	check_text(city, sizeof city, "freeform city is not upper-case ASCII");
	check_text(state, sizeof state, "freeform state is not upper-case ASCII");
	check_text(zip, sizeof zip, "freeform zip is not upper-case ASCII");
	if (rc < 0)
		FUZZ_ASSERT(memchr(err, '\0', sizeof err) && err[0], "a failed parse has no reason");

	/* every output size from 1 byte up, as callers with small buffers use it */
	char std[80];
	size_t cap = 1 + size % sizeof std;
	memset(std, 0xAA, sizeof std);
	us_city_standardise(line1, std, cap);
	check_text(std, cap, "us_city_standardise output is not upper-case ASCII in its size");

	free(line2);
	free(line1);
	free(all);
	return 0;
}
