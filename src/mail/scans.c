// SPDX-License-Identifier: AGPL-3.0-or-later
/* USPS scan data → tracking events (see scans.h). */
#include "mail/scans.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "events/event.h"
#include "mail/tracking.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct apply_ctx {
	const struct tracking_scan *scan;
	const char *kind;
	enum store_mode mode;
	long long now_ms;
	struct arena *a;
	int added;		/* tracking_add's answer */
	bool simulated;		/* test-mode journeys: live-only event types too */
	bool confirmed;		/* the print side's confirmation (scans_confirm) */
	const char *field;	/* evidence from outside: its time field, checked; NULL: trusted */
	bool too_early;		/* the scan is timed before the piece existed */
	bool refused;		/* a confirmation of a piece that cannot be mailed */
};

/*
 * the print side confirms only what it can have printed: a rendered piece. A failed render
 * or a proof still in the works is nothing to mail (a canceled piece is no longer stored
 * as live: scans_confirm answers it).
 */
static bool not_mailable(struct apply_ctx *c, const json_t *piece, struct api_error *err)
{
	const char *status = json_string_value(json_object_get(piece, "status"));
	const char *id = json_string_value(json_object_get(piece, "id"));
	if (!c->confirmed || (status && strcmp(status, "rendered") == 0))
		return false;
	c->refused = true;
	if (status && strcmp(status, "failed") == 0)
		api_fail(err, ERR_INVALID, "%s %.40s cannot be mailed: its status is failed (its "
			 "proof could not be rendered)", c->kind, id ? id : "");
	else
		api_fail(err, ERR_INVALID, "%s %.40s cannot be mailed yet: its status is %s (its "
			 "proof is not rendered)", c->kind, id ? id : "",
			 status ? status : "unknown");
	return true;
}

/* evidence from before the piece existed cannot be about it */
static bool before_created(struct apply_ctx *c, const json_t *piece, struct api_error *err)
{
	const char *created = json_string_value(json_object_get(piece, "date_created"));
	long long created_ms;
	char when[25];
	if (!c->field || !created || time_parse_iso(created, &created_ms) < 0 ||
	    c->scan->time_ms >= created_ms)
		return false;
	time_format_iso(c->scan->time_ms, when);
	api_fail(err, ERR_INVALID, "%s %s is before the piece existed (date_created %s)", c->field,
		 when, created);
	c->too_early = true;
	return true;
}

/* on the writer: the piece with the scan added, and its event */
static const char *apply_scan(const char *current, void *ctx, struct store_event *ev,
			      const char **metadata_json, struct api_error *err)
{
	(void)metadata_json;
	struct apply_ctx *c = ctx;
	json_t *piece = arena_own_json(c->a, json_loads(current, 0, NULL));
	const char *type = NULL;
	char when[25];
	if (!piece) {
		api_fail(err, ERR_INTERNAL, "stored piece does not parse");
		return NULL;
	}
	if (not_mailable(c, piece, err) || before_created(c, piece, err))
		return NULL;
	c->added = tracking_add(piece, c->kind, c->scan, &type);
	if (c->added < 0) {
		api_fail(err, ERR_INTERNAL, "no entropy for an id");
		return NULL;
	}
	if (c->added == 1) {
		time_format_iso(c->now_ms, when);
		json_object_set_new(piece, "date_modified", json_string(when));
	}
	if (c->added == 1 && type) {
		char *id = arena_alloc(c->a, 40);
		const char *ref = json_string_value(json_object_get(piece, "id"));
		/* Lob marks the journey's types live-only; the simulation and an operator's
		 * confirmation of a test piece (a rehearsal run) emit them all the same */
		json_t *e = c->simulated || c->confirmed ? event_new_simulated(type, c->mode, piece, ref, c->now_ms, id)
					 : event_new(type, c->mode, piece, ref, c->now_ms, id);
		if (arena_own_json(c->a, e))
			*ev = (struct store_event){ .id = id, .type = arena_strdup(c->a, type),
						    .json = arena_dump_json(c->a, e) };
	}
	return arena_dump_json(c->a, piece);
}

