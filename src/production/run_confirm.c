// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Confirmations (see runs.h): printed, mailed and spoiled, for a run, some of its lots, or
 * pieces named by id or by the DataMatrix an inserter scanned. Mailed writes each piece's
 * "Mailed" tracking event through scans_confirm (which refuses failed and canceled pieces
 * and emits <kind>.mailed), then moves it to `mailed` in the run; a refused piece is listed
 * with its reason and the others go on. A spoiled piece leaves its run and is taken by the
 * next cut into a reprint lot with the same IMb.
 */
#include "production/runs.h"
#include "core/timeutil.h"
#include "mail/scans.h"
#include "store/production_store.h"
#include <stdlib.h>
#include <string.h>

#define DAY_MS 86400000LL

/* "<run id>|<piece id>|<sheet i>|<sheets n>" → the run and piece ids; false if not that */
static bool datamatrix(const char *ref, char run[40], char piece[40])
{
	const char *a = strchr(ref, '|'), *b = a ? strchr(a + 1, '|') : NULL;
	if (!a || !b || (size_t)(a - ref) >= 40 || (size_t)(b - a - 1) >= 40 || !strchr(b + 1, '|'))
		return false;
	snprintf(run, 40, "%.*s", (int)(a - ref), ref);
	snprintf(piece, 40, "%.*s", (int)(b - a - 1), a + 1);
	return true;
}

static struct prod_piece_row *find(struct prod_piece_row *rows, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].object_id, id) == 0)
			return &rows[i];
	return NULL;
}

/* marks which of the run's rows the references name; 0 or -1 with a message naming one */
static int select_rows(struct store *s, const char *run_id, struct prod_piece_row *rows, size_t n,
		       const struct run_refs *refs, bool *chosen, struct api_error *err)
{
	size_t i, k;
	const json_t *x;
	if (!refs || (!refs->lots && !refs->pieces)) {
		for (i = 0; i < n; i++)
			chosen[i] = true;
		return 0;
	}
	if (refs->lots && refs->pieces)
		return api_fail(err, ERR_INVALID, "give lots or pieces, not both");
	const json_t *list = refs->lots ? refs->lots : refs->pieces;
	const char *field = refs->lots ? "lots" : "pieces";
	if (!json_is_array(list) || json_array_size(list) == 0)
		return api_fail(err, ERR_INVALID, "%s must be a non-empty array of strings", field);
	json_array_foreach(list, k, x) {
		const char *ref = json_string_value(x);
		if (!ref)
			return api_fail(err, ERR_INVALID, "%s[%zu] must be a string", field, k);
		if (refs->lots) {
			bool any = false;
			for (i = 0; i < n; i++)
				if (strcmp(rows[i].lot_id, ref) == 0)
					chosen[i] = any = true;
			if (!any)
				return api_fail(err, ERR_NOT_FOUND, "lots[%zu]: lot %.40s is not in print "
								    "run %s", k, ref, run_id);
			continue;
		}
		char dm_run[40], piece[40];
		if (datamatrix(ref, dm_run, piece)) {
			if (strcmp(dm_run, run_id) != 0)
				return api_fail(err, ERR_INVALID, "pieces[%zu]: the DataMatrix %.80s was "
								  "printed for run %s, not %s",
						k, ref, dm_run, run_id);
		} else {
			snprintf(piece, sizeof(piece), "%.39s", ref);
		}
		struct prod_piece_row *r = find(rows, n, piece);
		if (!r) {
			char other[40];
			int rc = prod_piece_run(s, piece, other, err);
			if (rc < 0)
				return -1;
			if (rc == 0)
				return api_fail(err, ERR_INVALID, "pieces[%zu]: %s is in print run %s, "
								  "not in %s", k, piece, other, run_id);
			return api_fail(err, ERR_NOT_FOUND, "pieces[%zu]: %s is not in print run %s",
					k, piece, run_id);
		}
		chosen[r - rows] = true;
	}
	return 0;
}

int runs_mail_time(const json_t *v, long long now_ms, long long *out, struct api_error *err)
{
	const char *t = json_string_value(v);
	*out = now_ms;
	if (!v)
		return 0;
	if (!t || time_parse_iso(t, out) < 0)
		return api_fail(err, ERR_INVALID, "mail_date must be a date (2026-12-07) or an ISO "
						  "8601 date-time");
	if (strlen(t) == 10 && *out + DAY_MS - 1 < now_ms)
		*out += DAY_MS / 2;	/* a past day: its noon */
	else if (strlen(t) == 10)
		*out = now_ms;		/* today: now */
	return 0;
}

struct status_ctx {
	const char *status;
	long long mail_ms;
	bool mailed;
	char *text;
};

static int set_status(void *ctxp, const struct prod_run_row *row, const char **json,
		      const char **status, struct api_error *err)
{
	struct status_ctx *ctx = ctxp;
	json_t *run = json_loads(row->json, 0, NULL);
	if (!run)
		return api_fail(err, ERR_INTERNAL, "print run %s does not parse", row->id);
	if (ctx->mailed) {
		char when[25];
		time_format_iso(ctx->mail_ms, when);
		json_object_set_new(run, "mail_date", json_string(when));
	}
	char *text = json_dumps(run, JSON_COMPACT);
	json_decref(run);
	free(ctx->text);
	ctx->text = text;	/* lives until prod_run_update returns */
	*json = text;
	*status = ctx->status;
	return text ? 0 : api_fail(err, ERR_INTERNAL, "out of memory");
}

