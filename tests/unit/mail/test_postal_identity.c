// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Postal identity: the placeholder Mailer ID and its message, Mailer ID shapes, domestic
 * addresses (the only ones with an IMb), serial capacity and wrap, and the 45-day rule for
 * IMb tracking codes against a real store: a code a live piece holds is refused until 45
 * days after its send date or Mailed event; canceled and test pieces hold nothing.
 */
#include "mail/postal_identity.h"
#include "core/timeutil.h"
#include "test.h"
#include <stdlib.h>
#include <unistd.h>

#define DAY_MS (24LL * 3600 * 1000)

static void mailer_ids(void)
{
	CHECK(postal_mailer_id_is_placeholder("999999999"), "999999999 is the placeholder");
	CHECK(postal_mailer_id_is_placeholder(NULL) && postal_mailer_id_is_placeholder(""),
	      "no Mailer ID is no better");
	CHECK(!postal_mailer_id_is_placeholder("123456") &&
	      !postal_mailer_id_is_placeholder("912345678"), "real ones are not");
	CHECK(postal_mailer_id_valid("123456") && postal_mailer_id_valid("912345678") &&
	      postal_mailer_id_valid("999999999"), "6 digits, or 9 starting with 9");
	CHECK(!postal_mailer_id_valid("923456") && !postal_mailer_id_valid("123456789") &&
	      !postal_mailer_id_valid("12345") && !postal_mailer_id_valid("12345a") &&
	      !postal_mailer_id_valid(NULL), "other shapes are not Mailer IDs");
	struct api_error err = { 0 };
	CHECK_INT(postal_require_mailer_id("999999999", &err), -1, "live production refuses it");
	CHECK_INT(err.kind, ERR_INVALID, "as 422 invalid");
	CHECK(strstr(err.message, "--mailer-id") && strstr(err.message, "999999999"),
	      "the message names --mailer-id and the placeholder: %s", err.message);
	CHECK_INT(postal_require_mailer_id("123456", &err), 0, "a real one passes");
}

static void serials(void)
{
	CHECK_INT(postal_imb_serials("123456"), 1000000000LL, "6-digit MID: 9-digit serials");
	CHECK_INT(postal_imb_serials("912345678"), 1000000LL, "9-digit MID: 6-digit serials");
	CHECK_INT(postal_imb_serial("912345678", 999999), 999999, "the last 6-digit serial");
	CHECK_INT(postal_imb_serial("912345678", 1000001), 1, "then it wraps");
	CHECK_INT(postal_imb_serial("123456", 1000001), 1000001, "a 6-digit MID has room");
}

static void domestic(void)
{
	json_t *us = json_pack("{ss}", "address_country", "UNITED STATES");
	json_t *us2 = json_pack("{ss}", "address_country", "US");
	json_t *none = json_pack("{ss}", "address_line1", "210 King St");
	json_t *ca = json_pack("{ss}", "address_country", "CANADA");
	CHECK(postal_address_domestic(us) && postal_address_domestic(us2) &&
	      postal_address_domestic(none), "US addresses (country absent: US, as Lob)");
	CHECK(!postal_address_domestic(ca), "a Canadian address is international");
	json_decref(us);
	json_decref(us2);
	json_decref(none);
	json_decref(ca);
}

/* a piece and its registered IMb code, as a render commits them */
static void piece_with_code(struct store *s, enum store_mode mode, const char *id,
			    const char *code, const char *json)
{
	struct api_error err;
	struct store_scope sc = { .account_id = "acc_1", .mode = mode, .kind = "letter" };
	struct store_change ch[2] = {
		{ .op = STORE_INSERT, .sc = sc,
		  .obj = { .id = id, .created_ms = 1, .updated_ms = 1, .json = json } },
		{ .op = STORE_TRACKING_CODE, .sc = sc, .obj = { .id = id }, .code = code },
	};
	struct store_change_set set = { .changes = ch, .n = 2 };
	if (store_apply_sync(s, &set, &err) != 0)
		printf("# piece %s: %s\n", id, err.message);
}

