// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Print runs in the mail room: the list (the API's cursor), a run with its lots, their stock,
 * the state of their pieces and their files (the API's signed links, made relative so the
 * browser downloads them from the host it uses), and the marks: printed and mailed for a
 * lot or the whole run, single pieces by their DataMatrix contents or ids from a scanner,
 * spoiled pieces back to the next run's reprint lot. Each mark is one call of
 * POST /v1/_frank/production/print_runs/{id}/printed|mailed|spoiled and one audit entry.
 */
#include "core/html.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "dashboard/call.h"
#include "dashboard/mailroom.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "store/mailroom_store.h"
#include <stdio.h>
#include <string.h>

#define RUNS_PER_PAGE 20
#define STATE_ROWS 1024
#define PIECES_PER_MARK 200	/* codes in one form (a spoiled list) */

static json_t *run_summary(struct req *rq, const json_t *r)
{
	return json_pack("{sssssssbsIsIsIssss}", "id", dash_str(r, "id"), "status", dash_str(r, "status"),
			 "mode", dash_str(r, "mode"), "live", strcmp(dash_str(r, "mode"), "live") == 0,
			 "pieces", json_integer_value(json_object_get(r, "pieces")), "sheets",
			 json_integer_value(json_object_get(r, "sheets")), "lots",
			 (json_int_t)json_array_size(json_object_get(r, "lots")), "created",
			 view_iso(rq, dash_str(r, "date_created")), "cutoff",
			 view_iso(rq, dash_str(r, "cutoff")));
}

int mr_runs_page(struct req *rq, struct api_error *err)
{
	const char *before = view_query(rq, "before", "");
	const char *path = arena_strfmt(rq->arena, "/v1/_frank/production/print_runs?limit=%d%s%s",
					RUNS_PER_PAGE, *before ? "&before=" : "",
					*before ? url_encode(rq->arena, before) : "");
	const json_t *got = mr_api_get(rq, path, err);
	if (!got)
		return -1;
	json_t *runs = json_array(), *r;
	size_t i;
	const json_t *data = json_object_get(got, "data");
	json_array_foreach(data, i, r)
		json_array_append_new(runs, run_summary(rq, r));
	const char *last = dash_str(json_array_get(data, json_array_size(data) - 1), "id");
	json_t *ctx = json_pack("{sosbsbss}", "runs", runs, "older",
				json_is_true(json_object_get(got, "has_more")), "paged",
				*before != '\0', "last", last);
	return view_page(rq, 200, "mr_runs", "Print runs", ctx, err);
}

static const char *file_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{ "print", "Print file (PDF)" },
		{ "manifest_csv", "Manifest (CSV)" },
		{ "manifest_json", "Manifest (JSON)" },
		{ "firm_book_3877", "PS Form 3877 firm book (PDF)" },
		{ "positive_pay", "Positive pay (bank file)" },
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(kind, labels[i].kind) == 0)
			return labels[i].label;
	return kind;
}

/*
 * Appends to out the files of list that belong to lot (a lot id; NULL: the run's own files,
 * those without a lot; "" every file), each with a label and its link.
 */
static void add_files(json_t *out, const json_t *list, const char *lot)
{
	json_t *f;
	size_t i;
	json_array_foreach(list, i, f) {
		const char *of = json_string_value(json_object_get(f, "lot"));
		if (lot ? *lot && (!of || strcmp(of, lot) != 0) : of != NULL)
			continue;
		/* the signed link without its host: the file route is on every listener */
		const char *rel = strstr(dash_str(f, "url"), "/print-runs/");
		json_array_append_new(
			out, json_pack("{ssssssss?sI}", "label", file_label(dash_str(f, "kind")), "name",
				       dash_str(f, "name"), "kind", dash_str(f, "kind"), "href", rel, "bytes",
				       json_integer_value(json_object_get(f, "bytes"))));
	}
}

/* {state: n} of a lot, from the run's piece states */
static json_t *states_of(const struct mailroom_lot_state *st, int n, const char *lot_id)
{
	json_t *out = json_pack("{sIsIsIsI}", "locked", (json_int_t)0, "printed", (json_int_t)0,
				"mailed", (json_int_t)0, "spoiled", (json_int_t)0);
	for (int i = 0; i < n; i++)
		if (strcmp(st[i].lot_id, lot_id) == 0)
			json_object_set_new(out, st[i].state, json_integer(st[i].n));
	return out;
}

static const char *yes_no(const json_t *lot, const char *k, const char *yes, const char *no)
{
	return json_is_true(json_object_get(lot, k)) ? yes : no;
}

