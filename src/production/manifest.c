// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A run's manifests (see manifest.h): one pass over the plan writes the lot files and the run
 * files side by side, a row at a time, so a run of any size needs one row in memory; then
 * the 3877 and the positive-pay files.
 */
#include "production/manifest.h"
#include "production/firm_book.h"
#include "production/manifest_file.h"
#include "production/manifest_row.h"
#include "production/positive_pay.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* numbers as written: 0.78 stays "0.78", not 0.78000000000000003 */
#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

struct totals {
	json_int_t pieces, sheets, pages;
	double weight_oz;
	long postage, fees;		/* cents, over the pieces with a known amount */
	json_int_t unpriced;		/* pieces whose postage or fees are not known */
};

/* the lot, run, and their CSV and JSON files being written */
struct outputs {
	struct manifest_file run_csv, run_json, lot_csv, lot_json;
};

static void outputs_abort(struct outputs *out)
{
	manifest_file_abort(&out->run_csv);
	manifest_file_abort(&out->run_json);
	manifest_file_abort(&out->lot_csv);
	manifest_file_abort(&out->lot_json);
}

static void totals_add(struct totals *t, const json_t *piece, const struct manifest_calc *c)
{
	long fees = postage_fees(&c->postage);
	t->pieces++;
	t->sheets += json_integer_value(json_object_get(piece, "sheets"));
	t->pages += json_integer_value(json_object_get(piece, "pages"));
	if (c->weight_oz > 0)
		t->weight_oz += c->weight_oz;
	if (c->postage.postage >= 0)
		t->postage += c->postage.postage;
	if (fees >= 0)
		t->fees += fees;
	if (c->postage.postage < 0 || fees < 0)
		t->unpriced++;
}

static json_t *totals_json(const struct totals *t)
{
	return json_pack("{s:I, s:I, s:I, s:f, s:f, s:f, s:I}", "pieces", t->pieces, "sheets",
			 t->sheets, "pages", t->pages, "weight_oz", round(t->weight_oz * 1000.0) / 1000.0,
			 "postage_usd", (double)t->postage / 100.0, "fees_usd", (double)t->fees / 100.0,
			 "unpriced_pieces", t->unpriced);
}

static void csv_header(struct manifest_file *mf)
{
	for (size_t i = 0; i < manifest_n_columns; i++)
		manifest_csv_field(mf, manifest_column(i), i + 1 == manifest_n_columns);
}

static void csv_row(struct manifest_file *mf, const json_t *row)
{
	char buf[64];
	for (size_t i = 0; i < manifest_n_columns; i++)
		manifest_csv_field(mf, manifest_cell(row, i, buf), i + 1 == manifest_n_columns);
}

/* dumps v compactly into mf; false when out of memory */
static bool put_json(struct manifest_file *mf, const json_t *v)
{
	char *s = json_dumps(v, DUMP_FLAGS | JSON_ENCODE_ANY);
	if (!s)
		return false;
	manifest_file_puts(mf, s);
	free(s);
	return true;
}

/* head's members, then `"pieces":[`: the object stays open for the rows */
static bool open_pieces(struct manifest_file *mf, const json_t *head)
{
	char *s = json_dumps(head, DUMP_FLAGS);
	if (!s)
		return false;
	size_t n = strlen(s);
	manifest_file_write(mf, s, n - 1);	/* without the closing brace */
	manifest_file_puts(mf, n > 2 ? ",\"pieces\":[" : "\"pieces\":[");
	free(s);
	return true;
}

/* `],"key":value,"totals":{…}}` */
static bool close_pieces(struct manifest_file *mf, const char *key, const json_t *value,
			 const struct totals *t)
{
	json_t *tj = totals_json(t);
	bool ok = tj != NULL;
	manifest_file_puts(mf, "]");
	if (key) {
		manifest_file_puts(mf, ",\"");
		manifest_file_puts(mf, key);
		manifest_file_puts(mf, "\":");
		ok = ok && put_json(mf, value);
	}
	manifest_file_puts(mf, ",\"totals\":");
	ok = ok && put_json(mf, tj);
	manifest_file_puts(mf, "}\n");
	json_decref(tj);
	return ok;
}

static json_t *lot_head(const struct manifest_opts *o, const json_t *run, const json_t *lot)
{
	static const char *const copied[] = {
		"number", "product", "size", "color", "double_sided", "envelope",
		"extra_service", "mail_type", "return_envelope", "perforated_page", "inserts",
		"reprint", "test", "stock",
	};
	json_t *head = json_pack("{s:O?, s:O?}", "run_id", json_object_get(run, "id"), "lot_id",
				 json_object_get(lot, "id"));
	for (size_t i = 0; head && i < sizeof copied / sizeof copied[0]; i++) {
		json_t *v = json_object_get(lot, copied[i]);
		if (v && json_object_set(head, copied[i], v) < 0)
			goto fail;
	}
	if (head && json_object_set_new(head, "postage_mark", manifest_postage_mark(o, lot)) < 0)
		goto fail;
	return head;
fail:
	json_decref(head);
	return NULL;
}

