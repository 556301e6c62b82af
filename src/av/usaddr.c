// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * US address-line parser and Publication 28 standardiser (see usaddr.h). Input is folded to
 * upper-case ASCII, split into words and comma-separated segments; each segment is
 * classified (address, units, urbanization, other) and the address segment parsed by its
 * kind. No allocation: scratch space is on the stack, output in the caller's buffers.
 * One-line (freeform) addresses and city names are in usaddr_freeform.c; character tests,
 * folding, words and the output buffer in usaddr_text.c; box and route addresses in
 * usaddr_box.c.
 */
#include "av/usaddr_internal.h"
#include <stdio.h>
#include <string.h>

#define UNITS_MAX 6

struct ctx {
	struct us_address *a;
	char other[sizeof(((struct us_address *)0)->secondary_line)];
	struct sbuf ob;		/* text that is no address part → secondary_line */
	bool over;		/* some field did not fit */
};

/* copies src into a field of the address, noting overflow */
#define SET(c, field, src) set_field((c), (field), sizeof(field), (src))
static void set_field(struct ctx *c, char *dst, size_t cap, const char *src)
{
	struct sbuf b = usaddr_sb_init(dst, cap, &c->over);
	usaddr_sb_raw(&b, src);
}

static void other_words(struct ctx *c, const struct tok *t, int b, int e)
{
	for (int i = b; i < e; i++)
		usaddr_sb_word(&c->ob, t[i].s);
}

/* ------------------------------------------------------------------------ */
/* secondary units (Pub 28 C2, "#", PMB)                                    */
/* ------------------------------------------------------------------------ */

/* "APT4", "STE-100": a range-needing designator glued to its number */
static bool unit_glued(const char *s, struct unit *u)
{
	char prefix[8];
	bool rng = false;

	for (size_t n = 2; n <= 5 && s[n]; n++) {
		const char *rest = s + n, *d;
		memcpy(prefix, s, n);
		prefix[n] = '\0';
		if (*rest == '-')
			rest++;
		if (!is_digit(*rest) || !usaddr_is_range(rest))
			continue;
		d = pub28_unit(prefix, &rng);
		if (d && rng) {
			u->desig = d;
			copy_str(u->num, sizeof(u->num), rest);
			return true;
		}
	}
	return false;
}

/* non-range designators whose full word often starts a city name (FRONT ROYAL) */
static bool city_word(const char *s)
{
	return !strcmp(s, "FRONT") || !strcmp(s, "UPPER") || !strcmp(s, "LOWER") ||
	       !strcmp(s, "LOBBY") || !strcmp(s, "OFFICE");
}

/* the designator at t[i]: sets *d and *rng, returns the words it takes (0: none) */
static int unit_designator(const struct tok *t, int i, int e, const char **d, bool *rng,
			   bool freeform)
{
	*rng = true;
	if (at(t, i, e, "#")) {
		*d = "#";
		return 1;
	}
	if (at(t, i, e, "PMB")) {
		*d = "PMB";
		return 1;
	}
	if (at(t, i, e, "PRIVATE") && at(t, i + 1, e, "MAILBOX")) {
		*d = "PMB";
		return 2;
	}
	if (at(t, i, e, "PRIVATE") && at(t, i + 1, e, "MAIL") && at(t, i + 2, e, "BOX")) {
		*d = "PMB";
		return 3;
	}
	*d = pub28_unit(t[i].s, rng);
	if (!*d || (freeform && !*rng && city_word(t[i].s)))
		return 0;
	return 1;
}

/*
 * One unit at t[i] (i < e): "STE 6100", "# 12", "APT # 4", "APT NO 4", "BSMT", "PH 2",
 * "3RD FL", "PMB 5", "APT4". Returns the words used, 0 when t[i] starts no unit. A
 * range-needing designator without its number is accepted only as the last word.
 */