json_t *runs_confirm(struct store *s, const struct runs_config *cfg, const char *id,
		     enum run_confirm what, const struct run_refs *refs, long long mail_ms,
		     long long now_ms, struct api_error *err)
{
	struct arena *a = arena_new();
	struct prod_run_row row;
	struct prod_piece_row *rows;
	size_t n;
	json_t *out = NULL, *refused = json_array();
	if (!a) {
		api_fail(err, ERR_INTERNAL, "out of memory");
		return NULL;
	}
	int rc = prod_run_get(s, id, false, a, &row, err);
	if (rc == 1)
		api_fail(err, ERR_NOT_FOUND, "print run %.40s not found", id);
	if (rc != 0)
		goto out;
	if (strcmp(row.status, RUN_MAILED) == 0) {
		api_fail(err, ERR_INVALID, "print run %s is already mailed: every piece of it is "
					   "confirmed", id);
		goto out;
	}
	/* a failed run's pieces can still be given back (spoiled) for the next run */
	if (strcmp(row.status, RUN_BUILDING) == 0 ||
	    (strcmp(row.status, RUN_FAILED) == 0 && what != CONFIRM_SPOILED)) {
		api_fail(err, ERR_INVALID, "print run %s is %s: its files are not ready, so none of "
					   "it can be printed or mailed (GET it for the reason%s)",
			 id, row.status, strcmp(row.status, RUN_FAILED) == 0
					     ? "; mark its pieces spoiled to reprint them in the next run"
					     : "");
		goto out;
	}
	if (prod_run_pieces(s, id, NULL, a, &rows, &n, err) < 0)
		goto out;
	bool *chosen = arena_calloc(a, (n ? n : 1) * sizeof(bool));
	if (select_rows(s, id, rows, n, refs, chosen, err) < 0)
		goto out;
	const char **ids = arena_calloc(a, (n ? n : 1) * sizeof(*ids));
	size_t m = 0;
	unsigned confirmed = 0;
	for (size_t i = 0; i < n; i++) {
		if (!chosen[i])
			continue;
		if (what == CONFIRM_MAILED && strcmp(rows[i].state, PIECE_MAILED) != 0 &&
		    strcmp(rows[i].state, PIECE_SPOILED) != 0) {
			struct store_scope sc = { .account_id = rows[i].account_id,
						  .mode = rows[i].mode, .kind = rows[i].kind };
			struct api_error why;
			if (scans_confirm(s, &sc, rows[i].object_id, "Mailed", mail_ms, "mail_date",
					  &why) < 0) {
				json_array_append_new(refused, json_pack("{s:s, s:s}", "id",
									 rows[i].object_id,
									 "message", why.message));
				continue;
			}
		}
		ids[m++] = rows[i].object_id;
	}
	static const char *const from[] = { [CONFIRM_PRINTED] = "[\"" PIECE_LOCKED "\"]",
					    [CONFIRM_MAILED] = "[\"" PIECE_LOCKED "\",\"" PIECE_PRINTED "\"]",
					    [CONFIRM_SPOILED] = "[\"" PIECE_LOCKED "\",\"" PIECE_PRINTED "\"]" };
	static const char *const to[] = { [CONFIRM_PRINTED] = PIECE_PRINTED,
					  [CONFIRM_MAILED] = PIECE_MAILED,
					  [CONFIRM_SPOILED] = PIECE_SPOILED };
	bool *changed = arena_calloc(a, (m ? m : 1) * sizeof(bool));
	if (m && prod_pieces_set_state(s, id, ids, m, from[what], to[what], now_ms, changed, err) < 0)
		goto out;
	for (size_t i = 0; i < m; i++)
		confirmed += changed[i];
	/* the run's status from its pieces now */
	if (prod_run_pieces(s, id, NULL, a, &rows, &n, err) < 0)
		goto out;
	size_t open = 0, printed = 0;
	for (size_t i = 0; i < n; i++) {
		open += strcmp(rows[i].state, PIECE_LOCKED) == 0;
		printed += strcmp(rows[i].state, PIECE_PRINTED) == 0;
	}
	size_t mailed = 0;
	for (size_t i = 0; i < n; i++)
		mailed += strcmp(rows[i].state, PIECE_MAILED) == 0;
	bool failed = strcmp(row.status, RUN_FAILED) == 0;
	struct status_ctx st = { .status = failed		      ? RUN_FAILED
				 : !open && !printed && mailed ? RUN_MAILED
					  : !open	      ? RUN_PRINTED
							      : row.status,
				 .mail_ms = mail_ms, .mailed = what == CONFIRM_MAILED };
	rc = prod_run_update(s, id, now_ms, set_status, &st, err);
	free(st.text);
	if (rc < 0)
		goto out;
	out = runs_get(s, cfg, id, now_ms, err);
	if (out)
		json_object_set_new(out, "confirmed",
				    json_pack("{s:s, s:i, s:O}", "as", to[what], "pieces",
					      (int)confirmed, "refused", refused));
out:
	json_decref(refused);
	arena_free(a);
	return out;
}