/* the lot's pieces into the lot's files and the run's; adds to the run's totals */
static int write_lot(const struct manifest_opts *o, const json_t *run, const json_t *lot,
		     const char *out_dir, struct outputs *out, struct totals *run_totals,
		     bool *first_row, json_t *summaries, json_t *files_out, struct api_error *err)
{
	const char *lot_id = json_string_value(json_object_get(lot, "id"));
	const json_t *pieces = json_object_get(lot, "pieces");
	char name[128];
	if (!manifest_name_safe(lot_id))
		return api_fail(err, ERR_INVALID, "a lot of run %s has no id usable as a file name",
				json_string_value(json_object_get(run, "id")));
	if (!json_is_array(pieces))
		return api_fail(err, ERR_INVALID, "lot %s has no pieces array", lot_id);
	json_t *head = lot_head(o, run, lot);
	if (!head)
		return api_fail(err, ERR_INTERNAL, "out of memory writing lot %s's manifest", lot_id);
	snprintf(name, sizeof name, "%s_manifest.csv", lot_id);
	if (manifest_file_open(&out->lot_csv, out_dir, name, err) < 0)
		goto fail;
	snprintf(name, sizeof name, "%s_manifest.json", lot_id);
	if (manifest_file_open(&out->lot_json, out_dir, name, err) < 0)
		goto fail;
	csv_header(&out->lot_csv);
	if (!open_pieces(&out->lot_json, head))
		goto oom;
	struct totals t = { 0 };
	size_t i;
	const json_t *piece;
	json_array_foreach(pieces, i, piece) {
		struct manifest_calc calc;
		json_t *row = manifest_row(o, run, lot, piece, &calc, err);
		if (!row)
			goto fail;
		csv_row(&out->lot_csv, row);
		csv_row(&out->run_csv, row);
		if (i > 0)
			manifest_file_puts(&out->lot_json, ",");
		if (!*first_row)
			manifest_file_puts(&out->run_json, ",");
		*first_row = false;
		bool ok = put_json(&out->lot_json, row) && put_json(&out->run_json, row);
		json_decref(row);
		if (!ok)
			goto oom;
		totals_add(&t, piece, &calc);
		totals_add(run_totals, piece, &calc);
	}
	if (!close_pieces(&out->lot_json, NULL, NULL, &t))
		goto oom;
	if (manifest_file_commit(&out->lot_csv, "manifest_csv", lot_id, files_out, err) < 0 ||
	    manifest_file_commit(&out->lot_json, "manifest_json", lot_id, files_out, err) < 0)
		goto fail;
	if (json_object_set_new(head, "totals", totals_json(&t)) < 0 ||
	    json_array_append(summaries, head) < 0)
		goto oom;
	json_decref(head);
	return 0;
oom:
	api_fail(err, ERR_INTERNAL, "out of memory writing lot %s's manifest", lot_id);
fail:
	json_decref(head);
	return -1;
}

int manifest_write_run(const struct manifest_opts *o, const json_t *run, const char *out_dir,
		       json_t *files_out, struct api_error *err)
{
	const char *run_id = json_string_value(json_object_get(run, "id"));
	const json_t *lots = json_object_get(run, "lots");
	if (!manifest_name_safe(run_id) || !json_is_array(lots))
		return api_fail(err, ERR_INVALID, "the run plan needs an id and a lots array");
	if (o->envelopes_permit_preprinted && !o->permit)
		return api_fail(err, ERR_INVALID,
				"envelopes pre-printed with a permit imprint need the permit's details");
	/* refused before any file is written, not after the manifests */
	size_t k;
	const json_t *l;
	json_array_foreach(lots, k, l)
		if (firm_book_accountable(json_string_value(json_object_get(l, "extra_service"))) &&
		    json_array_size(json_object_get(l, "pieces")) > 0 &&
		    (!o->sender.name || !*o->sender.name))
			return api_fail(err, ERR_INVALID,
					"run %s has accountable mail: the PS Form 3877 needs the "
					"sender's name and address (the mailer presenting the mail): "
					"set --mailer-name and --mailer-address", run_id);
	struct outputs out = { 0 };
	struct totals t = { 0 };
	bool first_row = true;
	json_t *summaries = json_array();
	json_t *head = json_pack("{s:s, s:O?, s:b, s:O?, s:O?}", "run_id", run_id, "cutoff",
				 json_object_get(run, "cutoff"), "test",
				 json_is_true(json_object_get(run, "test")), "mailer_id",
				 json_object_get(run, "mailer_id"), "date_created",
				 json_object_get(run, "date_created"));
	if (!summaries || !head) {
		api_fail(err, ERR_INTERNAL, "out of memory writing run %s's manifest", run_id);
		goto fail;
	}
	if (manifest_file_open(&out.run_csv, out_dir, "manifest.csv", err) < 0 ||
	    manifest_file_open(&out.run_json, out_dir, "manifest.json", err) < 0)
		goto fail;
	csv_header(&out.run_csv);
	if (!open_pieces(&out.run_json, head)) {
		api_fail(err, ERR_INTERNAL, "out of memory writing run %s's manifest", run_id);
		goto fail;
	}
	size_t i;
	const json_t *lot;
	json_array_foreach(lots, i, lot)
		if (write_lot(o, run, lot, out_dir, &out, &t, &first_row, summaries, files_out,
			      err) < 0)
			goto fail;
	if (!close_pieces(&out.run_json, "lots", summaries, &t)) {
		api_fail(err, ERR_INTERNAL, "out of memory writing run %s's manifest", run_id);
		goto fail;
	}
	if (manifest_file_commit(&out.run_csv, "manifest_csv", NULL, files_out, err) < 0 ||
	    manifest_file_commit(&out.run_json, "manifest_json", NULL, files_out, err) < 0)
		goto fail;
	json_decref(summaries);
	json_decref(head);
	if (firm_book_write(o, run, out_dir, files_out, err) < 0 ||
	    positive_pay_write(run, out_dir, files_out, err) < 0)
		return -1;
	return 0;
fail:
	outputs_abort(&out);
	json_decref(summaries);
	json_decref(head);
	return -1;
}
