// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The PS Form 3877 facsimile (see firm_book.h), drawn page by page on MuPDF's PDF writer: a
 * ruled form of fixed geometry (8 lines a page by default), so "page n of m" is known before
 * drawing and an address too long for its line shrinks or is cut, never pushes the page.
 */
#include "production/firm_book.h"
#include "production/manifest_file.h"
#include "production/manifest_row.h"
#include "pdf/fz.h"
#include "pdf/pdf_util.h"
#include "production/firm_book_page.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* USPS's form has 8 lines a sheet (production reference §5, two sources agree) */
#define DEFAULT_LINES 8
#define MAX_LINES 8		/* fewer make taller lines; more would not hold an address */
#define PAGE_W_IN 11.0
#define PAGE_H_IN 8.5

struct article {
	const json_t *lot, *piece;
	struct piece_postage postage;
};

/* the book's sections: registered articles are not listed with other classes */
enum section { SECTION_CERTIFIED, SECTION_REGISTERED };

bool firm_book_accountable(const char *s)
{
	return s && (strcmp(s, "certified") == 0 || strcmp(s, "certified_return_receipt") == 0 ||
		     strcmp(s, "registered") == 0);
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static enum section section_of(const json_t *lot)
{
	const char *s = str(lot, "extra_service");
	return s && strcmp(s, "registered") == 0 ? SECTION_REGISTERED : SECTION_CERTIFIED;
}

/* ---- the page's layout, inches from the top-left of an 11 x 8.5 in landscape page ---- */

#define LEFT 0.4
#define RIGHT (PAGE_W_IN - 0.4)
#define HEAD_TOP 0.95
#define HEAD_H 1.15
#define TABLE_TOP 2.25
#define TABLE_HEAD_H 0.42
#define ROWS_H 4.48		/* all of a page's lines, whatever their number */
#define TOTAL_H 0.22
#define FOOT_TOP (TABLE_TOP + TABLE_HEAD_H + ROWS_H + TOTAL_H + 0.1)
#define FOOT_H 0.62
#define SMALL 6.5		/* labels, points */
#define BODY 7.5		/* entries */
#define LEADING 0.1		/* address lines, inches apart */

enum col { COL_LINE, COL_ARTICLE, COL_ADDRESS, COL_POSTAGE, COL_FEE, COL_RR, COL_HANDLING,
	   COL_VALUE, COL_REMARKS, COL__COUNT };
/* left edges; the last entry is the table's right edge */
static const double col_x[COL__COUNT + 1] = { LEFT, 0.8, 2.45, 5.55, 6.25, 6.95, 7.65, 8.35,
					      9.05, RIGHT };
/* the USPS form's column heads (the older edition's, production reference §5) */
static const char *const col_head[COL__COUNT][3] = {
	{ "Line" }, { "Article Number" },
	{ "Name of Addressee, Street,", "and Post Office Address" },
	{ "Postage" }, { "Fee", "(Certified /", "Registered)" },
	{ "Return", "Receipt Fee" }, { "Handling", "Charge" },
	{ "Actual Value", "if Registered" }, { "Remarks" },
};

/* sums of a page or the book; a column with an unknown amount says so */
struct sums {
	long postage, fee, rr, handling;
	unsigned unpriced;
};

static void sums_add(struct sums *s, const struct piece_postage *p)
{
	if (p->postage >= 0)
		s->postage += p->postage;
	s->fee += p->certified + p->registered;
	s->rr += p->return_receipt;
	s->handling += p->handling;
	if (p->unpriced)
		s->unpriced++;
}

static void money_right(struct fb_page *p, bool bold, enum col c, double baseline, long cents)
{
	char buf[24];
	fbp_text_right(p, bold, BODY, col_x[c + 1] - 0.06, baseline,
		       cents < 0 ? "n/a" : postage_usd(buf, cents));
}

static void checkbox(struct fb_page *p, double x, double baseline, bool checked,
		     const char *label)
{
	double side = 0.1, top = baseline - 0.09;
	fbp_rect(p, x, top, side, side, 0.6);
	if (checked)	/* a letter, not strokes: text extraction shows which box is ticked */
		fbp_text(p, true, 8, x + (side - fbp_width(p, true, 8, "X")) / 2, baseline - 0.01,
			 "X");
	fbp_text(p, false, 8, x + side + 0.05, baseline, label);
}

static void title(struct fb_page *p, const json_t *run, unsigned page, unsigned pages,
		  const char *copy)
{
	char buf[48];
	fbp_text(p, true, 13, LEFT, 0.62, "PS Form 3877 \xE2\x80\x94 Firm Mailing Book for "
					   "Accountable Mail");
	if (json_is_true(json_object_get(run, "test")))
		fbp_text(p, true, 11, 6.3, 0.62, "TEST RUN \xE2\x80\x94 DO NOT MAIL");
	snprintf(buf, sizeof buf, "Page %u of %u", page, pages);
	fbp_text_right(p, true, 10, RIGHT, 0.62, buf);
	fbp_text(p, false, SMALL, LEFT, 0.8,
		 "Computer-generated facsimile of PS Form 3877: its use needs the written approval "
		 "of the postmaster of the office of mailing (DMM 503.1.10).");
	if (copy)
		fbp_text_right(p, true, 8, RIGHT, 0.8, copy);
}

static void head(struct fb_page *p, const struct manifest_opts *o, const json_t *run,
		 enum section sec, bool any_rr, const char *date)
{
	const struct manifest_sender *s = &o->sender;
	double a = LEFT, b = 4.0, c = 7.3, y = HEAD_TOP;
	char buf[256];
	fbp_rect(p, a, y, b - a, HEAD_H, 0.8);
	fbp_text(p, false, SMALL, a + 0.06, y + 0.14, "Name and Address of Sender");
	double line = y + 0.36;
	fbp_text_fit(p, true, 9, a + 0.1, line, b - a - 0.2, s->name);
	const char *rest[] = { s->address_line1, s->address_line2 };
	for (size_t i = 0; i < 2; i++)
		if (rest[i] && *rest[i])
			fbp_text_fit(p, false, 9, a + 0.1, line += 0.16, b - a - 0.2, rest[i]);
	snprintf(buf, sizeof buf, "%s%s%s %s", s->city ? s->city : "", s->city && s->state ? ", " : "",
		 s->state ? s->state : "", s->zip ? s->zip : "");
	fbp_text_fit(p, false, 9, a + 0.1, line + 0.16, b - a - 0.2, buf);

	fbp_rect(p, b, y, c - b, HEAD_H, 0.8);
	fbp_text(p, false, SMALL, b + 0.06, y + 0.14, "Type of Mail");
	checkbox(p, b + 0.1, y + 0.34, sec == SECTION_CERTIFIED, "Certified");
	checkbox(p, b + 1.0, y + 0.34, sec == SECTION_REGISTERED, "Registered");
	checkbox(p, b + 1.95, y + 0.34, any_rr, "Return Receipt");
	snprintf(buf, sizeof buf, "Mailing date: %s", date);
	fbp_text(p, false, 8, b + 0.1, y + 0.58, buf);
	snprintf(buf, sizeof buf, "Post office of mailing: %s",
		 o->post_office ? o->post_office : "");
	fbp_text_fit(p, false, 8, b + 0.1, y + 0.76, c - b - 0.2, buf);
	snprintf(buf, sizeof buf, "Print run: %s", str(run, "id") ? str(run, "id") : "");
	fbp_text_fit(p, false, 8, b + 0.1, y + 0.94, c - b - 0.2, buf);

	fbp_rect(p, c, y, RIGHT - c, HEAD_H, 0.8);
	fbp_text(p, false, SMALL, c + 0.06, y + 0.14, "Postmark and Date of Receipt");
	fbp_text(p, false, SMALL, c + 0.06, y + 0.26, "(round-date stamp)");
}

static void table_frame(struct fb_page *p, unsigned lines)
{
	double bottom = TABLE_TOP + TABLE_HEAD_H + ROWS_H + TOTAL_H;
	fbp_fill(p, LEFT, TABLE_TOP, RIGHT - LEFT, TABLE_HEAD_H, 0.88f);
	fbp_fill(p, LEFT, bottom - TOTAL_H, RIGHT - LEFT, TOTAL_H, 0.94f);
	for (int c = 0; c < COL__COUNT; c++)
		for (int k = 0; k < 3 && col_head[c][k]; k++)
			fbp_text(p, true, SMALL, col_x[c] + 0.05, TABLE_TOP + 0.12 + 0.1 * k,
				 col_head[c][k]);
	for (int c = 1; c < COL__COUNT; c++)
		fbp_line(p, col_x[c], TABLE_TOP, col_x[c], bottom, 0.5);
	double row_h = ROWS_H / lines;
	for (unsigned i = 0; i <= lines; i++)
		fbp_line(p, LEFT, TABLE_TOP + TABLE_HEAD_H + i * row_h, RIGHT,
			 TABLE_TOP + TABLE_HEAD_H + i * row_h, 0.5);
	fbp_rect(p, LEFT, TABLE_TOP, RIGHT - LEFT, bottom - TABLE_TOP, 1);
}

/* 22 digits as USPS prints them: groups of 4 */
static void grouped(const char *n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; n && n[i] && o + 2 < cap; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = n[i];
	}
	out[o] = '\0';
}

