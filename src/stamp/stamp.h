// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Stamping a print-ready PDF for one mail piece: the address block (return address,
 * Intelligent Mail barcode, recipient) where the product's envelope windows or ink-free zone
 * show it, the certified cover sheet, QR codes, and checks built from nothing. Geometry comes
 * from product.h; docs/internals/stamping.md explains it and how the tests prove it.
 *
 * Everything is drawn as PDF operators in a content stream appended to each page (the page's
 * own content wrapped in q/Q so it cannot disturb ours), in MuPDF's Nimbus Sans (Helvetica's
 * metrics), embedded once per document; the customer's content is never re-rendered. MuPDF's context is the calling
 * thread's (frank_fz()); no global state: any thread.
 */
#ifndef FRANK_STAMP_STAMP_H
#define FRANK_STAMP_STAMP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "stamp/product.h"

#define STAMP_LINES 6		/* address lines: name, company, 2 street lines, city line, country */
#define STAMP_LINE_MAX 200	/* bytes of one line that are drawn; longer lines are cut */

/* Lob's qr_code, already validated and placed (src/mail/qr_option.h) */
struct stamp_qr {
	const char *data;		/* the redirect URL; NULL: no QR code */
	double x_in, y_in, width_in;	/* top-left and width, from the artboard's top-left */
	const bool *pages;		/* pages[n] for the customer's page n (1-based) */
	size_t npages;			/* entries in pages[] */
};

/* what a check page prints; the payee's address lines are rq->to, the drawer's rq->from */
struct stamp_check {
	int64_t amount_cents;		/* 0 .. 99,999,999,999,999 */
	uint32_t check_number;		/* 1 .. 999,999,999 */
	const char *date;		/* as printed, e.g. "November 25, 2026" */
	const char *memo;		/* NULL or up to 40 characters */
	const char *message;		/* NULL or up to 400 characters, below the check */
	const char *bank_name;
	const char *routing_number;	/* 9 digits, ABA check digit */
	const char *account_number;	/* up to 17 digits or '-' */
	const char *signatory;		/* printed on the signature line */
	/* Lob's check_bottom (an 8.5x11 page drawn under the check), or NULL */
	const unsigned char *bottom_pdf;
	size_t bottom_len;
	/* Lob's logo: PNG or JPEG bytes printed in grayscale at the top left, or NULL */
	const unsigned char *logo;
	size_t logo_len;
};

struct stamp_request {
	const char *product;		/* Lob's object: "letter", "postcard", "self_mailer", ... */
	const char *size;		/* Lob's size enum; NULL: the product's default */
	const char *address_placement;	/* letters; NULL: top_first_page */
	bool double_sided;		/* letters: pages print on both sides */
	bool international;		/* letters: the 6 / 12 page limits apply */
	const char *to[STAMP_LINES];	/* recipient lines, formatted, NULL-terminated early */
	const char *from[STAMP_LINES];	/* return address lines; to[0] NULL: none */
	const char *imb_bars;		/* 65 letters of F/A/D/T (imb_bars()); required unless
					 * international: NULL draws no IMb (a domestic barcode) */
	/* letters: "certified", "certified_return_receipt", "registered" or NULL */
	const char *extra_service;
	const char *tracking_number;	/* IMpb PIC (impb.h); registered may have none yet */
	const char *recipient_zip;	/* 5 or 9 digits: the GS1 "420" routing part */
	struct stamp_qr qr;
	const struct stamp_check *check;	/* checks only */
};

/* what was made */
struct stamp_result {
	unsigned pages;			/* of the output */
	unsigned added_pages;		/* in front of the customer's pages */
	unsigned address_page;		/* 0-based page that carries the address */
	unsigned sheets;		/* letters and checks: sheets in the envelope */
	const struct envelope *envelope;	/* NULL: the piece mails itself */
	/* where the block went on address_page, in artboard inches (product.h); on a page at
	 * the trim size the artboard starts `bleed` inches outside the page */
	struct address_layout layout;
};

/*
 * Stamps pdf (the customer's pages at the product's artboard size; for checks the attachment,
 * may be NULL/0) into *out (malloc'd PDF bytes). Pages the size of the trim (without bleed)
 * are accepted too and stamped at the same place on the finished piece.
 *   letters: the block on page 1, or on an added page (insert_blank_page; two pages when
 *     double-sided, so the customer's pages keep their sides), or in the bottom third; a
 *     letter over 6 sheets goes flat, and a bottom placement then gets an added page (the
 *     flat window shows the top of the first sheet). Certified / registered letters get the
 *     cover sheet in front instead (two pages double-sided).
 *   postcards / self-mailers / booklets: the ink-free zone of the back / outside / back cover.
 *   snap packs: the letter block on the inside (page 1).
 *   checks: a check page (face, MICR line, message) in front of the attachment.
 * QR codes go on the customer's pages listed in rq->qr.pages (under the address block).
 * 0, or -1 with *err: ERR_INVALID for a bad request (unknown product, size or placement,
 * missing or malformed bars, tracking number, check fields), ERR_INVALID_FILE for an
 * unreadable PDF, ERR_INVALID_FILE_DIMENSIONS for a page of the wrong size, ERR_FILE_PAGES_*
 * for a wrong page count (postcards need 2 ...), ERR_INTERNAL when out of memory.
 */
int stamp_piece(const struct stamp_request *rq, const unsigned char *pdf, size_t len,
		unsigned char **out, size_t *out_len, struct stamp_result *res,
		struct api_error *err);
#endif
