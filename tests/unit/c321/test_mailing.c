// SPDX-License-Identifier: AGPL-3.0-or-later
/* Letters seen as mailings (c321/mailing.c): status, class, shapes, address verdicts. */
#include "c321/mailing.h"
#include "test.h"

static json_t *letter(const char *tn, const char *extra_service, const char *events_json)
{
	json_t *l = json_pack("{sssssssss{ssssssssss}s{ssssssssss}ss}", "id", "ltr_0123456789abcdef",
			      "status", "rendered", "extra_service", extra_service,
			      "tracking_number", tn, "to", "name", "HARRY ZHANG", "address_line1",
			      "210 KING ST", "address_city", "SAN FRANCISCO", "address_state", "CA",
			      "address_zip", "94107-1702", "from", "name", "ACME", "address_line1",
			      "185 BERRY ST", "address_city", "SAN FRANCISCO", "address_state", "CA",
			      "address_zip", "94107", "date_created", "2026-03-02T15:00:00.000Z");
	json_object_set_new(l, "tracking_events", json_loads(events_json, 0, NULL));
	return l;
}

#define EV(name, event, time) \
	"{\"type\":\"certified\",\"name\":\"" name "\",\"details\":{\"event\":\"" event \
	"\",\"description\":\"d\",\"notes\":\"n\",\"action_required\":false},\"location\":\"94107\"," \
	"\"time\":\"" time "\"}"

static void test_status(void)
{
	json_t *l = letter("9207199999999900001236", "certified", "[]");
	CHECK_STR(mailing_status(l), "label_generated", "no events yet");
	json_object_set_new(l, "tracking_events",
			    json_loads("[" EV("Mailed", "package_accepted", "2026-03-03T10:00:00Z") ","
				       EV("In Transit", "package_processed", "2026-03-04T10:00:00Z")
				       "]", 0, NULL));
	CHECK_STR(mailing_status(l), "in_transit", "the latest event's name");
	json_object_set_new(l, "tracking_events",
			    json_loads("[" EV("Processed for Delivery", "out_for_delivery",
					      "2026-03-05T10:00:00Z") ","
				       EV("Re-Routed", "package_forwarded", "2026-03-06T10:00:00Z")
				       "]", 0, NULL));
	CHECK_STR(mailing_status(l), "re_routed", "Re-Routed → re_routed");
	json_object_set_new(l, "status", json_string("failed"));
	CHECK_STR(mailing_status(l), "failed", "a letter that could not be rendered");
	CHECK(mailing_status_known("returned_to_sender") && mailing_status_known("label_generated") &&
	      !mailing_status_known("lost") && !mailing_status_known(NULL), "known statuses");
	json_decref(l);
}

static void test_class(void)
{
	json_t *l = letter("9214899999999900001234", "certified_return_receipt", "[]");
	const struct mail_class *mc = mailing_class(l, NULL);
	CHECK(mc && strcmp(mc->name, "certified_return_receipt") == 0, "STC 148 from the number");
	json_object_set_new(l, "tracking_number", json_string("9214799999999900001235"));
	mc = mailing_class(l, NULL);
	CHECK(mc && strcmp(mc->name, "certified_return_receipt_hardcopy") == 0, "STC 147");
	json_t *side = json_pack("{ss}", "mail_class", "certified_restricted_delivery_return_receipt");
	mc = mailing_class(l, side);
	CHECK(mc && strcmp(mc->stc, "360") == 0, "the side record wins");
	json_object_set_new(l, "tracking_number", json_null());
	json_object_set_new(l, "extra_service", json_string("registered"));
	mc = mailing_class(l, NULL);
	CHECK(mc && strcmp(mc->name, "registered") == 0, "no number: the extra service");
	json_decref(side);
	json_decref(l);
}

