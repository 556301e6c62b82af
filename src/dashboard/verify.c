// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Address verification in the dashboard: one US address (POST /v1/us_verifications) or one
 * international address (POST /v1/intl_verifications), answered on the same page with the
 * deliverability, the standardized lines, the components and the DPV footnotes; and a CSV
 * of US addresses verified in bulk (verify_csv.c). In test mode the API's test-mode rules
 * answer (docs/internals/verifications.md), exactly as for an API key.
 */
#include "dashboard/templates_pages.h"
#include "dashboard/view.h"
#include <stdio.h>
#include <string.h>

/* what a DPV footnote means (USPS DPV footnotes, as Lob documents them) */
static const struct {
	const char code[3];
	const char *meaning;
} footnotes[] = {
	{ "AA", "The street, city, state and ZIP code match" },
	{ "A1", "The address does not match: no ZIP+4" },
	{ "BB", "The whole address is a delivery point" },
	{ "CC", "The primary number matches; the secondary (unit) number does not" },
	{ "C1", "The primary number matches; the secondary number is missing" },
	{ "F1", "A military or diplomatic address" },
	{ "G1", "A general delivery address" },
	{ "M1", "The primary number is missing" },
	{ "M3", "The primary number is not valid" },
	{ "N1", "The secondary (unit) number is missing" },
	{ "PB", "A PO Box street address" },
	{ "P1", "The PO Box, rural route or highway contract box number is missing" },
	{ "P3", "The PO Box, rural route or highway contract box number is not valid" },
	{ "RR", "Confirmed with a private mailbox (PMB) information" },
	{ "R1", "Confirmed without a private mailbox (PMB) information" },
	{ "R7", "A carrier route R777 or R779 record" },
	{ "TA", "The primary number matched by dropping a trailing letter" },
	{ "U1", "A unique ZIP code address" },
};

static const char *footnote_meaning(const char *code)
{
	for (size_t i = 0; i < sizeof(footnotes) / sizeof(footnotes[0]); i++)
		if (strcmp(footnotes[i].code, code) == 0)
			return footnotes[i].meaning;
	return "";
}

/* the form's fields: US and international */
static const char *const us_fields[] = { "primary_line", "secondary_line", "urbanization",
					 "city", "state", "zip_code", NULL };
static const char *const intl_fields[] = { "primary_line", "secondary_line", "city", "state",
					   "postal_code", "country", NULL };

/* {name: value} of the form's fields that were given */
static json_t *form_values(struct req *rq, const char *const *names, bool for_api)
{
	json_t *o = json_object();
	for (size_t i = 0; names[i]; i++) {
		const char *v = view_form(rq, names[i]);
		if (v && (*v || !for_api))
			json_object_set_new(o, names[i], json_string(v));
	}
	return o;
}

/* a verification's answer as the page shows it */
static json_t *result(const json_t *v)
{
	json_t *lines = json_array(), *components = json_array(), *notes = json_array();
	static const char *const line_names[] = { "recipient", "primary_line", "secondary_line",
						  "urbanization", "last_line", "country", NULL };
	for (size_t i = 0; line_names[i]; i++)
		if (*dash_str(v, line_names[i]))
			json_array_append_new(lines, json_string(dash_str(v, line_names[i])));
	const char *k;
	json_t *x;
	json_object_foreach((json_t *)json_object_get(v, "components"), k, x) {
		char num[32];
		const char *text = json_string_value(x);
		if (json_is_integer(x) || json_is_real(x)) {
			snprintf(num, sizeof(num), "%.15g", json_number_value(x));
			text = num;
		} else if (json_is_boolean(x)) {
			text = json_is_true(x) ? "yes" : "no";
		}
		if (text && *text)
			json_array_append_new(components, json_pack("{ssss}", "name", k, "value", text));
	}
	const json_t *da = json_object_get(v, "deliverability_analysis");
	size_t i;
	json_array_foreach(json_object_get(da, "dpv_footnotes"), i, x)
		if (json_is_string(x))
			json_array_append_new(notes, json_pack("{ssss}", "code", json_string_value(x),
							       "meaning",
							       footnote_meaning(json_string_value(x))));
	const char *d = dash_str(v, "deliverability");
	return json_pack("{sssbsososo}", "deliverability", d, "good",
			 strncmp(d, "deliverable", 11) == 0, "lines", lines, "components", components,
			 "footnotes", notes);
}

int dash_verify_page_with(struct req *rq, int status, json_t *extra, struct api_error *err)
{
	/* only the form that was sent shows its values again */
	const char *sent = strrchr(rq->path, '/');
	bool us = sent && strcmp(sent, "/us") == 0, intl = sent && strcmp(sent, "/intl") == 0;
	json_t *ctx = json_pack("{sosos{si}}", "us",
				us ? form_values(rq, us_fields, false) : json_object(), "intl",
				intl ? form_values(rq, intl_fields, false) : json_object(), "csv",
				"max_rows", 1000);
	if (extra) {
		json_object_update(ctx, extra);
		json_decref(extra);
	}
	return view_page(rq, status, "verify", "Verify addresses", ctx, err);
}

int dash_verify_page(struct req *rq, struct api_error *err)
{
	return dash_verify_page_with(rq, 200, NULL, err);
}

static int verify_one(struct req *rq, const char *path, const char *const *names,
		      const char *key, struct api_error *err)
{
	json_t *body = arena_own_json(rq->arena, form_values(rq, names, true));
	struct dash_answer a;
	json_t *extra;
	int status = 200;
	if (dash_call(rq, HTTP_POST, path, body, &a) == 200) {
		extra = json_pack("{so}", key, result(a.json));
	} else {
		extra = json_pack("{s{ss}}", key, "error", dash_answer_message(&a));
		status = 422;
	}
	return dash_verify_page_with(rq, status, extra, err);
}

int dash_verify_us(struct req *rq, struct api_error *err)
{
	return verify_one(rq, "/v1/us_verifications", us_fields, "us_result", err);
}

int dash_verify_intl(struct req *rq, struct api_error *err)
{
	return verify_one(rq, "/v1/intl_verifications", intl_fields, "intl_result", err);
}
