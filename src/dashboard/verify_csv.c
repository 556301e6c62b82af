// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A CSV of US addresses verified in bulk: the uploaded file (a multipart form's "file")
 * read with core/csv.h, its header naming the columns primary_line, secondary_line,
 * urbanization, city, state, zip_code, or one column "address"; at most MAX_ROWS rows,
 * checked whole before any verification runs; verified BULK_CHUNK at a time (Lob's limit for
 * POST /v1/bulk/us_verifications) through the API; answered as a CSV to download: the input
 * columns, then the deliverability and the standardized fields (or the row's error). A cell
 * that a spreadsheet would run as a formula (= + - @ first) is written with a leading '.
 */
#include "dashboard/templates_pages.h"
#include "core/csv.h"
#include "dashboard/view.h"
#include "http/body.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 1000
#define MAX_COLUMNS 64
#define MAX_ROW_BYTES 4096
#define BULK_CHUNK 20

/* the API's names of the address columns an upload may have */
static const char *const in_names[] = { "primary_line", "secondary_line", "urbanization",
					"city", "state", "zip_code", "address", NULL };
#define N_IN 7

/* the result columns after the input's: [name, where in the verification] */
static const char *const out_cols[][3] = {
	{ "deliverability", "deliverability", NULL },
	{ "verified_primary_line", "primary_line", NULL },
	{ "verified_secondary_line", "secondary_line", NULL },
	{ "verified_urbanization", "urbanization", NULL },
	{ "verified_last_line", "last_line", NULL },
	{ "verified_city", "components", "city" },
	{ "verified_state", "components", "state" },
	{ "verified_zip_code", "components", "zip_code" },
	{ "verified_zip_code_plus_4", "components", "zip_code_plus_4" },
	{ "dpv_confirmation", "deliverability_analysis", "dpv_confirmation" },
};
#define N_OUT (sizeof(out_cols) / sizeof(out_cols[0]))

struct table {
	size_t n_cols, n_rows;
	char **header;
	char ***cells;		/* [row][col], "" where a row is short */
	int col_of[N_IN];	/* input column of in_names[i], or -1 */
};

static int refuse(struct req *rq, const char *message, struct api_error *err)
{
	return dash_verify_page_with(rq, 422, json_pack("{s{ss}}", "csv_result", "error", message),
				     err);
}

/* the upload read whole; NULL with *why on a malformed or unusable file */
static struct table *read_table(struct req *rq, char *text, const char **why)
{
	struct csv c;
	struct table *t = arena_alloc(rq->arena, sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->cells = arena_alloc(rq->arena, sizeof(char **) * MAX_ROWS);
	if (csv_init_string(&c, text, MAX_COLUMNS, MAX_ROW_BYTES) != 0) {
		*why = "Out of memory reading the file.";
		return NULL;
	}
	enum csv_result r;
	*why = NULL;
	while (!*why && (r = csv_next(&c)) != CSV_END) {
		if (r != CSV_ROW) {
			*why = arena_strfmt(rq->arena,
					    "The file is not a valid CSV: line %zu: %s. Fix that "
					    "line and upload it again.",
					    c.line, csv_error_text(c.error));
			break;
		}
		if (!t->header) {
			t->n_cols = c.n_fields;
			t->header = arena_alloc(rq->arena, sizeof(char *) * c.n_fields);
			for (size_t i = 0; i < c.n_fields; i++)
				t->header[i] = arena_strdup(rq->arena, c.fields[i]);
			for (int i = 0; i < N_IN; i++)
				t->col_of[i] = csv_find(&c, in_names[i]);
			continue;
		}
		if (t->n_rows == MAX_ROWS) {
			*why = arena_strfmt(rq->arena,
					    "The file has more than %d addresses. Split it into "
					    "files of at most %d rows and upload each.",
					    MAX_ROWS, MAX_ROWS);
			break;
		}
		char **row = arena_alloc(rq->arena, sizeof(char *) * t->n_cols);
		for (size_t i = 0; i < t->n_cols; i++)
			row[i] = arena_strdup(rq->arena, i < c.n_fields ? c.fields[i] : "");
		t->cells[t->n_rows++] = row;
	}
	csv_release(&c);
	if (*why)
		return NULL;
	if (!t->header || !t->n_rows) {
		*why = "The file has no addresses: the first row names the columns, the rows after "
		       "it are the addresses.";
		return NULL;
	}
	if (t->col_of[0] < 0 && t->col_of[6] < 0) {
		*why = "The first row must name the columns: primary_line, secondary_line, city, "
		       "state, zip_code (or one column named address).";
		return NULL;
	}
	return t;
}

/* the bulk request's item of row r */
static json_t *item(const struct table *t, size_t r)
{
	json_t *o = json_object();
	bool single = t->col_of[0] < 0;
	for (int i = 0; i < N_IN; i++) {
		if (t->col_of[i] < 0 || (single != (i == 6)))
			continue;
		const char *v = t->cells[r][t->col_of[i]];
		if (*v)
			json_object_set_new(o, in_names[i], json_string(v));
	}
	return o;
}

struct out {
	char *buf;
	size_t len, cap;
	bool nomem;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->nomem)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->cap ? o->cap * 2 : 65536) + n;
		char *b = realloc(o->buf, cap);
		if (!b) {
			o->nomem = true;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* one cell, quoted when it must be, defused when a spreadsheet would run it */
static void cell(struct out *o, const char *s, bool first)
{
	if (!first)
		put(o, ",", 1);
	bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		put(o, s, strlen(s));
		return;
	}
	put(o, "\"", 1);
	if (formula)
		put(o, "'", 1);
	for (const char *p = s; *p; p++) {
		put(o, p, 1);
		if (*p == '"')
			put(o, "\"", 1);	/* a quote inside is doubled */
	}
	put(o, "\"", 1);
}

static const char *result_value(const json_t *v, size_t k, char *num, size_t num_len)
{
	const json_t *x = json_object_get(v, out_cols[k][1]);
	if (out_cols[k][2])
		x = json_object_get(x, out_cols[k][2]);
	if (json_is_integer(x) || json_is_real(x)) {
		snprintf(num, num_len, "%.15g", json_number_value(x));
		return num;
	}
	return json_is_string(x) ? json_string_value(x) : "";
}

int dash_verify_csv(struct req *rq, struct api_error *err)
{
	const json_t *file = json_object_get(rq->body_json, "file");
	size_t len = 0;
	const char *data = body_is_file(file) ? body_file_data(file, &len) : NULL;
	if (!data || !len)
		return refuse(rq, "Choose a CSV file to upload.", err);
	if (memchr(data, '\0', len))
		return refuse(rq, "The file is not a CSV: it holds binary data.", err);
	const char *why = NULL;
	struct table *t = read_table(rq, arena_strndup(rq->arena, data, len), &why);
	if (!t)
		return refuse(rq, why, err);
	json_t **results = arena_alloc(rq->arena, sizeof(json_t *) * t->n_rows);
	for (size_t at = 0; at < t->n_rows; at += BULK_CHUNK) {
		size_t n = t->n_rows - at < BULK_CHUNK ? t->n_rows - at : BULK_CHUNK;
		json_t *items = json_array();
		for (size_t r = at; r < at + n; r++)
			json_array_append_new(items, item(t, r));
		json_t *body = arena_own_json(rq->arena, json_pack("{so}", "addresses", items));
		struct dash_answer a;
		if (dash_call(rq, HTTP_POST, "/v1/bulk/us_verifications", body, &a) / 100 != 2)
			return refuse(rq,
				      arena_strfmt(rq->arena, "Rows %zu to %zu could not be verified: %s",
						   at + 1, at + n, dash_answer_message(&a)),
				      err);
		json_t *got = json_object_get(a.json, "addresses");
		for (size_t r = 0; r < n; r++)
			results[at + r] = json_array_get(got, r);
	}
	struct out o = { 0 };
	for (size_t i = 0; i < t->n_cols; i++)
		cell(&o, t->header[i], i == 0);
	for (size_t k = 0; k < N_OUT; k++)
		cell(&o, out_cols[k][0], false);
	cell(&o, "error", false);
	put(&o, "\r\n", 2);
	for (size_t r = 0; r < t->n_rows; r++) {
		char num[32];
		for (size_t i = 0; i < t->n_cols; i++)
			cell(&o, t->cells[r][i], i == 0);
		const json_t *v = results[r];
		const json_t *e = json_object_get(v, "error");
		for (size_t k = 0; k < N_OUT; k++)
			cell(&o, e ? "" : result_value(v, k, num, sizeof(num)), false);
		cell(&o, e ? dash_str(e, "message") : (v ? "" : "no answer for this row"), false);
		put(&o, "\r\n", 2);
	}
	if (o.nomem) {
		free(o.buf);
		return api_fail(err, ERR_INTERNAL, "out of memory writing the results");
	}
	rq->resp_body = arena_strndup(rq->arena, o.buf, o.len);
	rq->resp_len = o.len;
	free(o.buf);
	rq->status = 200;
	rq->resp_type = "text/csv; charset=utf-8";
	req_add_header(rq, "Content-Disposition",
		       "attachment; filename=\"verified-addresses.csv\"");
	view_headers(rq);
	return 0;
}