static void article(struct fb_page *p, unsigned line, double top, double row_h,
		    const struct article *a)
{
	const json_t *to = json_object_get(a->piece, "to");
	char buf[256];
	double first = top + 0.13;
	snprintf(buf, sizeof buf, "%u", line);
	fbp_text(p, false, BODY, col_x[COL_LINE] + 0.08, first, buf);
	grouped(str(a->piece, "tracking_number"), buf, sizeof buf);
	fbp_text_fit(p, false, BODY, col_x[COL_ARTICLE] + 0.06, first,
		     col_x[COL_ARTICLE + 1] - col_x[COL_ARTICLE] - 0.12, buf);

	/* name, company, street, city: as many lines as the row holds */
	const char *l1 = str(to, "address_line1"), *l2 = str(to, "address_line2");
	char street[256], city[160];
	size_t fit = (size_t)((row_h - 0.06) / LEADING);
	const char *lines[5];
	size_t n = 0;
	snprintf(city, sizeof city, "%s, %s %s", str(to, "address_city") ? str(to, "address_city") : "",
		 str(to, "address_state") ? str(to, "address_state") : "",
		 str(to, "address_zip") ? str(to, "address_zip") : "");
	lines[n++] = str(to, "name");
	if (str(to, "company") && *str(to, "company"))
		lines[n++] = str(to, "company");
	if (l2 && *l2 && n + 3 > fit) {
		snprintf(street, sizeof street, "%s, %s", l1 ? l1 : "", l2);
		lines[n++] = street;
	} else {
		lines[n++] = l1;
		if (l2 && *l2)
			lines[n++] = l2;
	}
	lines[n++] = city;
	double w = col_x[COL_ADDRESS + 1] - col_x[COL_ADDRESS] - 0.12;
	for (size_t i = 0; i < n && i < fit; i++)
		fbp_text_fit(p, i == 0, BODY - 0.5, col_x[COL_ADDRESS] + 0.06, first + LEADING * i,
			     w, lines[i]);

	money_right(p, false, COL_POSTAGE, first, a->postage.postage);
	money_right(p, false, COL_FEE, first, a->postage.certified + a->postage.registered);
	if (a->postage.return_receipt)
		money_right(p, false, COL_RR, first, a->postage.return_receipt);
	if (a->postage.handling)
		money_right(p, false, COL_HANDLING, first, a->postage.handling);
	if (section_of(a->lot) == SECTION_REGISTERED)
		fbp_text(p, false, SMALL, col_x[COL_VALUE] + 0.06, first, "none declared");

	double rw = col_x[COL_REMARKS + 1] - col_x[COL_REMARKS] - 0.12, rx = col_x[COL_REMARKS] + 0.06;
	const char *service = str(a->lot, "extra_service");
	const char *remarks[4];
	size_t r = 0;
	if (service && strcmp(service, "certified_return_receipt") == 0)
		remarks[r++] = "Return Receipt (electronic)";
	remarks[r++] = str(a->piece, "id");
	snprintf(buf, sizeof buf, "lot %lld, no. %lld",
		 (long long)json_integer_value(json_object_get(a->lot, "number")),
		 (long long)json_integer_value(json_object_get(a->piece, "sequence")));
	remarks[r++] = buf;
	if (a->postage.unpriced)
		remarks[r++] = "postage not in the price table";
	for (size_t i = 0; i < r && i < fit; i++)
		fbp_text_fit(p, false, SMALL, rx, first + LEADING * i, rw, remarks[i]);
}

