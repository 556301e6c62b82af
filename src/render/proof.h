/*
 * The proof pipeline on MuPDF (in-process): HTML laid out into PDF pages (fz_story), customer
 * PDFs checked (pages, trim size, encryption), letters stamped with Lob's address block,
 * the Intelligent Mail barcode and — for certified mail — the certified cover sheet, and
 * PNG thumbnails. Every call takes and returns whole PDFs in memory (malloc'd).
 *
 * The built-in HTML renderer supports MuPDF's CSS subset (reference/c_libraries.md): block
 * layout, fonts, colours, images (data: URIs), tables, page-break-before; not absolute or
 * fixed positioning, floats, flex or transforms. No network access: pages see no files and
 * no URLs, only data: URIs.
 */
#ifndef FRANK_RENDER_PROOF_H
#define FRANK_RENDER_PROOF_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

/* HTML → PDF pages of w×h inches, at most max_pages (the rest is trimmed, as Lob trims) */
int proof_html_to_pdf(const char *html, size_t len, double w_in, double h_in,
		      unsigned max_pages, unsigned char **pdf, size_t *pdf_len, unsigned *pages,
		      struct api_error *err);

struct proof_expect {
	double width_in, height_in, tolerance_in;
	unsigned min_pages, max_pages;
};

/*
 * A customer PDF: invalid_file (does not parse), pdf_encrypted, file_pages_below_min,
 * file_pages_exceed_max, invalid_file_dimensions (a page not w×h within the tolerance,
 * trim box if set, else media box), inconsistent_page_dimensions. 0 with *pages.
 */
int proof_pdf_check(const unsigned char *pdf, size_t len, const struct proof_expect *want,
		    unsigned *pages, struct api_error *err);

/* a PNG/JPEG at w×h inches (aspect ratio and ≥ 300 DPI checked) → a one-page PDF */
int proof_image_to_pdf(const unsigned char *img, size_t len, double w_in, double h_in,
		       unsigned char **pdf, size_t *pdf_len, struct api_error *err);

#define PROOF_LINES 6

struct proof_letter {
	const char *to[PROOF_LINES];	/* recipient lines, NULL-terminated early */
	const char *from[PROOF_LINES];	/* return address lines */
	const char *imb_bars;		/* 65 characters of A/D/F/T */
	const char *placement;		/* Lob's address_placement */
	const char *certified_pic;	/* IMpb tracking number; NULL: not certified */
	const char *certified_zip;	/* the recipient's 5-digit ZIP (GS1 AI 420) */
	bool return_receipt;		/* certified_return_receipt */
	bool double_sided;		/* the cover sheet takes 2 pages */
	/* Lob's qr_code: data (the redirect URL), top-left and width in inches, and the
	 * customer's pages it goes on (1-based; qr_pages[0] unused); NULL: none */
	const char *qr_data;
	double qr_x, qr_y, qr_width;
	const bool *qr_pages;
	size_t qr_npages;
};

/*
 * Stamps a letter (8.5x11 pages): the white address box (3.15" x 2" at 0.6", 0.84" from the
 * top-left — Lob's letter template) with the return address and the recipient over the IMb,
 * so both show through the #10 double window; insert_blank_page puts it on an added first
 * page; bottom_first_page(_center) in the lower third. Certified letters get a cover sheet
 * in front: the GS1-128 IMpb barcode above the address, "CERTIFIED MAIL" and the tracking
 * number in human-readable form.
 */
int proof_stamp_letter(const unsigned char *pdf, size_t len, const struct proof_letter *l,
		       unsigned char **out, size_t *out_len, unsigned *pages,
		       struct api_error *err);

/* page (0-based) as a PNG width_px wide */
int proof_thumbnail(const unsigned char *pdf, size_t len, unsigned page, unsigned width_px,
		    unsigned char **png, size_t *png_len, struct api_error *err);
#endif