bool scans_in_future(const char *field, long long time_ms, long long now_ms,
		      struct api_error *err)
{
	char when[25], now[25];
	if (!field || time_ms <= now_ms + SCAN_CLOCK_SKEW_MS)
		return false;
	time_format_iso(time_ms, when);
	time_format_iso(now_ms, now);
	api_fail(err, ERR_INVALID, "%s %s is in the future: more than %lld minutes after the "
		 "server's clock (%s)", field, when, SCAN_CLOCK_SKEW_MS / 60000, now);
	return true;
}

/*
 * one scan onto one piece; 1 added, 0 duplicate, 2 refused (for its time: field names it,
 * NULL for trusted input: no check; or a confirmation of a piece that cannot be mailed),
 * 3 no such piece, -1 error
 */
static int apply(struct store *s, const struct store_scope *sc, const char *id,
		 const struct tracking_scan *scan, bool simulated, bool confirmed,
		 const char *field, struct api_error *err)
{
	long long now = clock_now_ms();
	if (scans_in_future(field, scan->time_ms, now, err))
		return 2;
	struct arena *a = arena_new();
	struct apply_ctx c = { .scan = scan, .kind = sc->kind, .mode = sc->mode, .now_ms = now,
			       .a = a, .simulated = simulated, .confirmed = confirmed,
			       .field = field };
	struct store_change ch = { .op = STORE_UPDATE, .sc = *sc,
				   .obj = { .id = id, .updated_ms = now },
				   .mutate = apply_scan, .ctx = &c };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	int rc = a ? store_apply_sync(s, &set, err) : -1;
	arena_free(a);
	if (c.too_early || c.refused)
		return 2;
	return rc < 0 ? -1 : rc == 1 ? 3 : c.added;
}

int scans_confirm(struct store *s, const struct store_scope *sc, const char *id,
		  const char *name, long long time_ms, const char *field, struct api_error *err)
{
	struct tracking_scan scan = { .name = name, .time_ms = time_ms };
	int rc = apply(s, sc, id, &scan, false, true, field, err);
	if (rc != 3)
		return rc == 2 ? -1 : rc;
	/* deletion is final: a piece found deleted after the failed update was canceled */
	int gone = store_object_was_deleted(s, sc, id, err);
	if (gone < 0)
		return -1;
	if (gone)
		return api_fail(err, ERR_INVALID, "%s %.40s cannot be mailed: it was canceled",
				sc->kind, id);
	return api_fail(err, ERR_NOT_FOUND, "%s %.40s not found", sc->kind, id);
}

int scans_simulate(struct store *s, const struct store_scope *sc, const char *id,
		   const struct tracking_scan *scan, struct api_error *err)
{
	int rc = apply(s, sc, id, scan, true, false, NULL, err);
	return rc == 3 ? 0 : rc;
}

const char *scans_field(const json_t *r, const char *name)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)r, k, v)
		if (strcasecmp(k, name) == 0 && json_is_string(v))
			return json_string_value(v);
	return NULL;
}