int usaddr_unit_at(const struct tok *t, int i, int e, struct unit *u, bool freeform)
{
	bool rng;
	int j, used;

	u->num[0] = '\0';
	if (usaddr_is_ordinal(t[i].s) && i + 1 < e) {		/* 3RD FLOOR → FL 3 */
		const char *d = pub28_unit(t[i + 1].s, &rng);
		if (d && !strcmp(d, "FL")) {
			u->desig = d;
			snprintf(u->num, sizeof(u->num), "%.*s", (int)strlen(t[i].s) - 2, t[i].s);
			return 2;
		}
	}
	used = unit_designator(t, i, e, &u->desig, &rng, freeform);
	if (!used)
		return unit_glued(t[i].s, u) ? 1 : 0;
	j = i + used;
	if (rng && strcmp(u->desig, "#") && j + 1 < e && usaddr_is_range(t[j + 1].s) &&
	    (at(t, j, e, "#") || at(t, j, e, "NO") || at(t, j, e, "NUMBER")))
		j++;
	if (j < e && usaddr_is_range(t[j].s) && (rng || usaddr_has_digit(t[j].s))) {
		copy_str(u->num, sizeof(u->num), t[j].s);
		return j + 1 - i;
	}
	if (!rng)
		return used;
	/* "APT" with the number missing; not a suffix word (100 HARBOR KEY, ... TRAILER) */
	if (j == e && strcmp(u->desig, "#") && strcmp(u->desig, "PMB") && !pub28_suffix(t[i].s))
		return j - i;
	return 0;
}

/* t[b..e) as nothing but units; their count, or -1 */
static int units_from(const struct tok *t, int b, int e, struct unit *list, bool freeform)
{
	int n = 0;

	while (b < e) {
		int used = n < UNITS_MAX ? usaddr_unit_at(t, b, e, &list[n], freeform) : 0;
		if (!used)
			return -1;
		b += used;
		n++;
	}
	return n;
}

static void add_unit(struct ctx *c, const struct unit *u)
{
	struct us_address *a = c->a;
	bool pmb = !strcmp(u->desig, "PMB");

	if (!pmb && !a->secondary_designator[0]) {
		SET(c, a->secondary_designator, u->desig);
		SET(c, a->secondary_number, u->num);
	} else if ((pmb || !strcmp(u->desig, "#")) && !a->pmb_designator[0]) {
		SET(c, a->pmb_designator, u->desig);
		SET(c, a->pmb_number, u->num);
	} else if (!a->extra_secondary_designator[0]) {
		SET(c, a->extra_secondary_designator, u->desig);
		SET(c, a->extra_secondary_number, u->num);
	} else {
		usaddr_sb_word(&c->ob, u->desig);
		usaddr_sb_word(&c->ob, u->num);
	}
}

static bool units_from_ok(const struct tok *t, int b, int e)
{
	struct unit list[UNITS_MAX];

	return units_from(t, b, e, list, false) >= 0;
}

static void add_units(struct ctx *c, const struct unit *list, int n)
{
	for (int i = 0; i < n; i++)
		add_unit(c, &list[i]);
}

/* ------------------------------------------------------------------------ */
/* street names                                                             */
/* ------------------------------------------------------------------------ */

bool usaddr_is_dir(const char *s)
{
	return pub28_directional(s) != NULL;
}

/* NORTH EAST, SOUTH WEST...: two full words that make one directional */
static bool dir_pair(const struct tok *t, int i, int e)
{
	return i + 1 < e && (at(t, i, e, "NORTH") || at(t, i, e, "SOUTH")) &&
	       (at(t, i + 1, e, "EAST") || at(t, i + 1, e, "WEST"));
}

bool usaddr_any_non_dir(const struct tok *t, int b, int e)
{
	for (int i = b; i < e; i++)
		if (!usaddr_is_dir(t[i].s))
			return true;
	return false;
}

