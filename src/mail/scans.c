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
};

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
		json_t *e = c->simulated ? event_new_simulated(type, c->mode, piece, ref, c->now_ms, id)
					 : event_new(type, c->mode, piece, ref, c->now_ms, id);
		if (arena_own_json(c->a, e))
			*ev = (struct store_event){ .id = id, .type = arena_strdup(c->a, type),
						    .json = arena_dump_json(c->a, e) };
	}
	return arena_dump_json(c->a, piece);
}

/* one scan onto one piece; 1 added, 0 duplicate, -1 error */
static int apply(struct store *s, const struct store_scope *sc, const char *id,
		 const struct tracking_scan *scan, bool simulated, struct api_error *err)
{
	struct arena *a = arena_new();
	long long now = clock_now_ms();
	struct apply_ctx c = { .scan = scan, .kind = sc->kind, .mode = sc->mode, .now_ms = now,
			       .a = a, .simulated = simulated };
	struct store_change ch = { .op = STORE_UPDATE, .sc = *sc,
				   .obj = { .id = id, .updated_ms = now },
				   .mutate = apply_scan, .ctx = &c };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	int rc = a ? store_apply_sync(s, &set, err) : -1;
	arena_free(a);
	return rc < 0 ? -1 : rc == 1 ? 0 : c.added;
}

int scans_confirm(struct store *s, const struct store_scope *sc, const char *id,
		  const char *name, long long time_ms, struct api_error *err)
{
	struct tracking_scan scan = { .name = name, .time_ms = time_ms };
	return apply(s, sc, id, &scan, false, err);
}

int scans_simulate(struct store *s, const struct store_scope *sc, const char *id,
		   const struct tracking_scan *scan, struct api_error *err)
{
	return apply(s, sc, id, scan, true, err);
}

/* a record's field, with the spellings seen in the wild (IV-MTR keys' casing varies) */
static const char *field(const json_t *r, const char *name)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)r, k, v)
		if (strcasecmp(k, name) == 0 && json_is_string(v))
			return json_string_value(v);
	return NULL;
}

/* "2026-03-02T10:15:00Z" and IV-MTR's variants ("2026-03-02 10:15:00", "2026-03-02") */
static bool scan_time(const char *s, long long *ms)
{
	char buf[40];
	if (!s || strlen(s) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", s);
	if (strlen(buf) > 10 && buf[10] == ' ')
		buf[10] = 'T';
	return time_parse_iso(buf, ms) == 0;
}

/* a record → the barcode it names and the scan it means; false if it means nothing */
static bool record_scan(const json_t *r, char code[32], struct tracking_scan *scan,
			bool *certified)
{
	const char *tn = field(r, "tracking_number");
	const char *imb = field(r, "imbTrackingCode");
	const char *full = field(r, "imb");
	const char *zip = field(r, "scanFacilityZip");
	memset(scan, 0, sizeof(*scan));
	*certified = tn != NULL;
	if (tn) {
		snprintf(code, 32, "%s", tn);
		if (!tracking_certified_for_code(field(r, "event_code"), scan) ||
		    !scan_time(field(r, "event_time"), &scan->time_ms))
			return false;
		zip = field(r, "zip");
	} else {
		/* pieces match on the 20-digit tracking code: routing widths vary (iv_mtr.md §1.3) */
		const char *t = imb ? imb : full;
		if (!t || strlen(t) < 20)
			return false;
		snprintf(code, 32, "%.20s", t);
		const char *stc = field(r, "startTheClockDate");
		const char *when = field(r, "scanDatetime");
		scan->name = tracking_name_for_phase(field(r, "mailPhase"));
		if (!scan->name && stc) {	/* acceptance: the start-the-clock record */
			scan->name = "Mailed";
			when = stc;
		}
		if (!scan->name || !scan_time(when, &scan->time_ms))
			return false;
	}
	snprintf(scan->location, sizeof(scan->location), "%.5s", zip ? zip : "");
	return true;
}

int scans_ingest(struct store *s, const json_t *records, const struct store_scope *only,
		 struct scan_counts *counts, struct api_error *err)
{
	size_t i;
	json_t *r;
	memset(counts, 0, sizeof(*counts));
	if (!json_is_array(records))
		return api_fail(err, ERR_INVALID, "records must be an array of scan records");
	json_array_foreach(records, i, r) {
		char code[32];
		struct tracking_scan scan;
		bool certified;
		struct store_tracked piece;
		if (!json_is_object(r) || !record_scan(r, code, &scan, &certified)) {
			counts->invalid++;
			continue;
		}
		int found = store_tracking_lookup(s, code, &piece, err);
		if (found < 0)
			return -1;
		if (found > 0 || (only && (strcmp(piece.account_id, only->account_id) != 0 ||
					   piece.mode != only->mode))) {
			counts->unmatched++;
			continue;
		}
		struct store_scope sc = { .account_id = piece.account_id, .mode = piece.mode,
					  .kind = piece.kind };
		int rc = apply(s, &sc, piece.object_id, &scan, false, err);
		if (rc < 0)
			return -1;
		if (rc == 1)
			counts->applied++;
		else
			counts->duplicate++;
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
