// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Live US verification and autocomplete on the parser, the ZIP data and the optional
 * reference addresses. What each deliverability answer means here:
 *   reference file covers the ZIP: exact match → deliverable (Y, AA BB); building known but
 *     the unit missing → deliverable_missing_unit (D, AA N1); unit not in the file →
 *     deliverable_incorrect_unit (S, AA CC: the spec's footnote enum has no C1); unit given where none exist →
 *     deliverable_unnecessary_unit (S, AA CC); street/number not found → undeliverable
 *     (N, AA M3; M1 without a number).
 *   no reference data for the ZIP: nothing confirms the delivery point, so the answer is
 *     undeliverable with dpv_confirmation "" — footnote AA when the street address parsed
 *     and ZIP, city and state agree (what was checked), A1 when they do not.
 * lob_confidence_score is Lob's delivery history for the address; Frank has none yet, so it
 * is {null, ""} ("no data").
 */
#include "av/verify.h"
#include "av/refdb.h"
#include "av/usaddr.h"
#include "av/zipdb.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct checked {
	struct us_address a;
	bool parsed;
	char city[128], state[3], zip5[6], zip4[5];
	const struct zip_record *zip;	/* the ZIP the address resolved to */
	bool zip_consistent;		/* ZIP, city and state agree */
	enum ref_match ref;		/* REF_NONE also when not covered */
	bool ref_covered;		/* the reference file has addresses in this ZIP */
	const struct ref_address *found;
};

/* ------------------------------------------------------------------------ */
/* checks                                                                   */
/* ------------------------------------------------------------------------ */

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* "94107", "94107-1702", "941071702" → zip5 and zip4 */
static void split_zip(const char *z, char zip5[6], char zip4[5])
{
	char digits[10];
	size_t n = 0;
	for (; z && *z && n < sizeof(digits) - 1; z++)
		if (isdigit((unsigned char)*z))
			digits[n++] = *z;
	zip5[0] = zip4[0] = '\0';
	if (n >= 5) {
		memcpy(zip5, digits, 5);
		zip5[5] = '\0';
	}
	if (n == 9) {
		memcpy(zip4, digits + 5, 4);
		zip4[4] = '\0';
	}
}

static void resolve_zip(const struct av_engine *av, struct checked *c)
{
	c->zip = c->zip5[0] ? zipdb_lookup(av->zips, c->zip5) : NULL;
	if (!c->zip && c->city[0] && c->state[0]) {
		/* the ZIP follows from city and state only where the city has one ZIP */
		const struct zip_record *cands[2];
		size_t n = zipdb_by_city(av->zips, c->city, c->state, cands, 2);
		if (n == 1)
			c->zip = cands[0];
		c->zip_consistent = n > 1 && !c->zip5[0];	/* a real city, ZIP unknown */
	}
	if (!c->zip)
		return;
	bool state_ok = !c->state[0] || strcmp(c->state, c->zip->state) == 0;
	bool city_ok = !c->city[0] || zipdb_city_matches(c->zip, c->city);
	c->zip_consistent = state_ok && city_ok;
	if (c->zip_consistent) {	/* USPS spelling of the city and the ZIP it resolved to */
		if (!zipdb_city_matches(c->zip, c->city) || !c->city[0])
			copy(c->city, sizeof(c->city), c->zip->primary_city);
		copy(c->state, sizeof(c->state), c->zip->state);
		copy(c->zip5, sizeof(c->zip5), c->zip->zip);
	}
}

static void street_of(const struct us_address *a, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s%s%s%s%s", a->street_predirection,
		 a->street_predirection[0] ? " " : "", a->street_name,
		 a->street_suffix[0] ? " " : "", a->street_suffix,
		 a->street_postdirection[0] ? " " : "", a->street_postdirection);
}

static void match_reference(const struct av_engine *av, struct checked *c)
{
	char street[128], unit[48];
	if (!av->refs || !c->zip5[0])
		return;
	c->ref_covered = refdb_has_zip(av->refs, c->zip5);
	if (!c->ref_covered || !c->parsed)
		return;
	street_of(&c->a, street, sizeof(street));
	snprintf(unit, sizeof(unit), "%s%s%s", c->a.secondary_designator,
		 c->a.secondary_number[0] ? " " : "", c->a.secondary_number);
	c->ref = refdb_match(av->refs, c->zip5, c->a.primary_number, street,
			     unit[0] ? unit : NULL, &c->found);
	if (c->found && c->found->zip4 && !c->zip4[0])
		copy(c->zip4, sizeof(c->zip4), c->found->zip4);
}

