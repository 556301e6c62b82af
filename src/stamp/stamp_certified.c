// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The certified (or registered) cover sheet: the return address and the recipient with the
 * IMb where the window shows them, and the IMpb block — banner, GS1-128 barcode of
 * (420)ZIP + tracking number, the number in USPS's 4-digit groups, rules above and below
 * (impb_certified.md §4.4) — plus the return-receipt endorsement when one was bought.
 * Layouts: product_certified_layout (#10 certified window, or stacked for the flat).
 */
#include "stamp/stamp_internal.h"
#include "barcode/impb.h"
#include <string.h>

#define GS1_QUIET_MODULES 10	/* GS1-128 quiet zone each side */
#define GS1_MIN_X_IN 0.010	/* narrower modules would not print reliably */

/* the module count of a barcode given as widths */
static unsigned module_sum(const char *modules)
{
	unsigned n = 0;
	for (const char *m = modules; *m >= '1' && *m <= '9'; m++)
		n += (unsigned)(*m - '0');
	return n;
}

int stamp_draw_cover(struct canvas *c, const struct stamp_request *rq,
		     const struct envelope *env, struct api_error *err)
{
	struct certified_layout l;
	product_certified_layout(env->kind, &l);
	bool flat = env->kind == ENVELOPE_FLAT_9X12;
	char modules[1024] = "", hri[64] = "";
	bool has_pic = rq->tracking_number && *rq->tracking_number;
	bool registered = strcmp(rq->extra_service, "registered") == 0;
	const struct impb_stc *row = NULL;
	if (has_pic) {
		if (!rq->recipient_zip)
			return api_fail(err, ERR_INVALID, "the certified barcode needs the "
					"recipient's ZIP code");
		if (impb_gs1_modules(rq->recipient_zip, rq->tracking_number, modules,
				     sizeof(modules), hri, sizeof(hri), err) < 0)
			return -1;
		/* the banner follows the service type of the number printed (digits 3-5) */
		char stc[4] = { rq->tracking_number[2], rq->tracking_number[3],
				rq->tracking_number[4], '\0' };
		row = impb_stc_lookup(stc);
	} else if (!registered) {
		return api_fail(err, ERR_INVALID, "a certified letter needs its tracking number");
	}
	if (!row) {
		const char *stc = impb_stc_for_extra_service(rq->extra_service);
		row = stc ? impb_stc_lookup(stc) : NULL;
	}
	const char *banner = row ? row->banner
				 : registered ? "USPS REGISTERED MAIL" : "USPS CERTIFIED MAIL";

	cv_lines(c, l.from, rq->from, STAMP_LINES, FONT_REGULAR, 8);
	cv_imb(c, l.imb.x, l.imb.y, rq->imb_bars);
	cv_lines(c, l.to, rq->to, STAMP_LINES, FONT_REGULAR, 10);

	/* the IMpb block, stacked from the top of l.banner */
	double banner_pt = flat ? 9 : 11, hri_pt = flat ? 8 : 10, note_pt = flat ? 6.5 : 8;
	double gap = flat ? 0.03 : 0.04, x = l.banner.x, w = l.banner.w, y = l.banner.y;
	cv_line(c, x, y, x + w, y, 1.5, 0, 0);
	y += gap;
	cv_text_fit(c, FONT_BOLD, banner_pt, x, y + banner_pt * 0.8 / 72, w, banner);
	y += banner_pt * 1.2 / 72 + gap;
	if (has_pic) {
		unsigned n = module_sum(modules);
		double xd = l.x_dim;
		if ((n + 2 * GS1_QUIET_MODULES) * xd > w)
			xd = w / (n + 2 * GS1_QUIET_MODULES);
		if (xd < GS1_MIN_X_IN)
			return api_fail(err, ERR_INVALID, "the tracking number is too long to print");
		cv_modules(c, x + (w - n * xd) / 2, y, modules, xd, l.bar_h);
		y += l.bar_h + gap;
		cv_text_center(c, FONT_BOLD, hri_pt, x + w / 2, y + hri_pt * 0.8 / 72, hri);
	} else {
		/* registered numbers come later: the post office's label goes here */
		cv_stroke(c, (struct rect_in){ x, y, w, l.bar_h }, 0.5, 0.5);
		cv_text_center(c, FONT_REGULAR, note_pt, x + w / 2, y + l.bar_h / 2,
			       "REGISTERED MAIL LABEL");
		y += l.bar_h + gap;
	}
	y += hri_pt * 1.2 / 72;
	cv_line(c, x, y, x + w, y, 1.5, 0, 0);
	y += gap;
	if (strcmp(rq->extra_service, "certified_return_receipt") == 0)
		cv_text_fit(c, FONT_BOLD, note_pt, x, y + note_pt * 0.8 / 72, w,
			    "RETURN RECEIPT (ELECTRONIC) REQUESTED");
	return 0;
}