static json_t *lot_view(const json_t *run, const json_t *lot, const struct mailroom_lot_state *st,
			int nst)
{
	/* the lot's print files, then its manifests (listed with the run's files) */
	json_t *files = json_array();
	add_files(files, json_object_get(lot, "files"), "");
	add_files(files, json_object_get(run, "files"), dash_str(lot, "id"));
	const json_t *stock = json_object_get(lot, "stock");
	const char *es = dash_str(lot, "extra_service");
	json_t *v = json_pack(
		"{sssIsssssssssssssssssbsIsIsososs}", "id", dash_str(lot, "id"), "number",
		json_integer_value(json_object_get(lot, "number")), "product", dash_str(lot, "product"),
		"size", dash_str(lot, "size"), "ink", yes_no(lot, "color", "colour", "black and white"),
		"sides", yes_no(lot, "double_sided", "double-sided", "single-sided"), "envelope",
		dash_str(stock, "envelope"), "paper", dash_str(stock, "paper"), "extra_service",
		*es ? es : "", "mail_type", dash_str(lot, "mail_type"), "reprint",
		json_is_true(json_object_get(lot, "reprint")), "pieces",
		json_integer_value(json_object_get(lot, "pieces")), "sheets",
		json_integer_value(json_object_get(lot, "sheets")), "states",
		states_of(st, nst, dash_str(lot, "id")), "files",
		files, "inserts",
		json_array_size(json_object_get(lot, "inserts")) ? "yes" : "");
	return v;
}

static int run_render(struct req *rq, int status, const char *error, struct api_error *err)
{
	const char *path = arena_strfmt(rq->arena, "/v1/_frank/production/print_runs/%s",
					url_encode(rq->arena, rq->path_id));
	const json_t *got = mr_api_get(rq, path, err);
	if (!got)
		return -1;
	const json_t *run = got;
	struct mailroom_lot_state *st = arena_alloc(rq->arena, sizeof(*st) * STATE_ROWS);
	int nst = mailroom_run_states(rq->app->store, rq->path_id, st, STATE_ROWS, err);
	if (nst < 0)
		return -1;
	json_t *lots = json_array(), *lot;
	size_t i;
	json_array_foreach(json_object_get(run, "lots"), i, lot)
		json_array_append_new(lots, lot_view(run, lot, st, nst));
	const char *status_s = dash_str(run, "status");
	bool markable = strcmp(status_s, "ready") == 0 || strcmp(status_s, "printed") == 0;
	const char *as = view_query(rq, "as", "printed");
	char today[25];
	time_format_iso(rq->now_ms, today);
	json_t *ctx = run_summary(rq, run);
	json_object_set_new(ctx, "lots_list", lots);
	json_t *files = json_array();
	add_files(files, json_object_get(run, "files"), NULL);
	json_object_set_new(ctx, "files", files);
	json_object_set_new(ctx, "building", json_boolean(strcmp(status_s, "building") == 0));
	json_object_set_new(ctx, "markable", json_boolean(markable));
	/* a failed run's pieces go back to the next run as spoiled */
	json_object_set_new(ctx, "spoilable",
			    json_boolean(markable || strcmp(status_s, "failed") == 0));
	json_object_set_new(ctx, "today", json_stringn(today, 10));
	json_object_set_new(ctx, "as_printed", json_boolean(strcmp(as, "printed") == 0));
	json_object_set_new(ctx, "as_mailed", json_boolean(strcmp(as, "mailed") == 0));
	json_object_set_new(ctx, "as_spoiled", json_boolean(strcmp(as, "spoiled") == 0));
	json_object_set_new(ctx, "run_error",
			    json_string(dash_str(json_object_get(run, "error"), "message")));
	json_object_set_new(ctx, "mail_date", json_string(view_iso(rq, dash_str(run, "mail_date"))));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	return view_page(rq, status, "mr_run",
			 arena_strfmt(rq->arena, "Print run %s", dash_str(run, "id")), ctx, err);
}

int mr_run_page(struct req *rq, struct api_error *err)
{
	return run_render(rq, 200, NULL, err);
}

/* the piece a code names: "<run>|<piece>|<i>|<n>" (DataMatrix) or the id itself */
static const char *piece_of(struct req *rq, const char *code)
{
	const char *bar = strchr(code, '|');
	if (!bar)
		return code;
	size_t n = strcspn(bar + 1, "|");
	return arena_strndup(rq->arena, bar + 1, n);
}