static bool hwy_word(const char *s)
{
	static const char *const w[] = { "HIGHWAY", "HWY", "HIWAY", "HIWY", "HWAY", "HGWY",
					 "HIGHWY" };
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(s, w[i]))
			return true;
	return false;
}

static bool route_word(const char *s)
{
	return !strcmp(s, "ROUTE") || !strcmp(s, "RTE") || !strcmp(s, "RT");
}

static bool road_word(const char *s)
{
	return !strcmp(s, "ROAD") || !strcmp(s, "RD");
}

static bool county_word(const char *s)
{
	return !strcmp(s, "COUNTY") || !strcmp(s, "CO") || !strcmp(s, "CNTY");
}

/* words before ROAD that make it a numbered road: COUNTY ROAD 5, STATE ROAD 9 */
static bool road_qualifier(const char *s)
{
	return county_word(s) || !strcmp(s, "STATE") || !strcmp(s, "ST") ||
	       !strcmp(s, "RANCH") || !strcmp(s, "MARKET");
}

/* the number of a highway: "101", "9W"; letters only on county roads ("COUNTY ROAD JJ") */
static bool hwy_number(const struct tok *t, int i, int e, bool county)
{
	if (i >= e || !usaddr_is_wordish(t[i].s))
		return false;
	return usaddr_has_digit(t[i].s) || (county && strlen(t[i].s) <= 2 && usaddr_all_alpha(t[i].s));
}

/* short forms that stand for a whole highway name before a number */
static const char *hwy_initials(const char *s)
{
	if (!strcmp(s, "CR"))
		return "COUNTY ROAD";
	if (!strcmp(s, "SR"))
		return "STATE ROUTE";
	if (!strcmp(s, "SH"))
		return "STATE HIGHWAY";
	if (!strcmp(s, "I") || !strcmp(s, "IH"))
		return "INTERSTATE";
	if (!strcmp(s, "US"))
		return "US HIGHWAY";
	return NULL;
}

/* is t[i] a word of a highway name that ends in a number (ends the street: no suffix) */
bool usaddr_hwy_at(const struct tok *t, int i, int e)
{
	bool county = i > 0 && county_word(t[i - 1].s);

	if (hwy_word(t[i].s) || route_word(t[i].s))
		return hwy_number(t, i + 1, e, county);
	if (road_word(t[i].s))
		return i > 0 && road_qualifier(t[i - 1].s) && hwy_number(t, i + 1, e, county);
	return false;
}

/*
 * One word of a street name as Pub 28 writes it: highway words spelled out ("HWY 12" →
 * "HIGHWAY 12", "CR 5" → "COUNTY ROAD 5", "ST RT 9" → "STATE ROUTE 9"), the rest as written.
 */
static const char *name_word(const struct tok *t, int i, int b, int e)
{
	const char *s = t[i].s, *full = hwy_initials(s);
	bool next_hwy = i + 1 < e && usaddr_hwy_at(t, i + 1, e);

	if (full && i == b && hwy_number(t, i + 1, e, !strcmp(s, "CR")))
		return full;
	if (hwy_word(s) && hwy_number(t, i + 1, e, i > b && county_word(t[i - 1].s)))
		return "HIGHWAY";
	if (route_word(s) && hwy_number(t, i + 1, e, false))
		return "ROUTE";
	if (road_word(s) && usaddr_hwy_at(t, i, e))
		return "ROAD";
	if (county_word(s) && next_hwy)
		return "COUNTY";
	if (!strcmp(s, "ST") && i == b && next_hwy)
		return "STATE";
	return s;
}

/* "I-95", "CR-5", "US-101": initials and number in one word → two words of the name */
static bool hwy_glued(const char *s, struct sbuf *b)
{
	const char *dash = strchr(s, '-');
	char head[8];
	size_t n;

	if (!dash || !usaddr_has_digit(dash + 1) || !usaddr_is_wordish(dash + 1))
		return false;
	n = (size_t)(dash - s);
	if (n == 0 || n >= sizeof(head))
		return false;
	memcpy(head, s, n);
	head[n] = '\0';
	if (!hwy_initials(head))
		return false;
	usaddr_sb_word(b, hwy_initials(head));
	usaddr_sb_word(b, dash + 1);
	return true;
}