static void test_views(void)
{
	json_t *l = letter("9214899999999900001234", "certified_return_receipt",
			   "[" EV("Mailed", "package_accepted", "2026-03-03T10:00:00Z") ","
			   EV("Delivered", "delivered", "2026-03-06T14:30:00Z") "]");
	json_t *side = json_pack("{sssss{sIsIsI}}", "mail_class", "certified_return_receipt",
				 "reference", "CASE-1", "cost_cents", "postage", (json_int_t)890,
				 "service_fee", (json_int_t)164, "total", (json_int_t)1054);
	json_t *m = mailing_view(l, side);
	CHECK_STR(json_string_value(json_object_get(m, "id")), "ltr_0123456789abcdef", "id = letter id");
	CHECK_STR(json_string_value(json_object_get(m, "status")), "delivered", "status");
	CHECK_STR(json_string_value(json_object_get(m, "label_url")),
		  "/api/v1/mailings/ltr_0123456789abcdef/label", "label_url");
	json_t *cost = json_object_get(m, "cost");
	CHECK(json_real_value(json_object_get(cost, "postage")) == 8.9 &&
	      json_real_value(json_object_get(cost, "total")) == 10.54, "cost in dollars");
	json_t *to = json_object_get(m, "to");
	CHECK_STR(json_string_value(json_object_get(to, "street1")), "210 KING ST", "to.street1");
	CHECK_STR(json_string_value(json_object_get(to, "zip")), "94107-1702", "to.zip");
	CHECK(json_is_null(json_object_get(to, "street2")), "to.street2 null");
	CHECK_STR(json_string_value(json_object_get(m, "reference")), "CASE-1", "reference");
	json_decref(m);
	m = mailing_view(l, NULL);
	CHECK(json_is_null(json_object_get(m, "cost")), "no side record: no cost");
	json_decref(m);

	json_t *t = mailing_tracking_view(l, side);
	CHECK_INT(json_array_size(json_object_get(t, "events")), 2, "both events");
	json_t *e1 = json_array_get(json_object_get(t, "events"), 1);
	CHECK_STR(json_string_value(json_object_get(e1, "status")), "delivered", "event status");
	CHECK_STR(json_string_value(json_object_get(e1, "notes")), "n", "event notes");
	CHECK_STR(json_string_value(json_object_get(t, "delivered_at")), "2026-03-06T14:30:00Z",
		  "delivered_at");
	json_t *rr = json_object_get(t, "return_receipt");
	CHECK(json_is_true(json_object_get(rr, "available")) &&
	      strstr(json_string_value(json_object_get(rr, "url")), "/return-receipt"),
	      "the return receipt is available once delivered");
	json_decref(t);
	json_decref(side);
	side = json_pack("{ss}", "mail_class", "certified");
	t = mailing_tracking_view(l, side);
	CHECK(json_is_null(json_object_get(t, "return_receipt")), "no return receipt for certified");
	json_decref(t);
	json_decref(side);
	json_decref(l);

	json_t *a = json_pack("{ssssssssss}", "name", "Ann", "street1", "1 Main St", "city", "X",
			      "state", "CA", "zip", "94107");
	json_t *lob = mailing_lob_address(a);
	CHECK_STR(json_string_value(json_object_get(lob, "address_line1")), "1 Main St", "to Lob");
	CHECK_STR(json_string_value(json_object_get(lob, "address_country")), "US", "US only");
	CHECK(!json_object_get(lob, "address_line2"), "absent fields stay absent");
	json_decref(lob);
	json_decref(a);
}

static void test_verdict(void)
{
	char why[200];
	json_t *msgs = json_array();
	json_t *ok = json_loads("{\"deliverability\":\"undeliverable\",\"deliverability_analysis\":"
				"{\"dpv_confirmation\":\"\",\"dpv_footnotes\":[\"AA\"]}}", 0, NULL);
	CHECK(mailing_address_valid(ok, msgs, why, sizeof(why)), "consistent, unconfirmed: valid");
	CHECK_INT(json_array_size(msgs), 2, "says it agrees and is not confirmed");
	json_t *bad = json_loads("{\"deliverability\":\"undeliverable\",\"deliverability_analysis\":"
				 "{\"dpv_confirmation\":\"\",\"dpv_footnotes\":[\"A1\"]}}", 0, NULL);
	CHECK(!mailing_address_valid(bad, msgs, why, sizeof(why)), "A1: invalid");
	CHECK(strstr(why, "ZIP code, city and state disagree") != NULL, "why: %s", why);
	json_t *no = json_loads("{\"deliverability\":\"undeliverable\",\"deliverability_analysis\":"
				"{\"dpv_confirmation\":\"N\",\"dpv_footnotes\":[\"AA\",\"M3\"]}}", 0, NULL);
	CHECK(!mailing_address_valid(no, msgs, why, sizeof(why)), "a failed DPV lookup: invalid");
	CHECK(strstr(why, "house") != NULL, "why: %s", why);
	json_t *yes = json_loads("{\"deliverability\":\"deliverable\",\"deliverability_analysis\":"
				 "{\"dpv_confirmation\":\"Y\",\"dpv_footnotes\":[\"AA\",\"BB\"]}}", 0, NULL);
	CHECK(mailing_address_valid(yes, msgs, why, sizeof(why)), "confirmed: valid");
	json_t *empty = json_object();
	CHECK(!mailing_address_valid(empty, msgs, why, sizeof(why)), "no answer: invalid");
	json_decref(empty);
	json_decref(yes);
	json_decref(no);
	json_decref(bad);
	json_decref(ok);
	json_decref(msgs);
}

int main(void)
{
	test_status();
	test_class();
	test_views();
	test_verdict();
	return test_done();
}