static void run_checks(const struct av_engine *av, const struct us_input *in, struct checked *c)
{
	char err[128], zip[11] = "";
	memset(c, 0, sizeof(*c));
	if (in->address) {
		c->parsed = us_address_parse_freeform(in->address, &c->a, c->city, sizeof(c->city),
						      c->state, zip, err, sizeof(err)) == 0;
	} else {
		c->parsed = us_address_parse(in->primary_line, in->secondary_line, &c->a, err,
					     sizeof(err)) == 0;
		us_city_standardise(in->city ? in->city : "", c->city, sizeof(c->city));
		const char *st = in->state ? pub28_state_code(in->state) : NULL;
		copy(c->state, sizeof(c->state), st ? st : (in->state ? in->state : ""));
		copy(zip, sizeof(zip), in->zip_code);
	}
	split_zip(zip, c->zip5, c->zip4);
	resolve_zip(av, c);
	match_reference(av, c);
}

/* ------------------------------------------------------------------------ */
/* the us_verification object                                               */
/* ------------------------------------------------------------------------ */


static struct av_verdict judge(const struct checked *c)
{
	bool has_number = c->parsed && c->a.primary_number[0];
	if (c->ref_covered && c->parsed) {
		switch (c->ref) {
		case REF_EXACT:
			return (struct av_verdict){ "deliverable", "Y", { "AA", "BB" }, true };
		case REF_STREET_ONLY:
			return (struct av_verdict){ "deliverable_missing_unit", "D", { "AA", "N1" }, true };
		case REF_UNIT_UNKNOWN:
			/* as test mode: S (deliver without the unit) and CC, not C1 (not in the spec's enum) */
			return (struct av_verdict){ "deliverable_incorrect_unit", "S", { "AA", "CC" }, true };
		case REF_UNIT_NOT_NEEDED:
			return (struct av_verdict){ "deliverable_unnecessary_unit", "S", { "AA", "CC" }, true };
		case REF_NONE:
			return (struct av_verdict){ "undeliverable", "N", { "AA", has_number ? "M3" : "M1" }, false };
		}
	}
	if (c->parsed && c->zip_consistent && has_number)
		return (struct av_verdict){ "undeliverable", "", { "AA" }, false };
	return (struct av_verdict){ "undeliverable", "", { has_number ? "A1" : "M1" }, false };
}

static const char *record_type(const struct checked *c, const struct av_verdict *v)
{
	if (!v->dpv[0] || v->dpv[0] == 'N')
		return "";	/* Lob sets it only for dpv Y, S or D */
	switch (c->a.kind) {
	case US_ADDR_PO_BOX: return "po_box";
	case US_ADDR_RURAL_ROUTE: case US_ADDR_HIGHWAY_CONTRACT: return "rural_route";
	case US_ADDR_GENERAL_DELIVERY: return "general_delivery";
	default: return c->a.secondary_number[0] ? "highrise" : "street";
	}
}

static const char *carrier_route_type(const struct checked *c)
{
	switch (c->a.kind) {
	case US_ADDR_PO_BOX: return "po_box";
	case US_ADDR_RURAL_ROUTE: return "rural_route";
	case US_ADDR_HIGHWAY_CONTRACT: return "highway_contract";
	case US_ADDR_GENERAL_DELIVERY: return "general_delivery";
	default: return "city_delivery";
	}
}