static void set_name(struct ctx *c, const struct tok *t, int b, int e)
{
	struct sbuf nb = usaddr_sb_init(c->a->street_name, sizeof(c->a->street_name), &c->over);

	for (int i = b; i < e; i++)
		if (!(i == b && hwy_glued(t[i].s, &nb)))
			usaddr_sb_word(&nb, name_word(t, i, b, e));
}

/* a bare number after the suffix or a directional is a unit: "210 KING ST 6100" */
static bool trailing_unit(const struct tok *t, int b, int e)
{
	const char *last, *prev;

	if (e - b < 3)
		return false;
	last = t[e - 1].s;
	prev = t[e - 2].s;
	if (!usaddr_has_digit(last) || !usaddr_is_range(last) || usaddr_is_ordinal(last))
		return false;
	if (hwy_word(prev) || route_word(prev) || usaddr_hwy_at(t, e - 2, e))
		return false;
	if (!pub28_suffix(prev) && !usaddr_is_dir(prev))
		return false;
	return usaddr_any_non_dir(t, b, e - 2);
}

/* the postdirection at the end of t[b..e): its words (0, 1 or 2) */
static int postdir_words(const struct tok *t, int b, int e)
{
	if (e - b >= 3 && dir_pair(t, e - 2, e) && usaddr_any_non_dir(t, b, e - 2))
		return 2;
	if (e - b >= 2 && usaddr_is_dir(t[e - 1].s) && usaddr_any_non_dir(t, b, e - 1))
		return 1;
	return 0;
}

/* EAST WEST, NORTH SOUTH: two directionals on one axis */
static bool same_axis(const char *x, const char *y)
{
	const char *a = pub28_directional(x), *b = pub28_directional(y);

	if (!a || !b || a[1] || b[1])
		return false;
	return strchr("NS", a[0]) ? strchr("NS", b[0]) != NULL : strchr("EW", b[0]) != NULL;
}

/* the predirection at the start of the name t[b..e): its words (0, 1 or 2) */
static int predir_words(const struct tok *t, int b, int e)
{
	if (e - b >= 3 && dir_pair(t, b, e))
		return 2;
	if (e - b < 2 || !usaddr_is_dir(t[b].s))
		return 0;
	/* EAST WEST HWY, NORTH SOUTH RD are names; W NORTH AVE has a predirection */
	if (e - b == 2 && same_axis(t[b].s, t[b + 1].s))
		return 0;
	return 1;
}

static void join_dir(struct ctx *c, char *dst, size_t cap, const struct tok *t, int i, int n)
{
	char both[2 * TOK_LEN];

	snprintf(both, sizeof(both), "%s%s%s", t[i].s, n == 2 ? " " : "", n == 2 ? t[i + 1].s : "");
	set_field(c, dst, cap, pub28_directional(both));
}

/*
 * Street words t[b..e) (after the house number, units already taken off): predirection,
 * name, suffix, postdirection. A word is the suffix or a directional only when a name is
 * left without it, so "NORTH ST", "PARK AVE", "AVENUE OF THE AMERICAS" keep their names.
 */
