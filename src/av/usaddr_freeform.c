// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * One-line US addresses and city names (see usaddr.h): us_address_parse_freeform takes the
 * country, ZIP, state and city off the end of the text and hands the words before them to
 * the line parser in usaddr.c; us_city_standardise folds and cleans a city name.
 */
#include "av/usaddr_internal.h"
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* one-line addresses                                                       */
/* ------------------------------------------------------------------------ */

/* tokens before the city: the end of the address in t[b..e) when no comma tells */
static int address_end(const struct tok *t, int b, int e)
{
	struct boxed x;
	struct unit u;
	int j = b, end = -1;

	if (usaddr_urb_word(t[j].s))
		while (j < e && !usaddr_address_start(t, j, e))
			j++;
	if (j >= e)
		return e;
	usaddr_boxed_address(t, j, e, &x);
	if (x.used) {
		end = j + x.used;
	} else {
		if (!usaddr_is_house_number(t[j].s))
			return e;
		j++;
		if (j < e && (usaddr_is_fraction(t[j].s) || t[j].dash))
			j++;
		for (int p = j; p < e && end < 0; p++) {
			if (usaddr_hwy_at(t, p, e))
				end = p + 2;
			else if (p > j && pub28_suffix(t[p].s) && usaddr_any_non_dir(t, j, p))
				end = p + 1;
			else if (p > j && usaddr_is_dir(t[p].s) && strlen(t[p].s) <= 2 &&
				 !usaddr_is_dir(t[p - 1].s))
				end = p + 1;
		}
		if (end < 0)
			return e;
		if (end < e && strlen(t[end].s) <= 2 && usaddr_is_dir(t[end].s))
			end++;
		else if (end == e - 1 && usaddr_is_dir(t[end].s))
			end++;
		if (end < e && usaddr_has_digit(t[end].s) && usaddr_is_range(t[end].s))
			end++;		/* 210 KING ST 6100 */
	}
	for (int used; end < e && (used = usaddr_unit_at(t, end, e, &u, true)) > 0;)
		end += used;
	return end;
}

static void set_zip(const char *s, char zip[11])
{
	if (strlen(s) == 9)
		snprintf(zip, 11, "%.5s-%.4s", s, s + 5);
	else
		copy_str(zip, 11, s);
}

static bool is_country(const struct tok *t, int i, int e, int *words)
{
	if (at(t, i, e, "USA") || at(t, i, e, "US") || at(t, i, e, "AMERICA")) {
		*words = 1;
		if (at(t, i, e, "AMERICA") && i >= 3 && !strcmp(t[i - 3].s, "UNITED") &&
		    !strcmp(t[i - 1].s, "OF"))
			*words = 4;	/* UNITED STATES OF AMERICA */
		return at(t, i, e, "AMERICA") ? *words == 4 : true;
	}
	if (at(t, i, e, "STATES") && i >= 1 && !strcmp(t[i - 1].s, "UNITED")) {
		*words = 2;
		return true;
	}
	return false;
}

/* the state at the end of t[b..*e): its code, *e moved before it; NULL when none */
static const char *take_state(const struct tok *t, int b, int *e, bool have_zip)
{
	char name[128];

	for (int k = 8; k >= 1; k--) {
		int s = *e - k;
		const char *code;
		struct sbuf nb;
		bool over = false;
		if (s < b + 2)
			continue;
		nb = usaddr_sb_init(name, sizeof(name), &over);
		for (int i = s; i < *e; i++) {
			usaddr_sb_word(&nb, t[i].s);
			over = over || (i > s && t[i].seg);	/* no comma inside a name */
		}
		code = over ? NULL : pub28_state_code(name);
		if (!code)
			continue;
		/* without a ZIP, "123 MAIN CT" ends in a suffix, not Connecticut */
		if (!have_zip && !t[s].seg && address_end(t, b, s) >= s)
			continue;
		*e = s;
		return code;
	}
	return NULL;
}

