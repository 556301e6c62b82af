// SPDX-License-Identifier: AGPL-3.0-or-later
/* International verification: standardisation and postal-code formats. */
#include "av/intl.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/*
 * Postal-code masks per country (UPU / national post formats): 9 a digit, A a letter,
 * X a letter or digit; other characters literal. Alternatives separated by '|'.
 */
static const struct postal_format {
	const char *country, *masks;
} postal_formats[] = {
	{ "AR", "A9999AAA|9999" }, { "AT", "9999" }, { "AU", "9999" }, { "BE", "9999" },
	{ "BR", "99999-999" }, { "CA", "A9A 9A9" }, { "CH", "9999" }, { "CN", "999999" },
	{ "CZ", "999 99" }, { "DE", "99999" }, { "DK", "9999" }, { "ES", "99999" },
	{ "FI", "99999" }, { "FR", "99999" },
	{ "GB", "AA9A 9AA|A9A 9AA|A9 9AA|A99 9AA|AA9 9AA|AA99 9AA" }, { "GR", "999 99" },
	{ "IE", "A99 XXXX|A9W XXXX" }, { "IN", "999999" }, { "IT", "99999" }, { "JP", "999-9999" },
	{ "KR", "99999" }, { "MX", "99999" }, { "NL", "9999 AA" }, { "NO", "9999" },
	{ "NZ", "9999" }, { "PL", "99-999" }, { "PT", "9999-999" }, { "SE", "999 99" },
	{ "SG", "999999" }, { "ZA", "9999" },
};

static const char *masks_for(const char *country)
{
	for (size_t i = 0; i < sizeof(postal_formats) / sizeof(postal_formats[0]); i++)
		if (strcmp(postal_formats[i].country, country) == 0)
			return postal_formats[i].masks;
	return NULL;
}

static bool mask_char_ok(char m, char c)
{
	switch (m) {
	case '9': return isdigit((unsigned char)c);
	case 'A': return isalpha((unsigned char)c);
	case 'X': return isalnum((unsigned char)c);
	case 'W': return c == 'W';
	default: return false;
	}
}

/* fits the compact (no separators, upper case) code into one mask; writes the formatted code */
static bool fit_mask(const char *mask, size_t mlen, const char *compact, char *out, size_t outlen)
{
	size_t o = 0, c = 0;
	for (size_t i = 0; i < mlen; i++) {
		char m = mask[i];
		if (o + 1 >= outlen)
			return false;
		if (m == ' ' || m == '-') {
			out[o++] = m;
			continue;
		}
		if (!compact[c] || !mask_char_ok(m, compact[c]))
			return false;
		out[o++] = compact[c++];
	}
	out[o] = '\0';
	return compact[c] == '\0';
}

int av_postal_code(const char *country, const char *in, char *out, size_t outlen)
{
	char compact[32];
	size_t n = 0;
	for (const char *p = in ? in : ""; *p && n + 1 < sizeof(compact); p++)
		if (isalnum((unsigned char)*p))
			compact[n++] = (char)toupper((unsigned char)*p);
	compact[n] = '\0';
	const char *masks = masks_for(country);
	if (!masks) {
		snprintf(out, outlen, "%s", compact);
		return 0;
	}
	for (const char *m = masks; *m;) {
		const char *bar = strchr(m, '|');
		size_t len = bar ? (size_t)(bar - m) : strlen(m);
		if (fit_mask(m, len, compact, out, outlen))
			return 1;
		m += len + (bar ? 1 : 0);
	}
	snprintf(out, outlen, "%s", compact);
	return -1;
}

static void upper(const char *in, char *out, size_t n)
{
	size_t o = 0;
	bool space = false;
	for (const char *p = in ? in : ""; *p && o + 1 < n; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == ',' || isspace(ch)) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < n)
			out[o++] = ' ';
		space = false;
		out[o++] = ch < 128 ? (char)toupper(ch) : (char)ch;
	}
	out[o] = '\0';
}

/* "370 WATER ST" → number 370, street WATER ST; "HAUPTSTRASSE 5" → number 5 */
static void split_street(const char *line, char *num, size_t nl, char *street, size_t sl)
{
	const char *sp = strchr(line, ' ');
	const char *last = strrchr(line, ' ');
	num[0] = '\0';
	snprintf(street, sl, "%s", line);
	if (sp && isdigit((unsigned char)line[0])) {
		snprintf(num, nl, "%.*s", (int)(sp - line), line);
		snprintf(street, sl, "%s", sp + 1);
	} else if (last && isdigit((unsigned char)last[1])) {
		snprintf(num, nl, "%s", last + 1);
		snprintf(street, sl, "%.*s", (int)(last - line), line);
	}
}

json_t *av_verify_intl(const struct intl_input *in, const char *id)
{
	char primary[256], secondary[256], city[128], state[128], postal[32], last[320];
	char num[32], street[256];
	upper(in->address ? in->address : in->primary_line, primary, sizeof(primary));
	upper(in->secondary_line, secondary, sizeof(secondary));
	upper(in->city, city, sizeof(city));
	upper(in->state, state, sizeof(state));
	intl_script_apply(in->lang, primary, sizeof(primary));
	intl_script_apply(in->lang, secondary, sizeof(secondary));
	intl_script_apply(in->lang, city, sizeof(city));
	intl_script_apply(in->lang, state, sizeof(state));
	int fit = av_postal_code(in->country, in->postal_code, postal, sizeof(postal));
	split_street(primary, num, sizeof(num), street, sizeof(street));
	snprintf(last, sizeof(last), "%s%s%s%s%s", city, city[0] && state[0] ? " " : "", state,
		 (city[0] || state[0]) && postal[0] ? " " : "", postal);
	bool bad = fit < 0 || !primary[0];
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	if (in->recipient) {
		char r[512];
		upper(in->recipient, r, sizeof(r));
		intl_script_apply(in->lang, r, sizeof(r));
		json_object_set_new(o, "recipient", json_string(r));
	} else {
		json_object_set_new(o, "recipient", json_null());
	}
	json_object_set_new(o, "primary_line", json_string(primary));
	json_object_set_new(o, "secondary_line", json_string(secondary));
	json_object_set_new(o, "last_line", json_string(last));
	json_object_set_new(o, "country", json_string(in->country));
	json_object_set_new(o, "coverage", json_string("SPARSE"));	/* no reference data */
	json_object_set_new(o, "deliverability", json_string(bad ? "undeliverable" : "no_match"));
	json_object_set_new(o, "status", json_string("LU1"));
	json_object_set_new(o, "components",
			    json_pack("{ssssssssss}", "primary_number", num, "street_name", street,
				      "city", city, "state", state, "postal_code", postal));
	json_object_set_new(o, "object", json_string("intl_verification"));
	return o;
}
