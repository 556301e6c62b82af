// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What the print-file writers share (internal to src/production/printfile*.c and
 * impose_sheet.c): one job per part of a lot, its output document and embedded font, the
 * piece being worked on (for error messages) and the piece PDFs, opened one at a time.
 * Functions returning int give 0, or -1 with *err; the ones marked "throws" raise MuPDF
 * errors and are called inside fz_try.
 */
#ifndef FRANK_PRODUCTION_PRINTFILE_INTERNAL_H
#define FRANK_PRODUCTION_PRINTFILE_INTERNAL_H
#include <jansson.h>
#include <mupdf/pdf.h>
#include "production/impose.h"
#include "production/marks.h"
#include "production/printfile.h"

#define PRINTFILE_DEFAULT_MAX_PIECES 500

struct pf_job {
	const struct printfile_opts *o;
	fz_context *ctx;
	const char *run_id, *lot_id;
	const struct product_size *p;
	bool double_sided;
	bool watermark;				/* opts.test_watermark, or a test run or lot */
	enum impose_duplex duplex;
	double sheet_w, sheet_h, bleed;		/* opts with their defaults */
	const json_t *pieces;			/* the lot's, in print order */
	size_t first, count;			/* this part's pieces */
	pdf_document *out;
	struct marks_font font;
	unsigned pages, sheets;			/* written so far into this part */
	const char *piece_id;			/* the piece being written, for messages */
	bool failed;				/* *err holds the reason; a throw follows */
};

/* one piece's PDF, open */
struct pf_piece {
	unsigned char *data;
	size_t len;
	pdf_document *doc;
	int pages;
};

/*
 * Opens piece's PDF (its "pdf" asset key) and checks its page count: the plan's "pages"
 * when given, exactly 2 for postcards and self-mailers. Sets j->piece_id. 0, or -1 with
 * the piece named in *err (j->failed set).
 */
int pf_piece_open(struct pf_job *j, const json_t *piece, struct pf_piece *out,
		  struct api_error *err);
void pf_piece_close(struct pf_job *j, struct pf_piece *pp);

/* fails the job: *err gets "piece <id>: <message>" (or the lot's id) and j->failed is set;
 * returns -1 */
int pf_fail(struct pf_job *j, struct api_error *err, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* a new last page of w x h inches with contents and resources (borrowed); MediaBox,
 * CropBox = the page, BleedBox and TrimBox as given (NULL: the page). Throws. */
pdf_obj *pf_add_page(struct pf_job *j, double w_in, double h_in, pdf_obj *res,
		     fz_buffer *contents, const fz_rect *bleed, const fz_rect *trim);

/* every page of the part: letters and checks in sequence / postcards, self-mailers n-up */
int pf_write_sequence(struct pf_job *j, struct api_error *err);
int pf_write_imposed(struct pf_job *j, const struct impose_grid *g, struct api_error *err);

/*
 * Writes j->out to out_dir/name through a temp file (fsync, rename, fsync of the directory)
 * and appends {"kind":"print","name","lot","pieces","pages","sheets","bytes","sha256"}.
 */
int pf_save(struct pf_job *j, const char *out_dir, const char *name, json_t *files_out,
	    struct api_error *err);
#endif
