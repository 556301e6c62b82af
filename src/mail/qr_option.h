// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Lob's `qr_code` option (spec: components/schemas/qr_code): a QR code stamped at a position
 * on chosen pages. Validated at create; placed at render time.
 */
#ifndef FRANK_MAIL_QR_OPTION_H
#define FRANK_MAIL_QR_OPTION_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"

#define QR_PAGES_MAX 120	/* letters: 120 pages double-sided */

struct qr_option {
	double x_in, y_in;	/* top-left corner, from the page's top-left */
	double width_in;
	bool page[QR_PAGES_MAX + 1];	/* 1-based */
};

/*
 * checks v as Lob's qr_code for a page of page_w × page_h inches: position "relative",
 * redirect_url, width ≥ 1", one of top/bottom and one of left/right, inside the page, pages
 * "1,3,5-7" (letters). Returns a new reference to the value to store, or NULL with *err.
 */
json_t *qr_option_check(const json_t *v, double page_w, double page_h, struct api_error *err);
/*
 * as qr_option_check for a product (kind): postcards name their pages "front", "back" or
 * "front,back", self-mailers "inside", "outside" or "inside,outside" (pages 1 and 2);
 * letters and booklets (NULL names) page numbers
 */
json_t *qr_option_check_kind(const json_t *v, const char *kind, double page_w, double page_h,
			     struct api_error *err);
/* the side names of kind's pages (NULL-terminated), or NULL: page numbers */
const char *const *qr_page_names(const char *kind);
/* the stored value → placement (already checked) */
void qr_option_place(const json_t *v, double page_w, double page_h, struct qr_option *out);
#endif
