// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Informed Delivery data → <kind>.informed_delivery.* events (see scans.h). USPS tells the
 * mailer, per piece (by its IMb), that the recipient's daily email showed it, was opened, or
 * was clicked through; the operators bring that data in with the scans. Frank keeps no state
 * for it beyond the event: the event's id is derived from the piece, the kind of email and
 * its time, so the same record given twice is found and counted as a duplicate.
 */
#include "mail/scans.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "events/event.h"
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static const char *const emails[] = { "email_sent", "email_opened", "email_clicked_through",
				      NULL };

struct informed_ctx {
	const char *type;	/* "letter.informed_delivery.email_opened" */
	const char *event_id;
	long long time_ms, now_ms;
	enum store_mode mode;
	struct arena *a;
	const char *refused;	/* why the piece cannot have it */
};

/* "evt_" + 24 hex digits of SHA-256(piece, what, when): the same record, the same id */
static void event_id(const char *piece_id, const char *type, long long time_ms, char out[40])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	char text[160];
	int n = snprintf(text, sizeof(text), "%s|%s|%lld", piece_id, type, time_ms);
	EVP_Digest(text, (size_t)n, md, &len, EVP_sha256(), NULL);
	memcpy(out, "evt_", 4);
	for (unsigned i = 0; i < 12; i++)
		snprintf(out + 4 + 2 * i, 3, "%02x", md[i]);
}

/* on the writer: the piece unchanged, and its event (unless the piece cannot have it) */
static const char *add_event(const char *current, void *ctx, struct store_event *ev,
			     const char **metadata_json, struct api_error *err)
{
	(void)metadata_json;
	struct informed_ctx *c = ctx;
	json_t *piece = arena_own_json(c->a, json_loads(current, 0, NULL));
	if (!piece) {
		api_fail(err, ERR_INTERNAL, "stored piece does not parse");
		return NULL;
	}
	const char *created = json_string_value(json_object_get(piece, "date_created"));
	long long created_ms;
	if (created && time_parse_iso(created, &created_ms) == 0 && c->time_ms < created_ms) {
		c->refused = arena_strfmt(c->a, "event_time is before the piece existed "
					  "(date_created %s)", created);
		api_fail(err, ERR_INVALID, "%s", c->refused);
		return NULL;
	}
	char ignored[40];
	json_t *e = arena_own_json(c->a, event_new(c->type, c->mode, piece,
						   json_string_value(json_object_get(piece, "id")),
						   c->now_ms, ignored));
	if (!e) {	/* live-only: a test piece is never mailed, so no email showed it */
		c->refused = "a test-mode piece is never mailed: USPS cannot have emailed about it";
		api_fail(err, ERR_INVALID, "%s", c->refused);
		return NULL;
	}
	json_object_set_new(e, "id", json_string(c->event_id));
	*ev = (struct store_event){ .id = c->event_id, .type = c->type,
				    .json = arena_dump_json(c->a, e) };
	return arena_dump_json(c->a, piece);	/* current lives only until the store reads on */
}

int scans_informed(struct store *s, const json_t *r, size_t index, struct scan_counts *counts,
		   json_t *rejected, struct api_error *err)
{
	const char *imb = scans_field(r, "imb");
	const char *what = scans_field(r, "informed_delivery");
	long long time_ms, now = clock_now_ms();
	char code[21];
	if (!imb)
		imb = scans_field(r, "imbTrackingCode");
	bool known = false;
	for (const char *const *e = emails; what && *e; e++)
		known |= strcmp(*e, what) == 0;
	if (!imb || strlen(imb) < 20 || !known || !scans_time(scans_field(r, "event_time"), &time_ms)) {
		counts->invalid++;
		return 0;
	}
	struct api_error why = { .kind = ERR_NONE };
	if (scans_in_future("event_time", time_ms, now, &why)) {
		counts->rejected++;
		scans_reject(rejected, index, "event_time", why.message);
		return 0;
	}
	/* pieces match on the 20-digit tracking code, as scans do */
	snprintf(code, sizeof(code), "%.20s", imb);
	struct store_tracked piece;
	int found = store_tracking_lookup(s, code, &piece, err);
	if (found != 0) {
		counts->unmatched += found > 0;
		return found < 0 ? -1 : 0;
	}
	struct arena *a = arena_new();
	if (!a)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	char id[40];
	struct informed_ctx c = { .type = arena_strfmt(a, "%s.informed_delivery.%s", piece.kind, what),
				  .event_id = id, .time_ms = time_ms, .now_ms = now,
				  .mode = piece.mode, .a = a };
	event_id(piece.object_id, c.type, time_ms, id);
	char *json = NULL;
	int seen = store_event_get(s, piece.account_id, piece.mode, id, a, &json, err);
	int rc = 0;
	if (seen == 0) {
		counts->duplicate++;
	} else if (seen < 0) {
		rc = -1;
	} else {
		struct store_change ch = { .op = STORE_UPDATE,
					   .sc = { .account_id = piece.account_id, .mode = piece.mode,
						   .kind = piece.kind },
					   .obj = { .id = piece.object_id, .updated_ms = now },
					   .mutate = add_event, .ctx = &c };
		struct store_change_set set = { .changes = &ch, .n = 1 };
		int applied = store_apply_sync(s, &set, &why);
		if (c.refused) {
			counts->rejected++;
			scans_reject(rejected, index, "event_time", c.refused);
		} else if (applied == 1) {
			counts->unmatched++;	/* its piece was canceled */
		} else if (applied < 0) {
			*err = why;
			rc = -1;
		} else {
			counts->applied++;
		}
	}
	arena_free(a);
	return rc;
}
