// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The label, PS 3800-style receipt, PS 3811-style card and window cover sheet (label.h).
 *
 * Geometry (inches from the page's top-left, 8.5 x 11 pages). Label: a 7.5 x 4.25 box at
 * (0.5, 0.75) — sender top-left, endorsements top-right, the IMpb block across, recipient
 * below — then a cut line at 5.25 and the receipt box at (0.5, 5.5). Cover sheet: the
 * certified #10 envelope's window is 3 x 8 at 0.75 from its sides and 0.5625 from its top
 * and bottom (mailpiece_specs.md §2); a tri-folded sheet (top panel 3.67 high, 8.5 wide,
 * centred in the 9.5 wide envelope) shows x 0.25-8.25 and, wherever the panel sits, at
 * least y 0.6-3.1 of itself through it: everything meant to show stays in there.
 */
#include "c321/label.h"
#include "c321/canvas.h"
#include "barcode/impb.h"
#include <stdio.h>
#include <string.h>

#define PAGE_W 8.5
#define PAGE_H 11.0
/* GS1-128 for IMpb: X-dimension 0.013-0.021 in (Pub 199), bars at least 0.75 in high */
#define GS1_X 0.015
#define GS1_H 0.75

struct barcode {
	char modules[1024];
	char hri[64];
	const char *banner;
};

static int make_barcode(const struct label_input *in, struct barcode *b, struct api_error *err)
{
	const struct impb_stc *stc = impb_stc_lookup(in->mc ? in->mc->stc : NULL);
	if (!stc)
		return api_fail(err, ERR_INTERNAL, "no USPS service type code for this mail class");
	b->banner = stc->banner;
	return impb_gs1_modules(in->zip, in->tracking, b->modules, sizeof(b->modules), b->hri,
				sizeof(b->hri), err);
}

void label_address_lines(struct label_address *a, char *buf, size_t buflen, const char *name,
			 const char *company, const char *line1, const char *line2,
			 const char *city, const char *state, const char *zip)
{
	size_t n = 0;
	memset(a, 0, sizeof(*a));
	const char *parts[] = { name, company, line1, line2 };
	for (size_t i = 0; i < 4; i++)
		if (parts[i] && *parts[i])
			a->lines[n++] = parts[i];
	if (buflen && (city || state || zip)) {
		snprintf(buf, buflen, "%s%s%s%s%s", city ? city : "", city && *city ? " " : "",
			 state ? state : "", state && *state ? " " : "", zip ? zip : "");
		a->lines[n++] = buf;
	}
}

static void lines(struct lcanvas *c, double x, double y, double size, double lead,
		  const struct label_address *a, bool bold_first)
{
	for (size_t i = 0; i < LABEL_LINES && a->lines[i]; i++)
		lc_text(c, x, y + lead * (double)i, size, bold_first && i == 0, a->lines[i]);
}

/* rule, banner, bars, the number in blocks of four, rule: centred in [x, x + w] */
static double impb_block(struct lcanvas *c, double x, double y, double w, const struct barcode *b)
{
	double bw = lc_bars_width(b->modules, GS1_X);
	lc_line(c, x, y, x + w, y, 2.5, false);
	double banner_w = lc_text_width(c, 12, true, b->banner);
	double hri_w = lc_text_width(c, 11, true, b->hri);
	lc_text(c, x + (w - banner_w) / 2, y + 0.25, 12, true, b->banner);
	lc_bars(c, x + (w - bw) / 2, y + 0.35, GS1_H, GS1_X, b->modules);
	lc_text(c, x + (w - hri_w) / 2, y + 0.35 + GS1_H + 0.2, 11, true, b->hri);
	lc_line(c, x, y + 0.35 + GS1_H + 0.32, x + w, y + 0.35 + GS1_H + 0.32, 2.5, false);
	return 0.35 + GS1_H + 0.32;
}

/* the endorsements printed on the piece for its extra services */
static size_t endorsements(const struct mail_class *mc, const char *out[4])
{
	size_t n = 0;
	out[n++] = mc->fees & FEE_REGISTERED ? "REGISTERED MAIL\u2122" : "CERTIFIED MAIL\u00ae";
	if (mc->fees & FEE_RR_HARDCOPY)
		out[n++] = "RETURN RECEIPT REQUESTED";
	if (mc->fees & FEE_RR_ELECTRONIC)
		out[n++] = "RETURN RECEIPT (ELECTRONIC)";
	if (mc->fees & FEE_RESTRICTED)
		out[n++] = "RESTRICTED DELIVERY";
	return n;
}

static void money(char *out, size_t len, long long cents)
{
	if (cents < 0)
		snprintf(out, len, "$");
	else
		snprintf(out, len, "$ %lld.%02lld", cents / 100, cents % 100);
}

/* a receipt line: caption left, amount right-aligned at xr */
static void fee_line(struct lcanvas *c, double x, double xr, double y, const char *caption,
		     long long cents, bool box, bool checked)
{
	char amount[32];
	money(amount, sizeof(amount), cents);
	if (box) {
		lc_checkbox(c, x, y - 0.1, 0.11, checked);
		lc_text(c, x + 0.18, y, 8, false, caption);
	} else {
		lc_text(c, x, y, 8.5, true, caption);
	}
	lc_text(c, xr - lc_text_width(c, 8.5, false, amount), y, 8.5, false, amount);
	lc_line(c, x, y + 0.06, xr, y + 0.06, 0.4, false);
}

/* the sender's receipt, after PS Form 3800 "Certified Mail Receipt" (impb_certified.md §4.4) */
static void receipt_3800(struct lcanvas *c, const struct label_input *in, const struct barcode *b)
{
	const struct mail_class *mc = in->mc;
	bool registered = mc->fees & FEE_REGISTERED;
	double x = 0.5, y = 5.5, w = 7.5, h = 5.0, r = 2.55, xr = 7.8;
	lc_rect(c, x, y, w, h, 1);
	/* the stub: what goes on the piece when the receipt is kept */
	lc_line(c, x + 1.9, y, x + 1.9, y + h, 0.8, true);
	lc_text(c, x + 0.15, y + 0.35, 10, true, registered ? "REGISTERED MAIL\u2122" : "CERTIFIED MAIL\u00ae");
	lc_text(c, x + 0.15, y + 0.55, 7, false, "Article number");
	char a[24], bk[24];
	/* the number in two lines of blocks, as the stub prints it along its length */
	snprintf(a, sizeof(a), "%.14s", b->hri);
	snprintf(bk, sizeof(bk), "%s", strlen(b->hri) > 15 ? b->hri + 15 : "");
	lc_text(c, x + 0.15, y + 0.75, 10, true, a);
	lc_text(c, x + 0.15, y + 0.93, 10, true, bk);
	lc_text(c, x + 0.15, y + 1.3, 7, false, "Mailing");
	lc_text(c, x + 0.15, y + 1.45, 7, false, in->mailing_id);
	lc_text(c, x + 0.15, y + 1.6, 7, false, in->date);
	if (in->reference) {
		lc_text(c, x + 0.15, y + 1.85, 7, false, "Reference");
		lc_text(c, x + 0.15, y + 2.0, 7, false, in->reference);
	}
	lc_text(c, x + 0.15, y + h - 0.2, 6, false, "Sender: keep this receipt.");

	lc_text(c, r, y + 0.3, 8, false, "U.S. Postal Service\u2122");
	lc_text(c, r, y + 0.55, 14, true, registered ? "REGISTERED MAIL\u2122 RECEIPT"
						 : "CERTIFIED MAIL\u00ae RECEIPT");
	lc_text(c, r, y + 0.75, 8, false, "Domestic Mail Only");
	lc_text(c, r, y + 0.9, 7, false, "For delivery information, visit our website at www.usps.com\u00ae");
	double ly = y + 1.2;
	fee_line(c, r, xr, ly, registered ? "Registered Mail Fee" : "Certified Mail Fee",
		 in->fees.service, false, false);
	lc_text(c, r, ly + 0.22, 7.5, false, "Extra Services & Fees (check box, add fee as appropriate)");
	bool hard = mc->fees & FEE_RR_HARDCOPY, elec = mc->fees & FEE_RR_ELECTRONIC;
	bool rd = mc->fees & FEE_RESTRICTED;
	fee_line(c, r + 0.1, xr, ly + 0.42, "Return Receipt (hardcopy)",
		 hard ? in->fees.return_receipt : -1, true, hard);
	fee_line(c, r + 0.1, xr, ly + 0.6, "Return Receipt (electronic)",
		 elec ? in->fees.return_receipt : -1, true, elec);
	fee_line(c, r + 0.1, xr, ly + 0.78,
		 registered ? "Registered Mail Restricted Delivery" : "Certified Mail Restricted Delivery",
		 rd ? in->fees.restricted : -1, true, rd);
	fee_line(c, r + 0.1, xr, ly + 0.96, "Adult Signature Required", -1, true, false);
	fee_line(c, r + 0.1, xr, ly + 1.14, "Adult Signature Restricted Delivery", -1, true, false);
	fee_line(c, r, xr, ly + 1.42, "Postage", in->fees.postage, false, false);
	fee_line(c, r, xr, ly + 1.67, "Total Postage and Fees", in->fees.total, false, false);
	double sy = ly + 1.95;
	lc_text(c, r, sy, 7, false, "Sent To");
	lines(c, r, sy + 0.18, 9, 0.15, &in->to, true);
	/* the post office's round date stamp goes here */
	lc_rect(c, 6.35, sy - 0.1, 1.45, 1.2, 0.6);
	lc_text(c, 6.55, sy + 0.55, 8, false, "Postmark Here");
	lc_text(c, r, y + h - 0.12, 6, false, "Receipt in the style of PS Form 3800 - printed by the sender");
}

static void label_page(struct lcanvas *c, const struct label_input *in, const struct barcode *b)
{
	const char *endorse[4];
	size_t ne = endorsements(in->mc, endorse);
	lc_text(c, 0.5, 0.55, 9, true, in->mc->fees & FEE_REGISTERED ? "REGISTERED MAIL LABEL"
								      : "CERTIFIED MAIL LABEL");
	lc_text(c, 2.35, 0.55, 7, false, "Cut along the dashed line and attach above the address, "
					   "right of the return address.");
	lc_rect(c, 0.5, 0.75, 7.5, 4.25, 1.2);
	lc_text(c, 0.7, 1.0, 7, false, "FROM:");
	lines(c, 0.7, 1.17, 9, 0.15, &in->from, false);
	for (size_t i = 0; i < ne; i++)
		lc_text(c, 4.7, 1.05 + 0.2 * (double)i, i ? 9 : 11, true, endorse[i]);
	if (in->reference) {
		char ref[160];
		snprintf(ref, sizeof(ref), "Ref: %.140s", in->reference);
		lc_text(c, 4.7, 1.05 + 0.2 * (double)ne + 0.05, 7, false, ref);
	}
	double used = impb_block(c, 0.5, 2.05, 7.5, b);
	double ty = 2.05 + used + 0.3;
	lc_text(c, 0.9, ty, 7, false, "TO:");
	lines(c, 0.9, ty + 0.2, 11, 0.18, &in->to, true);
	lc_line(c, 0.25, 5.25, 8.25, 5.25, 0.8, true);
	receipt_3800(c, in, b);
}

/* PS Form 3811 "Domestic Return Receipt" (impb_certified.md §4.5): front and back */
static void card_3811(struct lcanvas *c, const struct label_input *in, const struct barcode *b)
{
	const struct mail_class *mc = in->mc;
	double x = 0.5, y = 0.75, h = 4.25, mid = 4.35;
	lc_text(c, 0.5, 0.55, 9, true, "RETURN RECEIPT CARD (front)");
	lc_rect(c, x, y, 7.5, h, 1.2);
	lc_line(c, mid, y, mid, y + h, 0.8, false);
	lc_text(c, x + 0.15, y + 0.25, 9, true, "SENDER: COMPLETE THIS SECTION");
	lc_text(c, x + 0.15, y + 0.45, 7, false, "\u2022 Complete items 1, 2, and 3.");
	lc_text(c, x + 0.15, y + 0.58, 7, false, "\u2022 Print your name and address on the reverse.");
	lc_text(c, x + 0.15, y + 0.71, 7, false, "\u2022 Attach this card to the back of the mailpiece,");
	lc_text(c, x + 0.25, y + 0.82, 7, false, "or on the front if space permits.");
	lc_text(c, x + 0.15, y + 1.05, 7.5, true, "1. Article Addressed to:");
	lines(c, x + 0.3, y + 1.25, 8.5, 0.14, &in->to, false);
	lc_text(c, x + 0.15, y + 2.25, 7.5, true, "2. Article Number (Transfer from service label)");
	lc_text(c, x + 0.3, y + 2.48, 10, true, b->hri);
	lc_text(c, x + 0.15, y + 2.75, 7.5, true, "3. Service Type");
	static const struct {
		const char *text;
		unsigned fees;
	} types[] = {
		{ "Certified Mail\u00ae", FEE_CERTIFIED },
		{ "Certified Mail Restricted Delivery", FEE_CERTIFIED | FEE_RESTRICTED },
		{ "Registered Mail\u2122", FEE_REGISTERED },
		{ "Registered Mail Restricted Delivery", FEE_REGISTERED | FEE_RESTRICTED },
	};
	unsigned mine = mc->fees & (FEE_CERTIFIED | FEE_REGISTERED | FEE_RESTRICTED);
	for (size_t i = 0; i < 4; i++) {
		double ty = y + 2.95 + 0.2 * (double)i;
		lc_checkbox(c, x + 0.3, ty - 0.1, 0.11, types[i].fees == mine);
		lc_text(c, x + 0.48, ty, 7.5, false, types[i].text);
	}
	double rx = mid + 0.15;
	lc_text(c, rx, y + 0.25, 9, true, "COMPLETE THIS SECTION ON DELIVERY");
	lc_text(c, rx, y + 0.5, 7.5, true, "A. Signature");
	lc_rect(c, rx, y + 0.58, 2.4, 0.55, 0.6);
	lc_checkbox(c, rx + 2.5, y + 0.65, 0.11, false);
	lc_text(c, rx + 2.65, y + 0.75, 7, false, "Agent");
	lc_checkbox(c, rx + 2.5, y + 0.88, 0.11, false);
	lc_text(c, rx + 2.65, y + 0.98, 7, false, "Addressee");
	lc_text(c, rx, y + 1.4, 7.5, true, "B. Received by (Printed Name)");
	lc_line(c, rx, y + 1.7, rx + 2.1, y + 1.7, 0.5, false);
	lc_text(c, rx + 2.25, y + 1.4, 7.5, true, "C. Date of Delivery");
	lc_line(c, rx + 2.25, y + 1.7, rx + 3.45, y + 1.7, 0.5, false);
	lc_text(c, rx, y + 2.0, 7.5, true, "D. Is delivery address different from item 1?");
	lc_checkbox(c, rx + 2.9, y + 1.9, 0.11, false);
	lc_text(c, rx + 3.05, y + 2.0, 7, false, "Yes");
	lc_text(c, rx, y + 2.2, 7, false, "If YES, enter delivery address below:");
	lc_checkbox(c, rx + 2.9, y + 2.1, 0.11, false);
	lc_text(c, rx + 3.05, y + 2.2, 7, false, "No");
	lc_rect(c, rx, y + 2.35, 3.45, 0.9, 0.5);
	lc_text(c, x + 0.15, y + h - 0.12, 6, false,
		"Card in the style of PS Form 3811, Domestic Return Receipt - printed by the sender");

	lc_line(c, 0.25, 5.25, 8.25, 5.25, 0.8, true);
	lc_text(c, 0.5, 5.55, 9, true, "RETURN RECEIPT CARD (back)");
	lc_rect(c, 0.5, 5.75, 7.5, 4.25, 1.2);
	lc_rect(c, 5.9, 5.95, 1.9, 0.85, 0.6);
	lc_text(c, 6.0, 6.15, 7, true, "First-Class Mail");
	lc_text(c, 6.0, 6.3, 7, false, "Postage & Fees Paid");
	lc_text(c, 6.0, 6.45, 7, false, "USPS");
	lc_text(c, 6.0, 6.6, 7, false, "Permit No. G-10");
	lc_text(c, 0.7, 6.2, 7, false, "USPS TRACKING # (article)");
	lc_text(c, 0.7, 6.4, 10, true, b->hri);
	lc_text(c, 1.2, 7.3, 8, true, "Sender: Please print your name, address, and ZIP+4\u00ae in this box");
	lc_rect(c, 1.2, 7.4, 5.0, 1.6, 0.8);
	lines(c, 1.4, 7.7, 11, 0.2, &in->from, true);
}

/* one sheet in front of the letter, folded in thirds: the top panel shows in the window */
static void cover_page(struct lcanvas *c, const struct label_input *in, const struct barcode *b)
{
	const char *endorse[4];
	size_t ne = endorsements(in->mc, endorse);
	lc_text(c, 0.7, 0.8, 7, false, "FROM:");
	lines(c, 0.7, 0.95, 8, 0.13, &in->from, false);
	impb_block(c, 4.0, 0.72, 3.9, b);
	for (size_t i = 1; i < ne; i++)
		lc_text(c, 4.0, 2.3 + 0.15 * (double)(i - 1), 8, true, endorse[i]);
	lines(c, 0.9, 2.15, 11, 0.18, &in->to, true);
	/* fold lines: thirds of the sheet */
	lc_line(c, 0.25, PAGE_H / 3, 8.25, PAGE_H / 3, 0.5, true);
	lc_line(c, 0.25, 2 * PAGE_H / 3, 8.25, 2 * PAGE_H / 3, 0.5, true);
	lc_text(c, 0.7, 4.2, 10, true, "Certified mail cover sheet");
	lc_text(c, 0.7, 4.45, 8, false, "Put this sheet in front of the letter and fold in thirds on the "
					 "dashed lines, so that the top panel");
	lc_text(c, 0.7, 4.6, 8, false, "shows through the 3 x 8 in window of a #10 certified-mail "
				       "envelope. Keep the receipt from the label.");
	char line[200];
	snprintf(line, sizeof(line), "Mailing %s - %s", in->mailing_id ? in->mailing_id : "",
		 in->mc->description);
	lc_text(c, 0.7, 4.9, 8, false, line);
	if (in->reference) {
		snprintf(line, sizeof(line), "Reference: %.160s", in->reference);
		lc_text(c, 0.7, 5.05, 8, false, line);
	}
}

int label_pdf(const struct label_input *in, enum label_format format, unsigned char **out,
	      size_t *len, unsigned *pages, struct api_error *err)
{
	struct barcode b;
	struct lcanvas c[2];
	size_t n = 1;
	memset(c, 0, sizeof(c));
	c[0].w = c[1].w = PAGE_W;
	c[0].h = c[1].h = PAGE_H;
	if (!in->mc || make_barcode(in, &b, err) < 0)
		return in->mc ? -1 : api_fail(err, ERR_INTERNAL, "no mail class");
	if (format == LABEL_COVER_SHEET) {
		cover_page(&c[0], in, &b);
	} else {
		label_page(&c[0], in, &b);
		if (in->mc->fees & FEE_RR_HARDCOPY) {
			card_3811(&c[1], in, &b);
			n = 2;
		}
	}
	int rc = lc_write(c, n, out, len, err);
	lc_release(&c[0]);
	lc_release(&c[1]);
	*pages = rc == 0 ? (unsigned)n : 0;
	return rc;
}

static void row(struct lcanvas *c, double y, const char *caption, const char *value)
{
	lc_text(c, 0.9, y, 9, true, caption);
	lc_text(c, 2.9, y, 10, false, value ? value : "-");
}

int label_return_receipt_pdf(const struct label_input *in, const struct label_delivery *d,
			     unsigned char **out, size_t *len, struct api_error *err)
{
	struct barcode b;
	struct lcanvas c = { .w = PAGE_W, .h = PAGE_H };
	if (!in->mc || make_barcode(in, &b, err) < 0)
		return in->mc ? -1 : api_fail(err, ERR_INTERNAL, "no mail class");
	char when[40] = "-";
	if (d->time && strlen(d->time) >= 16)	/* "2026-03-06T14:30:00.000Z" → date and time */
		snprintf(when, sizeof(when), "%.10s at %.5s UTC", d->time, d->time + 11);
	lc_text(&c, 0.9, 1.0, 18, true, "Return Receipt (Electronic)");
	lc_text(&c, 0.9, 1.3, 10, false, "Proof of delivery of a USPS extra-services mailpiece");
	lc_line(&c, 0.9, 1.5, 7.6, 1.5, 1, false);
	row(&c, 1.9, "Tracking number", b.hri);
	row(&c, 2.15, "Service", in->mc->description);
	row(&c, 2.4, "Status", "Delivered");
	row(&c, 2.65, "Delivered", when);
	row(&c, 2.9, "Delivery location", d->location && *d->location ? d->location : "-");
	row(&c, 3.15, "USPS status text", d->notes);
	row(&c, 3.4, "Mailing", in->mailing_id);
	if (in->reference)
		row(&c, 3.65, "Reference", in->reference);
	lc_text(&c, 0.9, 4.1, 9, true, "Addressee");
	lines(&c, 2.9, 4.1, 10, 0.17, &in->to, false);
	lc_text(&c, 0.9, 5.3, 9, true, "Sender");
	lines(&c, 2.9, 5.3, 10, 0.17, &in->from, false);
	lc_text(&c, 0.9, 6.6, 9, true, "Signature of recipient");
	lc_rect(&c, 2.9, 6.4, 4.7, 0.9, 0.6);
	lc_text(&c, 3.0, 6.7, 7.5, false, "USPS keeps the recipient's signature (PS Form 3849). The");
	lc_text(&c, 3.0, 6.85, 7.5, false, "tracking data this receipt is made from carries no signature");
	lc_text(&c, 3.0, 7.0, 7.5, false, "image, so none is reproduced here.");
	impb_block(&c, 1.5, 7.8, 5.5, &b);
	lc_text(&c, 0.9, 10.3, 7, false, "Made by Frank from the USPS tracking events of this mailing. "
					 "Not a USPS document.");
	int rc = lc_write(&c, 1, out, len, err);
	lc_release(&c);
	return rc;
}
