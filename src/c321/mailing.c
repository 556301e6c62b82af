// SPDX-License-Identifier: AGPL-3.0-or-later
/* Letters seen as 321certified-style mailings (see mailing.h). */
#include "c321/mailing.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* statuses in the order a mailing normally passes them, then the exceptions */
static const char *const statuses[] = {
	"label_generated", "mailed", "in_transit", "in_local_area", "processed_for_delivery",
	"pickup_available", "delivered", "re_routed", "returned_to_sender", "issue",
	"international_exit", "failed", NULL
};

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* the latest event: tracking_events are kept in ascending time (mail/tracking.h) */
static const json_t *last_event(const json_t *letter)
{
	const json_t *ev = json_object_get(letter, "tracking_events");
	size_t n = json_array_size(ev);
	return n ? json_array_get(ev, n - 1) : NULL;
}

/* "Processed for Delivery" → "processed_for_delivery"; NULL if it is no known status */
static const char *status_of_name(const char *name)
{
	char buf[48];
	size_t n = 0;
	for (const char *p = name; p && *p && n + 1 < sizeof(buf); p++)
		buf[n++] = (*p == ' ' || *p == '-') ? '_' : (char)tolower((unsigned char)*p);
	buf[n] = '\0';
	for (size_t i = 0; statuses[i]; i++)
		if (strcmp(statuses[i], buf) == 0)
			return statuses[i];
	return NULL;
}

const char *mailing_status(const json_t *letter)
{
	const char *s = str(letter, "status");
	if (s && strcmp(s, "failed") == 0)
		return "failed";
	const json_t *ev = last_event(letter);
	const char *st = ev ? status_of_name(str(ev, "name")) : NULL;
	return st ? st : "label_generated";
}

bool mailing_status_known(const char *status)
{
	for (size_t i = 0; status && statuses[i]; i++)
		if (strcmp(statuses[i], status) == 0)
			return true;
	return false;
}

const struct mail_class *mailing_class(const json_t *letter, const json_t *side)
{
	const struct mail_class *mc = mail_class_find(str(side, "mail_class"));
	const char *tn = str(letter, "tracking_number");
	char stc[4];
	if (!mc && tn && strlen(tn) >= 5) {
		memcpy(stc, tn + 2, 3);	/* channel (2) then the STC (impb_certified.md §4.2) */
		stc[3] = '\0';
		mc = mail_class_for_stc(stc);
	}
	if (!mc) {
		const char *es = str(letter, "extra_service");
		mc = mail_class_find(es);	/* certified, certified_return_receipt, registered */
	}
	return mc;
}

json_t *mailing_dollars(long long cents)
{
	return json_real((double)cents / 100.0);
}

static json_t *opt_string(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *mailing_address_view(const json_t *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", opt_string(str(a, "name")));
	if (str(a, "company") && *str(a, "company"))
		json_object_set_new(o, "company", json_string(str(a, "company")));
	json_object_set_new(o, "street1", opt_string(str(a, "address_line1")));
	json_object_set_new(o, "street2", opt_string(str(a, "address_line2")));
	json_object_set_new(o, "city", opt_string(str(a, "address_city")));
	json_object_set_new(o, "state", opt_string(str(a, "address_state")));
	json_object_set_new(o, "zip", opt_string(str(a, "address_zip")));
	return o;
}

json_t *mailing_lob_address(const json_t *a)
{
	static const char *const map[][2] = {
		{ "name", "name" }, { "company", "company" }, { "street1", "address_line1" },
		{ "street2", "address_line2" }, { "city", "address_city" },
		{ "state", "address_state" }, { "zip", "address_zip" },
	};
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		json_t *v = json_object_get(a, map[i][0]);
		if (v && !json_is_null(v))
			json_object_set(o, map[i][1], v);
	}
	json_object_set_new(o, "address_country", json_string("US"));
	return o;
}

static json_t *cost_view(const json_t *side)
{
	const json_t *c = json_object_get(side, "cost_cents");
	if (!json_is_object(c))
		return json_null();
	json_t *o = json_object();
	static const char *const parts[] = { "postage", "service_fee", "total" };
	for (size_t i = 0; i < 3; i++)
		json_object_set_new(o, parts[i],
				    mailing_dollars(json_integer_value(json_object_get(c, parts[i]))));
	return o;
}

json_t *mailing_view(const json_t *letter, const json_t *side)
{
	const char *id = str(letter, "id");
	const struct mail_class *mc = mailing_class(letter, side);
	json_t *o = json_object();
	char url[96];
	snprintf(url, sizeof(url), "/api/v1/mailings/%.40s/label", id ? id : "");
	json_object_set_new(o, "id", opt_string(id));
	json_object_set_new(o, "tracking_number", opt_string(str(letter, "tracking_number")));
	json_object_set_new(o, "status", json_string(mailing_status(letter)));
	json_object_set_new(o, "mail_class", mc ? json_string(mc->name) : json_null());
	json_object_set_new(o, "cost", cost_view(side));
	json_object_set_new(o, "label_url", json_string(url));
	json_object_set_new(o, "from", mailing_address_view(json_object_get(letter, "from")));
	json_object_set_new(o, "to", mailing_address_view(json_object_get(letter, "to")));
	const char *ref = str(side, "reference");
	if (!ref)
		ref = str(json_object_get(letter, "metadata"), "reference");
	json_object_set_new(o, "reference", opt_string(ref));
	json_object_set_new(o, "created_at", opt_string(str(letter, "date_created")));
	return o;
}