/* codes in a field, one a line (a scanner's Enter ends one) */
static json_t *codes_of(const char *text)
{
	json_t *out = json_array();
	while (text && *text && json_array_size(out) < PIECES_PER_MARK) {
		text += strspn(text, " \t\r\n");
		size_t n = strcspn(text, "\r\n");
		while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
			n--;
		if (n)
			json_array_append_new(out, json_stringn(text, n));
		text += n;
	}
	return out;
}

static const char *const mark_names[] = { "printed", "mailed", "spoiled" };

/* one mark: the whole run, a lot (form "lot") or pieces (form "code", one a line) */
static int mark(struct req *rq, int what, struct api_error *err)
{
	json_t *body = arena_own_json(rq->arena, json_object());
	const char *lot = view_form(rq, "lot");
	json_t *codes = arena_own_json(rq->arena, codes_of(view_form(rq, "code")));
	const char *scope = "print_run";
	const char *target = rq->path_id;
	if (lot && *lot) {
		json_object_set_new(body, "lots", json_pack("[s]", lot));
		scope = "lot";
		target = lot;
	} else if (view_form(rq, "code")) {
		if (!json_array_size(codes))
			return run_render(rq, 422, "Scan a piece's DataMatrix or type its id first.",
					  err);
		json_object_set(body, "pieces", codes);
		scope = "piece";
		target = piece_of(rq, json_string_value(json_array_get(codes, 0)));
	} else if (what == 2) {
		return run_render(rq, 422, "Name the spoiled pieces.", err);
	}
	const char *date = view_form(rq, "mail_date");
	if (what == 1 && date && *date)
		json_object_set_new(body, "mail_date", json_string(date));
	struct dash_answer a;
	const char *path = arena_strfmt(rq->arena, "/v1/_frank/production/print_runs/%s/%s",
					url_encode(rq->arena, rq->path_id), mark_names[what]);
	if (dash_call(rq, HTTP_POST, path, body, &a) != 200)
		return run_render(rq, a.status >= 500 ? 500 : 422, dash_answer_message(&a), err);
	const json_t *c = json_object_get(a.json, "confirmed");
	long long n = json_integer_value(json_object_get(c, "pieces"));
	const json_t *refused = json_object_get(c, "refused");
	const char *detail = arena_strfmt(rq->arena, "%s: %lld piece%s%s%s", rq->path_id, n,
					  n == 1 ? "" : "s",
					  scope[0] == 'p' && scope[1] == 'i' ? ", scanned " : "",
					  scope[0] == 'p' && scope[1] == 'i' ?
						  json_string_value(json_array_get(codes, 0)) : "");
	if (what == 1 && date && *date)
		detail = arena_strfmt(rq->arena, "%s, mail date %s", detail, date);
	if (json_array_size(codes) > 1)
		detail = arena_strfmt(rq->arena, "%s (%zu codes)", detail, json_array_size(codes));
	view_audit(rq, arena_strfmt(rq->arena, "%s.%s", scope, mark_names[what]),
		   mr_clip(rq, target, 60), mr_clip(rq, detail, 500));
	const char *notice = arena_strfmt(rq->arena, "Marked %s: %lld piece%s.", mark_names[what],
					  n, n == 1 ? "" : "s");
	if (json_array_size(refused)) {
		const json_t *r0 = json_array_get(refused, 0);
		notice = arena_strfmt(rq->arena, "%s %zu refused (%.40s: %.200s).", notice,
				      json_array_size(refused), dash_str(r0, "id"), dash_str(r0, "message"));
	}
	return view_redirect(rq,
			     arena_strfmt(rq->arena, "/dashboard/mailroom/runs/%s?as=%s",
					  url_encode(rq->arena, rq->path_id), mark_names[what]),
			     mr_clip(rq, notice, 600));
}

int mr_mark_printed(struct req *rq, struct api_error *err)
{
	return mark(rq, 0, err);
}

int mr_mark_mailed(struct req *rq, struct api_error *err)
{
	return mark(rq, 1, err);
}

int mr_mark_spoiled(struct req *rq, struct api_error *err)
{
	return mark(rq, 2, err);
}

/* the scan field: its action (printed, mailed, spoiled) chosen beside it */
int mr_mark_scan(struct req *rq, struct api_error *err)
{
	const char *as = view_form(rq, "action");
	for (int i = 0; i < 3; i++)
		if (as && strcmp(as, mark_names[i]) == 0)
			return mark(rq, i, err);
	return run_render(rq, 422, "Choose what the scan marks: printed, mailed or spoiled.", err);
}
