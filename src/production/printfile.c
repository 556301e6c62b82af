// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * printfile_write_lot (printfile.h): reads the lot plan, picks the writer (letters and
 * checks in sequence, postcards and self-mailers imposed), and writes the lot in parts of at
 * most max_pieces_per_file pieces, one output document at a time; pieces are opened one at
 * a time while their pages are copied in.
 */
#include "production/printfile_internal.h"
#include "pdf/fz.h"
#include "core/mail_product.h"
#include "production/lots.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_SHEET_W 12.0
#define DEFAULT_SHEET_H 18.0
/* with no sheet configured, cards too big for 12x18 (Lob's default 6x18 self-mailer) go on
 * the 13x19 "Super B" sheet (production.md 2.3) */
#define LARGE_SHEET_W 13.0
#define LARGE_SHEET_H 19.0
#define DEFAULT_BLEED 0.125

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* the lot's product and options into j; -1 with *err */
static int read_lot(struct pf_job *j, const struct printfile_opts *o, const json_t *run,
		    const json_t *lot, struct api_error *err)
{
	j->lot_id = str(lot, "id");
	if (!json_is_object(lot) || !j->lot_id)
		return api_fail(err, ERR_INVALID, "the lot plan has no id");
	/* the id names the files: nothing that could leave out_dir or need quoting */
	size_t n = strlen(j->lot_id);
	if (n == 0 || n > 64 || strspn(j->lot_id, "abcdefghijklmnopqrstuvwxyz"
						  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n)
		return api_fail(err, ERR_INVALID,
				"a lot id is 1-64 letters, digits, '_' or '-', not \"%.64s\"",
				j->lot_id);
	j->run_id = str(run, "id") ? str(run, "id") : str(lot, "run_id");
	if (!j->run_id)
		return pf_fail(j, err, ERR_INVALID, "the lot plan names no run");
	const char *product = str(lot, "product"), *size = str(lot, "size");
	/* checks print on one stock; the plan's size "check" is the table's only check size */
	const struct mail_product *mp = mail_product_find(product);
	j->p = lot_product_size(product, size);
	if (mp && mp->lot_size)
		size = NULL;	/* named so in messages */
	if (!j->p || !mp || !mp->print_runs) {
		char names[160];
		mail_product_names(names, sizeof(names), true, ", ", " or ");
		return pf_fail(j, err, ERR_INVALID, "product %s size %s has no print file (%s)",
			       product ? product : "(none)", size ? size : "(none)", names);
	}
	j->double_sided = json_is_true(json_object_get(lot, "double_sided"));
	/* a test piece never leaves unmarked, whatever the caller's options say */
	j->watermark = o->test_watermark || json_is_true(json_object_get(lot, "test")) ||
		       json_is_true(json_object_get(run, "test"));
	const char *duplex = str(lot, "duplex");
	if (!duplex || strcmp(duplex, "work_and_turn") == 0)
		j->duplex = IMPOSE_WORK_AND_TURN;
	else if (strcmp(duplex, "work_and_tumble") == 0)
		j->duplex = IMPOSE_WORK_AND_TUMBLE;
	else
		return pf_fail(j, err, ERR_INVALID,
		               "duplex must be work_and_turn or work_and_tumble, not %.40s",
		               duplex);
	j->pieces = json_object_get(lot, "pieces");
	if (!json_is_array(j->pieces) || json_array_size(j->pieces) == 0)
		return pf_fail(j, err, ERR_INVALID, "the lot has no pieces");
	j->sheet_w = o->sheet_w_in > 0 ? o->sheet_w_in : DEFAULT_SHEET_W;
	j->sheet_h = o->sheet_h_in > 0 ? o->sheet_h_in : DEFAULT_SHEET_H;
	j->bleed = o->bleed_in > 0 ? o->bleed_in : DEFAULT_BLEED;
	if (o->sheet_w_in < 0 || o->sheet_h_in < 0 || o->bleed_in < 0 || j->bleed > 0.5)
		return pf_fail(j, err, ERR_INVALID,
			       "the press sheet and bleed must be positive (bleed at most 0.5 in)");
	return 0;
}

/* PDF viewers and printer drivers take the duplex hint from the catalog */
static void duplex_hint(struct pf_job *j)
{
	fz_context *ctx = j->ctx;
	bool imposed = mail_product_of(j->p->kind)->format == MAIL_FORMAT_CARD;
	/* portrait pages: a turn flips about the long edge, a tumble about the short one */
	bool landscape = imposed && j->sheet_w > j->sheet_h;
	bool long_edge = (j->duplex == IMPOSE_WORK_AND_TURN) != landscape;
	const char *hint = long_edge ? "DuplexFlipLongEdge" : "DuplexFlipShortEdge";
	if (!imposed && !j->double_sided)
		hint = "Simplex";
	pdf_obj *root = pdf_dict_get(ctx, pdf_trailer(ctx, j->out), PDF_NAME(Root));
	pdf_obj *vp = pdf_new_dict(ctx, j->out, 1);
	pdf_dict_puts_drop(ctx, root, "ViewerPreferences", vp);
	pdf_dict_puts_drop(ctx, vp, "Duplex", pdf_new_name(ctx, hint));
}

/* one part: a new document, its pages, its file */
static int write_part(struct pf_job *j, const struct impose_grid *g, const char *out_dir,
		      const char *name, json_t *files_out, struct api_error *err)
{
	fz_context *ctx = j->ctx;
	j->pages = j->sheets = 0;
	j->out = NULL;
	j->font = (struct marks_font){ 0 };
	int rc = 0;
	fz_var(rc);
	fz_try(ctx) {
		j->out = pdf_create_document(ctx);
		marks_font_load(ctx, j->out, &j->font);
		duplex_hint(j);
	}
	fz_catch(ctx)
		rc = pf_fail(j, err, ERR_INTERNAL, "the print file could not be started: %s",
			     fz_caught_message(ctx));
	if (rc == 0)
		rc = g ? pf_write_imposed(j, g, err) : pf_write_sequence(j, err);
	if (rc == 0)
		rc = pf_save(j, out_dir, name, files_out, err);
	marks_font_drop(ctx, &j->font);
	pdf_drop_document(ctx, j->out);
	j->out = NULL;
	return rc;
}

/* a lot fails whole: the parts it wrote before are removed, from disk and from files_out */
static void drop_parts(const char *out_dir, json_t *files_out, size_t listed)
{
	while (json_array_size(files_out) > listed) {
		size_t last = json_array_size(files_out) - 1;
		const char *name = json_string_value(
			json_object_get(json_array_get(files_out, last), "name"));
		char path[4096];
		if (name && (size_t)snprintf(path, sizeof path, "%s/%s", out_dir, name) < sizeof path)
			unlink(path);
		json_array_remove(files_out, last);
	}
}

int printfile_write_lot(const struct printfile_opts *o, const json_t *run, const json_t *lot,
			const char *out_dir, json_t *files_out, struct api_error *err)
{
	struct pf_job j = { .o = o };
	if (read_lot(&j, o, run, lot, err) < 0)
		return -1;
	j.ctx = frank_fz();
	if (!j.ctx)
		return api_fail(err, ERR_INTERNAL,
		                "the PDF engine could not start (out of memory)");
	struct impose_grid grid, *g = NULL;
	if (mail_product_of(j.p->kind)->format == MAIL_FORMAT_CARD) {
		double aw = j.p->trim_w + 2 * j.bleed, ah = j.p->trim_h + 2 * j.bleed;
		bool fits = impose_fit(j.sheet_w, j.sheet_h, aw, ah, j.bleed, &grid) == 0;
		if (!fits && j.sheet_w * j.sheet_h < LARGE_SHEET_W * LARGE_SHEET_H) {
			j.sheet_w = LARGE_SHEET_W;
			j.sheet_h = LARGE_SHEET_H;
			fits = impose_fit(j.sheet_w, j.sheet_h, aw, ah, j.bleed, &grid) == 0;
		}
		if (!fits) {
			double mw, mh;
			impose_min_sheet(aw, ah, j.bleed, &mw, &mh);
			return pf_fail(
			    &j, err, ERR_INVALID,
			    "a %s %s (%g x %g in with bleed) does not fit the %g x %g in "
			    "press sheet with crop marks and slug; it needs at least "
			    "%g x %g in",
			    j.p->size, j.p->product, aw, ah, j.sheet_w, j.sheet_h, mw, mh);
		}
		g = &grid;
	}
	size_t n = json_array_size(j.pieces);
	size_t per = o->max_pieces_per_file ? o->max_pieces_per_file : PRINTFILE_DEFAULT_MAX_PIECES;
	size_t parts = (n + per - 1) / per, listed = json_array_size(files_out);
	for (size_t part = 0; part < parts; part++) {
		char name[128];
		if (parts == 1)
			snprintf(name, sizeof name, "%s.pdf", j.lot_id);
		else
			snprintf(name, sizeof name, "%s_part%zu.pdf", j.lot_id, part + 1);
		j.first = part * per;
		j.count = n - j.first < per ? n - j.first : per;
		if (write_part(&j, g, out_dir, name, files_out, err) < 0) {
			drop_parts(out_dir, files_out, listed);
			return -1;
		}
	}
	return 0;
}