/* the city t[*cb..e) after the address; *cb is where it starts */
static int city_start(const struct tok *t, int e)
{
	struct unit u;
	int ls = 0, k;

	for (int i = 1; i < e; i++)
		if (t[i].seg)
			ls = i;
	if (ls == 0 || usaddr_address_start(t, ls, e))
		return address_end(t, ls, e);
	for (k = ls; k < e;) {
		int used = usaddr_unit_at(t, k, e, &u, true);
		if (!used)
			break;
		k += used;
	}
	return k;
}

static void join_words(const struct tok *t, int b, int e, char *out, size_t n)
{
	bool over = false;
	struct sbuf sb = usaddr_sb_init(out, n, &over);

	for (int i = b; i < e; i++)
		usaddr_sb_word(&sb, t[i].s);
}

static bool military_city(const char *s)
{
	return !strcmp(s, "APO") || !strcmp(s, "FPO") || !strcmp(s, "DPO");
}

int us_address_parse_freeform(const char *text, struct us_address *out, char *city,
			      size_t citylen, char state[3], char zip[11], char *err,
			      size_t errlen)
{
	struct toks tk;
	char cbuf[256];
	const char *code;
	int e, cb, w;

	tk.n = 0;
	tk.overflow = false;
	if (citylen)
		city[0] = '\0';
	state[0] = zip[0] = '\0';
	usaddr_tokenize(text, &tk);
	e = tk.n;
	if (!tk.overflow && e > 0 && is_country(tk.t, e - 1, e, &w) && e - w >= 2)
		e -= w;
	if (!tk.overflow && e > 2 && usaddr_is_zip(tk.t[e - 1].s))
		set_zip(tk.t[--e].s, zip);
	code = tk.overflow ? NULL : take_state(tk.t, 0, &e, zip[0] != '\0');
	if (code)
		copy_str(state, 3, code);
	cb = tk.overflow ? e : city_start(tk.t, e);
	join_words(tk.t, cb, e, cbuf, sizeof(cbuf));
	us_city_standardise(cbuf, city, citylen);
	tk.n = cb;
	if (usaddr_parse_toks(&tk, out, err, errlen) < 0)
		return -1;
	if (out->kind == US_ADDR_MILITARY && !out->military_city[0] && military_city(cbuf) &&
	    (!strcmp(state, "AA") || !strcmp(state, "AE") || !strcmp(state, "AP"))) {
		copy_str(out->military_city, sizeof(out->military_city), cbuf);
		copy_str(out->military_state, sizeof(out->military_state), state);
		copy_str(out->military_zip, sizeof(out->military_zip), zip);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* cities                                                                   */
/* ------------------------------------------------------------------------ */

/* what one folded character of a city becomes: itself, ' ', or '\0' (dropped) */
static char city_char(const char *s, size_t i)
{
	char c = s[i], prev = i ? s[i - 1] : ' ', next = s[i + 1];

	if (is_alnum(c))
		return c;
	if ((c == '-' || c == '/') && is_digit(prev) && is_digit(next))
		return c;		/* 12-34 in free text stays one word */
	if (c == '.' && is_alpha(prev) && (i < 2 || !is_alpha(s[i - 2])) && is_alpha(next))
		return '\0';		/* U.S. → US */
	if (c == '\'' && next == 'S' && !is_alnum(s[i + 2]))
		return '\0';		/* ST MARY'S → ST MARYS */
	if (c == '#' || c == '&')
		return c;
	return ' ';
}

void us_city_standardise(const char *in, char *out, size_t outlen)
{
	char folded[FOLD_MAX], buf[FOLD_MAX];
	size_t o = 0, cut;

	if (!outlen)
		return;
	if (usaddr_fold(in, folded, sizeof(folded)) < 0)
		folded[0] = '\0';
	for (size_t i = 0; folded[i] && o + 1 < sizeof(buf); i++) {
		char c = city_char(folded, i);
		if (c == '\0' || (c == ' ' && (o == 0 || buf[o - 1] == ' ')))
			continue;
		buf[o++] = c;
	}
	while (o && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
	cut = o;
	if (cut >= outlen) {		/* cut at the last word that fits */
		cut = outlen - 1;
		while (cut && buf[cut] != ' ')
			cut--;
	}
	memcpy(out, buf, cut);
	out[cut] = '\0';
}
