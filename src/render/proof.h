/*
 * Letter stamping on MuPDF (in-process): Lob's address block, the Intelligent Mail barcode,
 * QR codes and — for certified mail — the certified cover sheet, drawn onto a proof PDF held
 * in memory. HTML rendering, PDF checks and thumbnails are mupdf_html.h, pdf_inspect.h,
 * image_pdf.h and thumbs.h.
 */
#ifndef FRANK_RENDER_PROOF_H
#define FRANK_RENDER_PROOF_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

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

/*
 * A postcard (2 pages: front, back, at the artboard size) stamped on the back — or a
 * self-mailer (inside, outside) on its outside: the ink-free
 * zone (a rectangle in inches from the artboard's top-left) filled white with the return
 * address, the IMb and the recipient — Lob's postcard back templates keep it for them.
 */
struct proof_postcard {
	const char *to[PROOF_LINES];
	const char *from[PROOF_LINES];
	const char *imb_bars;
	double page_h_in;
	double zone_x_in, zone_y_in, zone_w_in, zone_h_in;
};

int proof_stamp_postcard(const unsigned char *pdf, size_t len, const struct proof_postcard *pc,
			 unsigned char **out, size_t *out_len, struct api_error *err);
#endif