static void parse_street(struct ctx *c, const struct tok *t, int b, int e)
{
	struct us_address *a = c->a;
	struct unit u = { "#", "" };
	int n, npost;

	if (trailing_unit(t, b, e)) {
		copy_str(u.num, sizeof(u.num), t[e - 1].s);
		add_unit(c, &u);
		e--;
	}
	npost = postdir_words(t, b, e);
	if (npost) {
		join_dir(c, a->street_postdirection, sizeof(a->street_postdirection), t, e - npost,
			 npost);
		e -= npost;
	}
	if (e - b >= 2 && pub28_suffix(t[e - 1].s)) {
		SET(c, a->street_suffix, pub28_suffix(t[e - 1].s));
		e--;
	}
	n = predir_words(t, b, e);
	if (n) {
		join_dir(c, a->street_predirection, sizeof(a->street_predirection), t, b, n);
		b += n;
	}
	set_name(c, t, b, e);
	/* AVENUE N: a lone suffix word with a one-letter "postdirection" is the name */
	if (npost == 1 && strlen(t[e].s) == 1 && !a->street_suffix[0] && e - b == 1 &&
	    pub28_suffix(t[b].s)) {
		struct sbuf nb = { a->street_name, sizeof(a->street_name), strlen(a->street_name),
				   &c->over };
		usaddr_sb_word(&nb, t[e].s);
		a->street_postdirection[0] = '\0';
	}
}

/* the street segment t[b..e): house number, street, units */
static int parse_street_segment(struct ctx *c, const struct tok *t, int b, int e)
{
	struct unit list[UNITS_MAX];
	struct sbuf nb = usaddr_sb_init(c->a->primary_number, sizeof(c->a->primary_number),
					 &c->over);
	int i = b + 1, ue = e, nu = 0;

	c->a->kind = US_ADDR_STREET;
	usaddr_sb_raw(&nb, t[b].s);
	if (i < e && usaddr_is_fraction(t[i].s)) {
		usaddr_sb_word(&nb, t[i++].s);			/* 123 1/2 */
	} else if (i < e && t[i].dash && usaddr_all_digits(t[b].s) && usaddr_is_house_number(t[i].s)) {
		usaddr_sb_raw(&nb, "-");			/* 123 - 125 → 123-125 */
		usaddr_sb_raw(&nb, t[i++].s);
	}
	if (i == e)
		return -1;
	for (int k = i + 1; k < e; k++) {
		nu = units_from(t, k, e, list, false);
		if (nu >= 0) {
			ue = k;
			break;
		}
	}
	parse_street(c, t, i, ue);
	if (ue < e)
		add_units(c, list, nu);
	return 0;
}


static void set_boxed(struct ctx *c, const struct boxed *x)
{
	struct us_address *a = c->a;
	struct sbuf nb = usaddr_sb_init(a->street_name, sizeof(a->street_name), &c->over);

	a->kind = x->r.kind;
	SET(c, a->primary_number, x->box ? x->box : "");
	if (x->r.kind == US_ADDR_GENERAL_DELIVERY) {
		usaddr_sb_raw(&nb, "GENERAL DELIVERY");
	} else if (x->r.kind == US_ADDR_PO_BOX) {
		usaddr_sb_raw(&nb, "PO BOX");
	} else {
		SET(c, a->route_designator, x->r.desig);
		SET(c, a->route_number, x->route_no);
		usaddr_sb_word(&nb, x->r.desig);
		usaddr_sb_word(&nb, x->route_no);
		if (x->box)
			usaddr_sb_word(&nb, "BOX");
	}
	SET(c, a->military_city, x->mil_city ? x->mil_city : "");
	SET(c, a->military_state, x->mil_state ? x->mil_state : "");
	SET(c, a->military_zip, x->mil_zip ? x->mil_zip : "");
}

/* ------------------------------------------------------------------------ */
/* segments                                                                 */
/* ------------------------------------------------------------------------ */

enum seg_class { SEG_NONE, SEG_ADDRESS, SEG_UNITS, SEG_OTHER };

struct seg {
	int b, e;
	enum seg_class cls;
};

static bool boxed_at(const struct tok *t, int b, int e)
{
	struct boxed x;

	usaddr_boxed_address(t, b, e, &x);
	return x.used > 0;
}

bool usaddr_address_start(const struct tok *t, int b, int e)
{
	return boxed_at(t, b, e) || (usaddr_is_house_number(t[b].s) && e - b >= 2);
}

