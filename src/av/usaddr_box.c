// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * PO boxes, rural routes, highway contracts, military (PSC/UNIT/CMR boxes) and general
 * delivery: the address kinds that have a box or route number instead of a street
 * (Publication 28 §§ 25–29). usaddr.c calls usaddr_boxed_address() for such segments.
 */
#include "av/usaddr_internal.h"
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* PO boxes, rural routes, highway contracts, military, general delivery    */
/* ------------------------------------------------------------------------ */

/* words that mean PO BOX at t[i]: their count, 0 if none; *bare for BOX alone */
static int po_box_words(const struct tok *t, int i, int e, bool *bare)
{
	static const char *const forms[][4] = {
		{ "POST", "OFFICE", "BOX" }, { "POST", "OFFICE", "DRAWER" }, { "P", "O", "BOX" },
		{ "P", "O", "B" }, { "POST", "BOX" }, { "PO", "BOX" }, { "PO", "BX" },
		{ "PO", "DRAWER" }, { "FIRM", "CALLER" }, { "POB" }, { "POBOX" }, { "PO" },
		/* from here on "bare": without a number they are words of a street name */
		{ "BOX" }, { "BX" }, { "DRAWER" }, { "LOCKBOX" }, { "CALLER" },
	};
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		int n = 0;
		while (n < 4 && forms[f][n] && at(t, i + n, e, forms[f][n]))
			n++;
		if (n < 4 && forms[f][n])
			continue;
		*bare = f >= 12;
		return n;
	}
	return 0;
}

/* BOX, BX, PO BOX inside a route address: their count */
int usaddr_box_words(const struct tok *t, int i, int e)
{
	if (at(t, i, e, "BOX") || at(t, i, e, "BX") || at(t, i, e, "POB"))
		return 1;
	if (at(t, i, e, "PO") && (at(t, i + 1, e, "BOX") || at(t, i + 1, e, "BX")))
		return 2;
	if (at(t, i, e, "P") && at(t, i + 1, e, "O") && at(t, i + 2, e, "BOX"))
		return 3;
	return 0;
}

static struct route route_words(const struct tok *t, int i, int e)
{
	static const struct { const char *w[4]; struct route r; } forms[] = {
		{ { "RURAL", "ROUTE" }, { US_ADDR_RURAL_ROUTE, "RR", false, 2 } },
		{ { "RURAL", "RTE" }, { US_ADDR_RURAL_ROUTE, "RR", false, 2 } },
		{ { "RURAL", "RT" }, { US_ADDR_RURAL_ROUTE, "RR", false, 2 } },
		{ { "R", "R" }, { US_ADDR_RURAL_ROUTE, "RR", false, 2 } },
		{ { "RR" }, { US_ADDR_RURAL_ROUTE, "RR", false, 1 } },
		{ { "RFD" }, { US_ADDR_RURAL_ROUTE, "RR", true, 1 } },
		{ { "RD" }, { US_ADDR_RURAL_ROUTE, "RR", true, 1 } },
		{ { "ROUTE" }, { US_ADDR_RURAL_ROUTE, "RR", true, 1 } },
		{ { "RTE" }, { US_ADDR_RURAL_ROUTE, "RR", true, 1 } },
		{ { "RT" }, { US_ADDR_RURAL_ROUTE, "RR", true, 1 } },
		{ { "HIGHWAY", "CONTRACT", "ROUTE" },
		  { US_ADDR_HIGHWAY_CONTRACT, "HC", false, 3 } },
		{ { "HIGHWAY", "CONTRACT" }, { US_ADDR_HIGHWAY_CONTRACT, "HC", false, 2 } },
		{ { "HWY", "CONTRACT" }, { US_ADDR_HIGHWAY_CONTRACT, "HC", false, 2 } },
		{ { "STAR", "ROUTE" }, { US_ADDR_HIGHWAY_CONTRACT, "HC", false, 2 } },
		{ { "STAR", "RTE" }, { US_ADDR_HIGHWAY_CONTRACT, "HC", false, 2 } },
		{ { "HCR" }, { US_ADDR_HIGHWAY_CONTRACT, "HC", false, 1 } },
		{ { "HC" }, { US_ADDR_HIGHWAY_CONTRACT, "HC", false, 1 } },
		{ { "PSC" }, { US_ADDR_MILITARY, "PSC", false, 1 } },
		{ { "CMR" }, { US_ADDR_MILITARY, "CMR", false, 1 } },
		{ { "UNIT" }, { US_ADDR_MILITARY, "UNIT", true, 1 } },
	};
	struct route none = { US_ADDR_UNKNOWN, NULL, false, 0 };

	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		int n = 0;
		while (n < forms[f].r.words && at(t, i + n, e, forms[f].w[n]))
			n++;
		if (n == forms[f].r.words)
			return forms[f].r;
	}
	return none;
}

/* "RR2", "PSC802", "BOX152": a keyword glued to its number; the number or NULL */
static const char *glued_number(const char *s, const char *kw)
{
	size_t n = strlen(kw);

	if (strncmp(s, kw, n) || !is_digit(s[n]) || !usaddr_is_range(s + n))
		return NULL;
	return s + n;
}

