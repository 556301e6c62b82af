// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The documents of a certified mailing, as PDF:
 *  - the label (LABEL_STANDARD), one 8.5x11 page to cut: the IMpb block (rule, banner
 *    "USPS CERTIFIED MAIL", GS1-128 barcode of (420)ZIP + tracking number, the number in
 *    blocks of four, rule — impb_certified.md §4.4) between the sender and recipient blocks
 *    with the service endorsements; below it the sender's receipt laid out as PS Form 3800
 *    (fees, Sent To, Postmark Here). Classes with a hardcopy return receipt get a second page,
 *    the PS Form 3811 card (front: items 1-3 and the delivery section; back: the sender).
 *  - the envelope-window cover sheet (LABEL_COVER_SHEET): the same blocks placed inside the
 *    3 x 8 in window of a certified #10 envelope (mailpiece_specs.md §2), fold lines marked.
 *  - the return receipt (electronic): the delivery record from the tracking events.
 * Forms are drawn "in the style of" the USPS ones; they are not USPS forms.
 *
 * Threads: no global state; uses the calling thread's MuPDF context.
 */
#ifndef FRANK_C321_LABEL_H
#define FRANK_C321_LABEL_H
#include <stddef.h>
#include "c321/pricing.h"
#include "core/err.h"

#define LABEL_LINES 6

/* an address as printed: up to LABEL_LINES lines, NULL-terminated early */
struct label_address {
	const char *lines[LABEL_LINES];
};

/* what the sender paid, in cents; -1: not known (left blank on the receipt) */
struct label_fees {
	long long postage, service, restricted, return_receipt, total;
};

struct label_input {
	const char *tracking;		/* the PIC, 22 or 26 digits */
	const char *zip;		/* the recipient's ZIP, 5 or 9 digits (AI 420) */
	const struct mail_class *mc;
	struct label_address from, to;
	struct label_fees fees;
	const char *reference;		/* the customer's, or NULL */
	const char *mailing_id;
	const char *date;		/* the mailing's date, "YYYY-MM-DD" */
};

enum label_format { LABEL_STANDARD, LABEL_COVER_SHEET };

/* the label or cover sheet as a PDF (malloc'd *out); 0, or -1 with *err */
int label_pdf(const struct label_input *in, enum label_format format, unsigned char **out,
	      size_t *len, unsigned *pages, struct api_error *err);

/* the delivery the electronic return receipt records (from the Delivered tracking event) */
struct label_delivery {
	const char *time;		/* ISO-8601 */
	const char *location;		/* ZIP of the delivery scan, or NULL */
	const char *notes;		/* USPS's status text, or NULL */
};

/* the electronic return receipt as a PDF (malloc'd *out); 0, or -1 with *err */
int label_return_receipt_pdf(const struct label_input *in, const struct label_delivery *d,
			     unsigned char **out, size_t *len, struct api_error *err);

/* fills lines from an address's parts (name, company, street lines, "CITY ST ZIP") */
void label_address_lines(struct label_address *a, char *buf, size_t buflen, const char *name,
			 const char *company, const char *line1, const char *line2,
			 const char *city, const char *state, const char *zip);
#endif