bool usaddr_urb_word(const char *s)
{
	return !strcmp(s, "URB") || !strcmp(s, "URBANIZACION") || !strcmp(s, "URBANIZATION");
}

/* URB LAS GLADIOLAS [150 CALLE A]: takes the urbanization off the segment's front */
static void take_urbanization(struct ctx *c, const struct tok *t, struct seg *s)
{
	struct sbuf ub;
	int k = s->b + 1;

	while (k < s->e && !usaddr_address_start(t, k, s->e))
		k++;
	if (!c->a->urbanization[0]) {
		ub = usaddr_sb_init(c->a->urbanization, sizeof(c->a->urbanization), &c->over);
		usaddr_sb_raw(&ub, "URB");
		for (int i = s->b + 1; i < k; i++)
			usaddr_sb_word(&ub, t[i].s);
	} else {
		other_words(c, t, s->b, k);
	}
	s->b = k;
}

static enum seg_class classify(struct ctx *c, const struct tok *t, struct seg *s)
{
	struct unit list[UNITS_MAX];

	if (usaddr_urb_word(t[s->b].s))
		take_urbanization(c, t, s);
	if (s->b == s->e)
		return SEG_NONE;
	if (usaddr_address_start(t, s->b, s->e))
		return SEG_ADDRESS;
	if (units_from(t, s->b, s->e, list, false) >= 0)
		return SEG_UNITS;
	if (s->e - s->b == 1 && usaddr_is_range(t[s->b].s))
		return SEG_UNITS;	/* a bare "5" or "4B" on line 2: "# 5" */
	return SEG_OTHER;
}

static void add_unit_segment(struct ctx *c, const struct tok *t, const struct seg *s)
{
	struct unit list[UNITS_MAX];
	int n = units_from(t, s->b, s->e, list, false);

	if (n < 0) {
		struct unit u = { "#", "" };
		copy_str(u.num, sizeof(u.num), t[s->b].s);
		add_unit(c, &u);
		return;
	}
	add_units(c, list, n);
}

/* the address segment; -1 when the street has no name */
static int parse_main(struct ctx *c, const struct tok *t, const struct seg *s)
{
	struct boxed x;
	struct unit list[UNITS_MAX];
	int n;

	usaddr_boxed_address(t, s->b, s->e, &x);
	if (!x.used)
		return parse_street_segment(c, t, s->b, s->e);
	set_boxed(c, &x);
	n = units_from(t, s->b + x.used, s->e, list, false);
	if (n >= 0)
		add_units(c, list, n);
	else
		other_words(c, t, s->b + x.used, s->e);
	return 0;
}

static void compose(struct ctx *c)
{
	struct us_address *a = c->a;
	struct sbuf pl = usaddr_sb_init(a->primary_line, sizeof(a->primary_line), &c->over);

	if (a->kind == US_ADDR_STREET || a->kind == US_ADDR_UNKNOWN) {
		usaddr_sb_word(&pl, a->primary_number);
		usaddr_sb_word(&pl, a->street_predirection);
		usaddr_sb_word(&pl, a->street_name);
		usaddr_sb_word(&pl, a->street_suffix);
		usaddr_sb_word(&pl, a->street_postdirection);
	} else {
		usaddr_sb_word(&pl, a->street_name);
		usaddr_sb_word(&pl, a->primary_number);
	}
	usaddr_sb_word(&pl, a->secondary_designator);
	usaddr_sb_word(&pl, a->secondary_number);
	usaddr_sb_word(&pl, a->pmb_designator);
	usaddr_sb_word(&pl, a->pmb_number);
	set_field(c, a->secondary_line, sizeof(a->secondary_line), c->other);
}

static int fail(char *err, size_t errlen, const char *why)
{
	if (err && errlen)
		copy_str(err, errlen, why);
	return -1;
}

/* the end of the comma-separated segment starting at b */
static int segment_end(const struct toks *tk, int b)
{
	int e = b + 1;

	while (e < tk->n && !tk->t[e].seg)
		e++;
	return e;
}