/* a box number after BOX words at t[*j] (a '#' may come between); NULL if none */
static const char *box_number(const struct tok *t, int *j, int e)
{
	int k = *j + (at(t, *j, e, "#") ? 1 : 0);

	if (k < e && usaddr_is_range(t[k].s)) {
		*j = k + 1;
		return t[k].s;
	}
	return NULL;
}

/* APO/FPO/DPO AA/AE/AP [ZIP] at t[*j] */
static void military_tail(const struct tok *t, int *j, int e, struct boxed *x)
{
	const char *c = *j < e ? t[*j].s : "";
	bool city = !strcmp(c, "APO") || !strcmp(c, "FPO") || !strcmp(c, "DPO");
	bool state = at(t, *j + 1, e, "AA") || at(t, *j + 1, e, "AE") || at(t, *j + 1, e, "AP");
	const char *z;

	if (!city || !state)
		return;
	x->mil_city = c;
	x->mil_state = t[*j + 1].s;
	*j += 2;
	z = *j < e ? t[*j].s : "";
	if (usaddr_is_zip(z) && strlen(z) != 9) {
		x->mil_zip = z;
		(*j)++;
	}
}

/* RR2, HC68, PSC802, CMR450: a route keyword glued to its number */
static const char *route_glued(const char *s, struct route *r)
{
	static const struct { const char *kw; enum us_addr_kind kind; } kws[] = {
		{ "RR", US_ADDR_RURAL_ROUTE }, { "HC", US_ADDR_HIGHWAY_CONTRACT },
		{ "PSC", US_ADDR_MILITARY }, { "CMR", US_ADDR_MILITARY },
	};
	for (size_t k = 0; k < sizeof(kws) / sizeof(kws[0]); k++) {
		const char *num = glued_number(s, kws[k].kw);
		if (num) {
			*r = (struct route){ kws[k].kind, kws[k].kw, false, 1 };
			return num;
		}
	}
	return NULL;
}

/*
 * RR 2 BOX 152, PSC 802 BOX 74 (route words at t[b]); x->used 0 when it is none.
 * have_box: the box came first ("BOX 74 PSC 802"), so none need follow.
 */
void usaddr_route_address(const struct tok *t, int b, int e, bool have_box, struct boxed *x)
{
	int j = b, k;
	const char *num;

	x->r = route_words(t, j, e);
	num = x->r.desig ? NULL : route_glued(t[j].s, &x->r);
	if (!x->r.desig)
		return;
	j += x->r.words;
	if (!num) {
		if (at(t, j, e, "#"))
			j++;
		if (j >= e || !usaddr_has_digit(t[j].s) || !usaddr_is_range(t[j].s))
			return;
		num = t[j++].s;
	}
	x->route_no = num;
	k = j + usaddr_box_words(t, j, e);
	if (k > j) {
		x->box = box_number(t, &k, e);
		if (x->box)
			j = k;
	} else if (j < e && glued_number(t[j].s, "BOX")) {
		x->box = glued_number(t[j++].s, "BOX");
	}
	military_tail(t, &j, e, x);
	if (x->r.needs_box && !x->box && !have_box && !x->mil_city)
		return;
	x->used = j - b;
}

/* PO BOX 123, and BOX 74 PSC 802 (the box first) */
static void po_box_address(const struct tok *t, int b, int e, struct boxed *x)
{
	bool bare = false;
	int j = b + po_box_words(t, b, e, &bare);
	const char *glued = glued_number(t[b].s, "POBOX");

	if (!glued)
		glued = glued_number(t[b].s, "BOX");
	if (!glued)
		glued = glued_number(t[b].s, "POB");
	if (glued) {
		j = b + 1;
		x->box = glued;
	} else if (j == b) {
		return;
	} else {
		x->box = box_number(t, &j, e);
		if (!x->box && bare)
			return;		/* BOX ELDER RD is a street */
	}
	if (x->box && j < e) {
		struct boxed r = { 0 };
		usaddr_route_address(t, j, e, true, &r);
		if (r.used && !r.box) {	/* BOX 74 PSC 802 */
			r.box = x->box;
			*x = r;
			x->used += j - b;
			return;
		}
	}
	x->r = (struct route){ US_ADDR_PO_BOX, NULL, false, 0 };
	x->used = j - b;
}

/* any box kind at t[b..e): fills *x, x->used 0 when none */
void usaddr_boxed_address(const struct tok *t, int b, int e, struct boxed *x)
{
	memset(x, 0, sizeof(*x));
	if (at(t, b, e, "GENERAL") && at(t, b + 1, e, "DELIVERY")) {
		x->r = (struct route){ US_ADDR_GENERAL_DELIVERY, NULL, false, 2 };
		x->used = 2;
		return;
	}
	usaddr_route_address(t, b, e, false, x);
	if (!x->used) {
		memset(x, 0, sizeof(*x));
		po_box_address(t, b, e, x);
	}
}