static void totals(struct fb_page *p, const struct sums *s)
{
	double base = TABLE_TOP + TABLE_HEAD_H + ROWS_H + 0.155;
	char buf[64];
	snprintf(buf, sizeof buf, "Totals this page%s", s->unpriced ? " (n/a postage left out)" : "");
	fbp_text(p, true, BODY, col_x[COL_ARTICLE] + 0.06, base, buf);
	money_right(p, true, COL_POSTAGE, base, s->postage);
	money_right(p, true, COL_FEE, base, s->fee);
	money_right(p, true, COL_RR, base, s->rr);
	money_right(p, true, COL_HANDLING, base, s->handling);
}

static void foot(struct fb_page *p, size_t listed, size_t book_n, unsigned pages,
		 const struct sums *book, bool last)
{
	double a = LEFT, b = 3.2, c = 6.0, y = FOOT_TOP;
	char buf[192], p1[24], p2[24];
	fbp_rect(p, a, y, b - a, FOOT_H, 0.8);
	fbp_text(p, false, SMALL, a + 0.06, y + 0.14, "Total Number of Pieces Listed by Sender");
	snprintf(buf, sizeof buf, "%zu", listed);
	fbp_text(p, true, 14, a + 0.12, y + 0.48, buf);
	fbp_rect(p, b, y, c - b, FOOT_H, 0.8);
	fbp_text(p, false, SMALL, b + 0.06, y + 0.14,
		 "Total Number of Pieces Received at Post Office");
	fbp_rect(p, c, y, RIGHT - c, FOOT_H, 0.8);
	fbp_text(p, false, SMALL, c + 0.06, y + 0.14,
		 "Postmaster, Per (Name of receiving employee)");
	if (last)
		snprintf(buf, sizeof buf,
			 "Book: %zu article%s on %u page%s, postage $%s, fees $%s%s.", book_n,
			 book_n == 1 ? "" : "s", pages, pages == 1 ? "" : "s",
			 postage_usd(p1, book->postage),
			 postage_usd(p2, book->fee + book->rr + book->handling),
			 book->unpriced ? " (postage of n/a articles not included)" : "");
	else
		snprintf(buf, sizeof buf, "Book: %zu article%s on %u pages; totals on the last page.",
			 book_n, book_n == 1 ? "" : "s", pages);
	fbp_text(p, false, SMALL, LEFT, y + FOOT_H + 0.16, buf);
	/* the form is for three or more articles presented together (production reference §5) */
	if (book_n < 3)
		fbp_text_right(p, true, SMALL, RIGHT, y + FOOT_H + 0.16,
			       "Fewer than 3 articles: present PS Form 3800 receipts instead.");
}