/*
 * Whether the segment t[b..e) continues past its comma: "123, Main St" (a lone house
 * number before a street) and "PSC 802, Box 74" (a route before its box).
 */
static bool joins_next(const struct toks *tk, int b, int e)
{
	const struct tok *t = tk->t;
	int ne;
	struct boxed x;

	if (e >= tk->n)
		return false;
	ne = segment_end(tk, e);
	if (e - b == 1 && usaddr_is_house_number(t[b].s) && !usaddr_address_start(t, e, ne) &&
	    !usaddr_is_range(t[e].s) && !units_from_ok(t, e, ne))
		return true;
	if (!usaddr_box_words(t, e, ne))
		return false;
	memset(&x, 0, sizeof(x));
	usaddr_route_address(t, b, e, false, &x);
	return x.used == e - b && !x.box;
}

/* splits tk into segments, classifies them; the index of the address segment or -1 */
static int segments(struct ctx *c, const struct toks *tk, struct seg *segs, int *nseg)
{
	int main_seg = -1;

	*nseg = 0;
	for (int b = 0, e; b < tk->n; b = e) {
		struct seg *s = &segs[(*nseg)++];
		e = segment_end(tk, b);
		while (joins_next(tk, b, e))
			e = segment_end(tk, e);
		s->b = b;
		s->e = e;
		s->cls = classify(c, tk->t, s);
		if (s->cls == SEG_ADDRESS && main_seg < 0)
			main_seg = *nseg - 1;
	}
	return main_seg;
}

/* without any address: the street of the first other segment, for the caller's message */
static void parse_partial(struct ctx *c, const struct tok *t, const struct seg *segs, int n)
{
	for (int i = 0; i < n; i++) {
		if (segs[i].cls == SEG_OTHER) {
			parse_street(c, t, segs[i].b, segs[i].e);
			return;
		}
	}
}

int usaddr_parse_toks(const struct toks *tk, struct us_address *a, char *err, size_t errlen)
{
	struct ctx c = { .a = a };
	struct seg segs[TOK_MAX];
	int nseg, main_seg, rc = 0;

	c.ob = usaddr_sb_init(c.other, sizeof(c.other), &c.over);
	memset(a, 0, sizeof(*a));
	a->kind = US_ADDR_UNKNOWN;
	if (tk->overflow)
		return fail(err, errlen, "address too long");
	if (tk->n == 0)
		return fail(err, errlen, "empty address");
	main_seg = segments(&c, tk, segs, &nseg);
	if (main_seg < 0)
		parse_partial(&c, tk->t, segs, nseg);
	else
		rc = parse_main(&c, tk->t, &segs[main_seg]);
	for (int i = 0; i < nseg; i++) {
		if (i == main_seg || segs[i].cls == SEG_NONE)
			continue;
		if (segs[i].cls == SEG_UNITS)
			add_unit_segment(&c, tk->t, &segs[i]);
		else if (main_seg >= 0 && segs[i].cls != SEG_NONE)
			other_words(&c, tk->t, segs[i].b, segs[i].e);
	}
	compose(&c);
	if (c.over || rc < 0 || main_seg < 0) {
		bool lone_number = tk->n == 1 && usaddr_is_house_number(tk->t[0].s);
		const char *why = c.over ? "address too long"
			: rc < 0 || lone_number ? "no street name" : "no house number";
		a->kind = US_ADDR_UNKNOWN;
		return fail(err, errlen, why);
	}
	return 0;
}

int us_address_parse(const char *line1, const char *line2, struct us_address *out, char *err,
		     size_t errlen)
{
	struct toks tk;

	tk.n = 0;
	tk.overflow = false;
	if (usaddr_tokenize(line1, &tk) == 0)
		usaddr_tokenize(line2, &tk);
	return usaddr_parse_toks(&tk, out, err, errlen);
}