static json_t *components(const struct checked *c, const struct av_verdict *v)
{
	const struct us_address *a = &c->a;
	const struct zip_record *z = c->zip_consistent ? c->zip : NULL;
	json_t *o = json_pack("{ss ss ss ss ss ss ss ss ss ss ss ss ss ss ss}",
		"primary_number", a->primary_number, "street_predirection", a->street_predirection,
		"street_name", a->street_name, "street_suffix", a->street_suffix,
		"street_postdirection", a->street_postdirection,
		"secondary_designator", a->secondary_designator, "secondary_number", a->secondary_number,
		"pmb_designator", a->pmb_designator, "pmb_number", a->pmb_number,
		"extra_secondary_designator", a->extra_secondary_designator,
		"extra_secondary_number", a->extra_secondary_number,
		"city", c->city, "state", c->state, "zip_code", c->zip5, "zip_code_plus_4", c->zip4);
	json_object_set_new(o, "zip_code_type", json_string(z ? zip_type_name(z->type) : ""));
	json_object_set_new(o, "delivery_point_barcode", json_string(""));
	json_object_set_new(o, "address_type", json_string(""));	/* no RDI data */
	json_object_set_new(o, "record_type", json_string(record_type(c, v)));
	json_object_set_new(o, "default_building_address", json_false());
	json_object_set_new(o, "county", json_string(z && z->county ? z->county : ""));
	json_object_set_new(o, "county_fips", json_string(z ? z->county_fips : ""));
	json_object_set_new(o, "carrier_route", json_string(""));
	json_object_set_new(o, "carrier_route_type", json_string(carrier_route_type(c)));
	json_object_set_new(o, "po_box_only_flag", json_string(z ? (z->type == ZIP_PO_BOX ? "Y" : "N") : ""));
	/* not returned for undeliverable or military addresses (spec: us_components) */
	bool military = z && z->type == ZIP_MILITARY;
	if (v->valid && !military && c->found) {
		json_object_set_new(o, "latitude", json_real(c->found->lat));
		json_object_set_new(o, "longitude", json_real(c->found->lon));
	}
	return o;
}

static json_t *analysis(const struct av_verdict *v)
{
	bool dpv = v->dpv[0] && v->dpv[0] != 'N';
	const char *yn = dpv ? "N" : "";
	json_t *notes = json_array();
	for (int i = 0; i < 3 && v->footnotes[i]; i++)
		json_array_append_new(notes, json_string(v->footnotes[i]));
	return json_pack("{ss ss ss ss ss ss ss ss ss ss so sb ss ss ss}",
		"dpv_confirmation", v->dpv, "dpv_cmra", yn, "dpv_vacant", yn,
		"dpv_active", dpv ? "Y" : "", "dpv_inactive_reason", "", "dpv_throwback", yn,
		"dpv_non_delivery_day_flag", yn, "dpv_non_delivery_day_values", "",
		"dpv_no_secure_location", yn, "dpv_door_not_accessible", yn,
		"dpv_footnotes", notes, "ews_match", 0, "lacs_indicator", "",
		"lacs_return_code", "", "suite_return_code", "");
}

static void cased(char *buf, size_t n, const char *s, bool proper)
{
	if (proper)
		av_proper_case(s, buf, n);
	else
		copy(buf, n, s);
}

void av_check_us(const struct av_engine *av, const struct us_input *in, struct av_verdict *out)
{
	struct checked c;
	run_checks(av, in, &c);
	*out = judge(&c);
}