/* the accountable articles in run order, certified first, then registered */
static int collect(const struct manifest_opts *o, const json_t *run, struct article **out,
		   size_t *n_out, size_t *n_certified, struct api_error *err)
{
	size_t n = 0, cap = 0, i, j;
	struct article *a = NULL;
	const json_t *lot, *piece;
	*n_certified = 0;
	for (int pass = SECTION_CERTIFIED; pass <= SECTION_REGISTERED; pass++)
		json_array_foreach(json_object_get(run, "lots"), i, lot) {
			if (!firm_book_accountable(str(lot, "extra_service")) ||
			    section_of(lot) != (enum section)pass)
				continue;
			json_array_foreach(json_object_get(lot, "pieces"), j, piece) {
				const char *tn = str(piece, "tracking_number");
				/* a Registered article's number comes from the label the clerk
				 * affixes at acceptance (Frank answers tracking_number null, as
				 * Lob): its line is left blank for it; Certified has its own */
				if ((!tn || !*tn) && pass == SECTION_CERTIFIED) {
					free(a);
					return api_fail(err, ERR_INVALID,
							"accountable piece %s has no tracking number "
							"for the PS Form 3877",
							str(piece, "id") ? str(piece, "id") : "(no id)");
				}
				if (n == cap) {
					cap = cap ? 2 * cap : 64;
					struct article *more = realloc(a, cap * sizeof *a);
					if (!more) {
						free(a);
						return api_fail(err, ERR_INTERNAL,
								"out of memory listing the 3877");
					}
					a = more;
				}
				a[n].lot = lot;
				a[n].piece = piece;
				postage_for_piece(o->prices, manifest_lot_payment(o, lot), lot, piece,
						  weight_estimate_oz(lot, piece), &a[n].postage);
				n++;
				if (pass == SECTION_CERTIFIED)
					(*n_certified)++;
			}
		}
	*out = a;
	*n_out = n;
	return 0;
}