/* the store's cancel: the piece marked deleted */
static const char *canceled(const char *current, void *ctx, struct store_event *ev,
			    const char **metadata_json, struct api_error *err)
{
	(void)current, (void)ctx, (void)ev, (void)metadata_json, (void)err;
	return "{\"deleted\":true}";
}

static void unique_45_days(void)
{
	char dir[] = "/tmp/frank-postal-XXXXXX";
	struct api_error err = { 0 };
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	struct store *s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens");
	long long send;
	time_parse_iso("2026-03-02T15:00:00.000Z", &send);
	piece_with_code(s, MODE_LIVE, "ltr_a", "00270912345678000001",
			"{\"send_date\":\"2026-03-02T15:00:00.000Z\",\"tracking_events\":[]}");
	CHECK_INT(postal_imb_code_free(s, "00270912345678000002", send, &err), 0,
		  "a code nobody holds is free");
	CHECK_INT(postal_imb_code_free(s, "00270912345678000001", send + 44 * DAY_MS, &err), -1,
		  "a live piece's code within 45 days of its send date is not");
	CHECK_INT(err.kind, ERR_SERVICE_UNAVAILABLE, "a failure the render retries, then reports");
	CHECK_STR(err.message,
		  "IMb tracking code 00270912345678000001 would repeat within 45 days (letter ltr_a "
		  "holds it until 2026-04-16T15:00:00.000Z): Mailer ID 912345678 has only 1000000 "
		  "serials per 45 days; set a Mailer ID with room (--mailer-id; a 6-digit one has "
		  "1,000,000,000)", "the message says whose code, until when, and what to do");
	CHECK_INT(postal_imb_code_free(s, "00270912345678000001", send + 45 * DAY_MS, &err), 0,
		  "45 days on, it may be used again");

	/* mailed later than its send date: the hold runs from the mailing */
	piece_with_code(s, MODE_LIVE, "ltr_b", "00270912345678000003",
			"{\"send_date\":\"2026-03-02T15:00:00.000Z\",\"tracking_events\":["
			"{\"name\":\"Mailed\",\"time\":\"2026-03-12T15:00:00.000Z\"}]}");
	CHECK_INT(postal_imb_code_free(s, "00270912345678000003", send + 50 * DAY_MS, &err), -1,
		  "mailed 10 days late: still held 50 days after the send date");
	CHECK_INT(postal_imb_code_free(s, "00270912345678000003", send + 55 * DAY_MS, &err), 0,
		  "free 45 days after the mailing");

	/* a test piece, or a canceled one, was never in the mail */
	piece_with_code(s, MODE_TEST, "ltr_c", "00270912345678000004",
			"{\"send_date\":\"2026-03-02T15:00:00.000Z\"}");
	CHECK_INT(postal_imb_code_free(s, "00270912345678000004", send, &err), 0,
		  "a test piece holds nothing");
	piece_with_code(s, MODE_LIVE, "ltr_d", "00270912345678000005",
			"{\"send_date\":\"2026-03-09T15:00:00.000Z\"}");
	CHECK_INT(postal_imb_code_free(s, "00270912345678000005", send, &err), -1,
		  "a piece still to be mailed holds its code");
	struct store_change del = { .op = STORE_DELETE,
				    .sc = { .account_id = "acc_1", .mode = MODE_LIVE,
					    .kind = "letter" },
				    .obj = { .id = "ltr_d", .updated_ms = 2 }, .mutate = canceled };
	struct store_change_set set = { .changes = &del, .n = 1 };
	CHECK_INT(store_apply_sync(s, &set, &err), 0, "canceled");
	CHECK_INT(postal_imb_code_free(s, "00270912345678000005", send, &err), 0,
		  "a canceled piece holds nothing");
	store_free(s);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
}

int main(void)
{
	mailer_ids();
	serials();
	domestic();
	unique_45_days();
	return test_done();
}