json_t *av_verify_us(const struct av_engine *av, const struct us_input *in, const char *id,
		     bool proper)
{
	struct checked c;
	char line[256], last[160], recip[512], urb[80];
	run_checks(av, in, &c);
	struct av_verdict v = judge(&c);
	snprintf(last, sizeof(last), "%s%s%s%s%s%s%s", c.city, c.city[0] ? " " : "", c.state,
		 c.state[0] ? " " : "", c.zip5, c.zip4[0] ? "-" : "", c.zip4);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	if (in->recipient) {
		char up[512];
		copy(up, sizeof(up), in->recipient);
		for (char *p = up; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		cased(recip, sizeof(recip), up, proper);
		json_object_set_new(o, "recipient", json_string(recip));
	} else {
		json_object_set_new(o, "recipient", json_null());
	}
	cased(line, sizeof(line), c.parsed ? c.a.primary_line : "", proper);
	json_object_set_new(o, "primary_line", json_string(line));
	cased(line, sizeof(line), c.parsed ? c.a.secondary_line : "", proper);
	json_object_set_new(o, "secondary_line", json_string(line));
	cased(urb, sizeof(urb), c.a.urbanization, proper);
	json_object_set_new(o, "urbanization", json_string(urb));
	cased(line, sizeof(line), last, proper);
	json_object_set_new(o, "last_line", json_string(line));
	json_object_set_new(o, "deliverability", json_string(v.deliverability));
	json_object_set_new(o, "valid_address", json_boolean(v.valid));
	json_object_set_new(o, "components", components(&c, &v));
	json_object_set_new(o, "deliverability_analysis", analysis(&v));
	json_object_set_new(o, "lob_confidence_score", json_pack("{snss}", "score", "level", ""));
	json_object_set_new(o, "object", json_string("us_verification"));
	return o;
}

/* ------------------------------------------------------------------------ */
/* autocomplete                                                             */
/* ------------------------------------------------------------------------ */

static json_t *suggestion(const char *line, const char *city, const char *state, const char *zip,
			  bool proper)
{
	char l[160], ci[128];
	cased(l, sizeof(l), line, proper);
	cased(ci, sizeof(ci), city, proper);
	return json_pack("{ssssssssss}", "primary_line", l, "city", ci, "state", state,
			 "zip_code", zip, "object", "us_autocompletion");
}

json_t *av_autocomplete(const struct av_engine *av, const char *prefix, const char *city,
			const char *state, const char *zip, size_t max, bool proper)
{
	json_t *out = json_array();
	char up[256], cit[128];
	us_city_standardise(prefix, up, sizeof(up));
	us_city_standardise(city ? city : "", cit, sizeof(cit));
	if (av->refs && refdb_count(av->refs) > 0) {
		const struct ref_address *found[10];
		size_t n = refdb_prefix(av->refs, up, cit[0] ? cit : NULL, state, zip, found,
					max < 10 ? max : 10);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(out, suggestion(found[i]->primary_line, found[i]->city,
							      found[i]->state, found[i]->zip5, proper));
		return out;
	}
	/*
	 * No street data: Frank cannot complete the street, only the last line. The typed
	 * line, standardised, with the places the filters allow (a ZIP, a city's ZIPs, or the
	 * cities starting with the city filter).
	 */
	const struct zip_record *places[10];
	size_t n = 0;
	if (zip && zip[0]) {
		char zip5[6];
		snprintf(zip5, sizeof(zip5), "%s", zip);
		places[0] = zipdb_lookup(av->zips, zip5);
		n = places[0] ? 1 : 0;
	} else if (cit[0] && state && state[0]) {
		n = zipdb_by_city(av->zips, cit, state, places, max < 10 ? max : 10);
	} else if (cit[0]) {
		n = zipdb_city_prefix(av->zips, cit, state, places, max < 10 ? max : 10);
	}
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, suggestion(up, places[i]->primary_city, places[i]->state,
						      places[i]->zip, proper));
	return out;
}

/* ------------------------------------------------------------------------ */
/* casing                                                                   */
/* ------------------------------------------------------------------------ */

/* words that stay upper case in proper case: directionals, "PO", state codes after a city */
static bool keep_upper(const char *w, size_t n)
{
	static const char *const keep[] = { "N", "S", "E", "W", "NE", "NW", "SE", "SW", "PO", "RR",
					    "HC", "PSC", "CMR", "APO", "FPO", "DPO", "PMB" };
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (strlen(keep[i]) == n && strncmp(keep[i], w, n) == 0)
			return true;
	/* a two-letter word followed by a ZIP is a state code */
	return n == 2 && w[2] == ' ' && isdigit((unsigned char)w[3]);
}

void av_proper_case(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	const char *p = in;
	if (outlen == 0)
		return;
	while (*p && o + 1 < outlen) {
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		size_t n = (size_t)(p - w);
		bool upper = keep_upper(w, n) || isdigit((unsigned char)w[0]);
		for (size_t i = 0; i < n && o + 1 < outlen; i++) {
			char ch = w[i];
			out[o++] = (char)(upper || i == 0 ? toupper((unsigned char)ch)
							  : tolower((unsigned char)ch));
		}
		while (*p == ' ' && o + 1 < outlen)
			out[o++] = *p++;
	}
	out[o] = '\0';
}