static unsigned pages_for(size_t n, unsigned lines)
{
	return (unsigned)((n + lines - 1) / lines);
}

/* the book drawn page by page (throws) */
/* the guide: Registered Mail is presented in duplicate (one copy the mailer's receipt) */
static unsigned copies_of(enum section sec)
{
	return sec == SECTION_REGISTERED ? 2 : 1;
}

static const char *copy_label(enum section sec, unsigned copy)
{
	if (copies_of(sec) == 1)
		return NULL;
	return copy == 0 ? "Registered Mail \xE2\x80\x94 copy 1 of 2: mailer's receipt"
			 : "Registered Mail \xE2\x80\x94 copy 2 of 2: Post Office acceptance record";
}

static void draw_book(fz_context *ctx, fz_document_writer *wri, struct fb_page *p,
		      const struct manifest_opts *o, const json_t *run, const struct article *a,
		      size_t n, size_t n_cert, unsigned lines, unsigned pages)
{
	char date[11] = "";
	const char *cutoff = str(run, "cutoff");
	snprintf(date, sizeof date, "%s", o->mailing_date ? o->mailing_date : cutoff ? cutoff : "");
	fz_rect box = fz_make_rect(0, 0, (float)(PAGE_W_IN * 72), (float)(PAGE_H_IN * 72));
	double row_h = ROWS_H / lines;
	struct sums book = { 0 };
	for (size_t i = 0; i < n; i++)
		sums_add(&book, &a[i].postage);
	unsigned page = 0;
	for (int sec = SECTION_CERTIFIED; sec <= SECTION_REGISTERED; sec++) {
		size_t from = sec == SECTION_CERTIFIED ? 0 : n_cert;
		size_t to = sec == SECTION_CERTIFIED ? n_cert : n;
		for (unsigned copy = 0; copy < copies_of((enum section)sec); copy++)
			for (size_t at = from; at < to; at += lines) {
				size_t k = to - at < lines ? to - at : lines;
				struct sums sums = { 0 };
				bool any_rr = false;
				for (size_t i = 0; i < k; i++) {
					sums_add(&sums, &a[at + i].postage);
					any_rr = any_rr || a[at + i].postage.return_receipt > 0;
				}
				page++;
				/* the writer owns the page's device */
				p->dev = fz_begin_page(ctx, wri, box);
				title(p, run, page, pages, copy_label((enum section)sec, copy));
				head(p, o, run, (enum section)sec, any_rr, date);
				table_frame(p, lines);
				for (size_t i = 0; i < k; i++)
					article(p, (unsigned)i + 1,
						TABLE_TOP + TABLE_HEAD_H + row_h * i, row_h, &a[at + i]);
				/* unused lines are struck through, so none can be added later */
				if (k < lines)
					fbp_line(p, LEFT, TABLE_TOP + TABLE_HEAD_H + row_h * k, RIGHT,
						 TABLE_TOP + TABLE_HEAD_H + ROWS_H, 0.6);
				totals(p, &sums);
				foot(p, k, n, pages, &book, page == pages);
				fz_end_page(ctx, wri);
				p->dev = NULL;
			}
	}
}