bool scans_time(const char *s, long long *ms)
{
	char buf[40];
	if (!s || strlen(s) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", s);
	if (strlen(buf) > 10 && buf[10] == ' ')
		buf[10] = 'T';
	return time_parse_iso(buf, ms) == 0;
}

/*
 * a record → the barcode it names, the scan it means and the field its time came from; false
 * if it means nothing
 */
static bool record_scan(const json_t *r, char code[32], struct tracking_scan *scan,
			const char **time_field)
{
	const char *tn = scans_field(r, "tracking_number");
	const char *imb = scans_field(r, "imbTrackingCode");
	const char *full = scans_field(r, "imb");
	const char *zip = scans_field(r, "scanFacilityZip");
	memset(scan, 0, sizeof(*scan));
	*time_field = "event_time";
	if (tn) {
		snprintf(code, 32, "%s", tn);
		if (!tracking_certified_for_code(scans_field(r, "event_code"), scan) ||
		    !scans_time(scans_field(r, "event_time"), &scan->time_ms))
			return false;
		zip = scans_field(r, "zip");
	} else {
		/* pieces match on the 20-digit tracking code: routing widths vary (iv_mtr.md §1.3) */
		const char *t = imb ? imb : full;
		if (!t || strlen(t) < 20)
			return false;
		snprintf(code, 32, "%.20s", t);
		const char *stc = scans_field(r, "startTheClockDate");
		const char *when = scans_field(r, "scanDatetime");
		*time_field = "scanDatetime";
		scan->name = tracking_name_for_phase(scans_field(r, "mailPhase"));
		if (!scan->name && stc) {	/* acceptance: the start-the-clock record */
			scan->name = "Mailed";
			when = stc;
			*time_field = "startTheClockDate";
		}
		if (!scan->name || !scans_time(when, &scan->time_ms))
			return false;
	}
	snprintf(scan->location, sizeof(scan->location), "%.5s", zip ? zip : "");
	return true;
}

void scans_reject(json_t *rejected, size_t index, const char *field, const char *message)
{
	if (rejected)
		json_array_append_new(rejected, json_pack("{sIssss}", "index", (json_int_t)index,
							  "field", field, "message", message));
}

int scans_ingest(struct store *s, const json_t *records, struct scan_counts *counts,
		 json_t *rejected, struct api_error *err)
{
	size_t i;
	json_t *r;
	memset(counts, 0, sizeof(*counts));
	if (!json_is_array(records))
		return api_fail(err, ERR_INVALID, "records must be an array of scan records");
	json_array_foreach(records, i, r) {
		char code[32];
		struct tracking_scan scan;
		const char *time_field;
		struct store_tracked piece;
		if (json_is_object(r) && scans_field(r, "informed_delivery")) {
			if (scans_informed(s, r, i, counts, rejected, err) < 0)
				return -1;
			continue;
		}
		if (!json_is_object(r) || !record_scan(r, code, &scan, &time_field)) {
			counts->invalid++;
			continue;
		}
		int found = store_tracking_lookup(s, code, &piece, err);
		if (found < 0)
			return -1;
		if (found > 0) {
			counts->unmatched++;
			continue;
		}
		struct store_scope sc = { .account_id = piece.account_id, .mode = piece.mode,
					  .kind = piece.kind };
		struct api_error why = { .kind = ERR_NONE };
		int rc = apply(s, &sc, piece.object_id, &scan, false, false, time_field, &why);
		if (rc < 0) {
			*err = why;
			return -1;
		}
		if (rc == 2) {
			counts->rejected++;
			scans_reject(rejected, i, time_field, why.message);
		} else if (rc == 1) {
			counts->applied++;
		} else if (rc == 3) {
			counts->unmatched++;	/* its piece was canceled */
		} else {
			counts->duplicate++;
		}
	}
	return 0;
}

json_t *scans_parse_delimited(const char *text, size_t len, struct api_error *err)
{
	json_t *out = json_array(), *names = json_array();
	size_t pos = 0;
	bool header = true;
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		size_t line_end = end > pos && text[end - 1] == '\r' ? end - 1 : end;
		json_t *row = header ? NULL : json_object();
		size_t col = 0, f = pos;
		while (f <= line_end && line_end > pos) {
			size_t g = f;
			while (g < line_end && text[g] != '|')
				g++;
			json_t *v = json_stringn(text + f, g - f);
			if (header)
				json_array_append_new(names, v ? v : json_string(""));
			else if (col < json_array_size(names) && v)
				json_object_set_new(row, json_string_value(json_array_get(names, col)), v);
			else
				json_decref(v);
			col++;
			f = g + 1;
		}
		if (row && json_object_size(row))
			json_array_append_new(out, row);
		else
			json_decref(row);
		if (line_end > pos)	/* the first non-empty line names the fields */
			header = false;
		pos = end + 1;
	}
	json_decref(names);
	if (json_array_size(out) == 0) {
		json_decref(out);
		api_fail(err, ERR_INVALID, "no scan records: a header row of field names, then records");
		return NULL;
	}
	return out;
}