const json_t *mailing_delivery_event(const json_t *letter)
{
	const json_t *ev = json_object_get(letter, "tracking_events");
	for (size_t i = json_array_size(ev); i > 0; i--) {
		const json_t *e = json_array_get(ev, i - 1);
		const char *name = str(e, "name");
		if (name && strcmp(name, "Delivered") == 0)
			return e;
	}
	return NULL;
}

static json_t *event_view(const json_t *e)
{
	const json_t *d = json_object_get(e, "details");
	const char *name = str(e, "name");
	const char *st = status_of_name(name);
	json_t *o = json_object();
	json_object_set_new(o, "status", opt_string(st));
	json_object_set_new(o, "name", opt_string(name));
	json_object_set_new(o, "event", opt_string(str(d, "event")));
	json_object_set_new(o, "description", opt_string(str(d, "description")));
	json_object_set_new(o, "notes", opt_string(str(d, "notes")));
	json_object_set_new(o, "location", opt_string(str(e, "location")));
	json_object_set_new(o, "time", opt_string(str(e, "time")));
	return o;
}

json_t *mailing_tracking_view(const json_t *letter, const json_t *side)
{
	const struct mail_class *mc = mailing_class(letter, side);
	const char *tn = str(letter, "tracking_number");
	json_t *o = json_object(), *events = json_array();
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(letter, "tracking_events"), i, e)
		json_array_append_new(events, event_view(e));
	const json_t *delivered = mailing_delivery_event(letter);
	json_object_set_new(o, "tracking_number", opt_string(tn));
	json_object_set_new(o, "mailing_id", opt_string(str(letter, "id")));
	json_object_set_new(o, "status", json_string(mailing_status(letter)));
	json_object_set_new(o, "mail_class", mc ? json_string(mc->name) : json_null());
	json_object_set_new(o, "events", events);
	json_object_set_new(o, "delivered_at", opt_string(delivered ? str(delivered, "time") : NULL));
	if (mc && (mc->fees & (FEE_RR_ELECTRONIC | FEE_RR_HARDCOPY))) {
		char url[96];
		snprintf(url, sizeof(url), "/api/v1/tracking/%.30s/return-receipt", tn ? tn : "");
		json_object_set_new(o, "return_receipt",
				    json_pack("{sbso}", "available", delivered != NULL, "url",
					      delivered ? json_string(url) : json_null()));
	} else {
		json_object_set_new(o, "return_receipt", json_null());
	}
	return o;
}

/* DPV footnotes (docs/internals/av.md) in words */
static const struct {
	const char *code, *text;
} footnotes[] = {
	{ "AA", "The street, city, state and ZIP code agree." },
	{ "A1", "The address did not match: the ZIP code, city and state disagree, or the street "
		"line is not an address." },
	{ "BB", "The delivery point is confirmed." },
	{ "CC", "The building is known but not this unit (apartment, suite) number." },
	{ "N1", "The building needs a unit (apartment, suite) number." },
	{ "M1", "The primary (house) number is missing." },
	{ "M3", "The primary (house) number does not exist on this street." },
};

bool mailing_address_valid(const json_t *v, json_t *messages, char *why, size_t whylen)
{
	const char *d = str(v, "deliverability");
	const json_t *da = json_object_get(v, "deliverability_analysis");
	const char *dpv = str(da, "dpv_confirmation");
	bool agree = false;
	size_t i;
	const json_t *f;
	snprintf(why, whylen, "it could not be verified");
	json_array_foreach(json_object_get(da, "dpv_footnotes"), i, f) {
		const char *code = json_string_value(f);
		for (size_t k = 0; code && k < sizeof(footnotes) / sizeof(footnotes[0]); k++) {
			if (strcmp(footnotes[k].code, code) != 0)
				continue;
			json_array_append_new(messages, json_string(footnotes[k].text));
			if (strcmp(code, "AA") == 0)
				agree = true;
			else if (strcmp(code, "BB") != 0)
				snprintf(why, whylen, "%s", footnotes[k].text);
		}
	}
	bool confirmed = d && strncmp(d, "deliverable", 11) == 0;
	bool unconfirmed = dpv && !*dpv && agree;
	if (!confirmed && unconfirmed)
		json_array_append_new(messages,
				      json_string("No delivery-point data covers this address: it "
						  "is consistent but not confirmed."));
	return confirmed || unconfirmed;
}