/* the book as PDF bytes (malloc'd); 0 or -1 with *err */
static int book_pdf(const struct manifest_opts *o, const json_t *run, const struct article *a,
		    size_t n, size_t n_cert, unsigned lines, unsigned pages, unsigned char **pdf,
		    size_t *pdf_len, struct api_error *err)
{
	fz_context *ctx = frank_fz();
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "MuPDF could not start (out of memory)");
	fz_buffer *buf = NULL;
	fz_document_writer *wri = NULL;
	struct fb_page page = { .ctx = ctx };
	int rc = 0;
	*pdf = NULL;
	fz_var(buf);
	fz_var(wri);
	fz_try(ctx) {
		buf = fz_new_buffer(ctx, 65536);
		/* the writer owns this output and drops it */
		wri = fz_new_pdf_writer_with_output(ctx, fz_new_output_with_buffer(ctx, buf),
						    "compress");
		fbp_init(&page, ctx);
		draw_book(ctx, wri, &page, o, run, a, n, n_cert, lines, pages);
		fz_close_document_writer(ctx, wri);
		*pdf = pdfu_buffer_copy(ctx, buf, pdf_len);
	}
	fz_always(ctx) {
		fbp_drop(&page);
		fz_drop_document_writer(ctx, wri);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		rc = api_fail(err, ERR_INTERNAL, "the PS Form 3877 could not be drawn: %s",
			      fz_caught_message(ctx));
	return rc;
}

int firm_book_write(const struct manifest_opts *o, const json_t *run, const char *out_dir,
		    json_t *files_out, struct api_error *err)
{
	struct article *a = NULL;
	size_t n = 0, n_cert = 0, pdf_len = 0;
	if (collect(o, run, &a, &n, &n_cert, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	if (!o->sender.name || !*o->sender.name) {
		free(a);
		return api_fail(err, ERR_INVALID, "the PS Form 3877 needs the sender's name and "
						  "address (the mailer presenting the mail): set "
						  "--mailer-name and --mailer-address");
	}
	unsigned lines = o->firm_book_lines ? o->firm_book_lines : DEFAULT_LINES;
	if (lines > MAX_LINES)
		lines = MAX_LINES;
	unsigned pages = pages_for(n_cert, lines) * copies_of(SECTION_CERTIFIED) +
			 pages_for(n - n_cert, lines) * copies_of(SECTION_REGISTERED);
	unsigned char *pdf = NULL;
	int rc = book_pdf(o, run, a, n, n_cert, lines, pages, &pdf, &pdf_len, err);
	free(a);
	if (rc == 0)
		rc = manifest_file_put(out_dir, "firm_book_3877.pdf", pdf, pdf_len, "firm_book_3877",
				       files_out, err);
	free(pdf);
	return rc;
}
