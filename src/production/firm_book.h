// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * PS Form 3877 "Firm Mailing Book for Accountable Mail", a computer-generated facsimile per
 * run (the production reference, §5): on each landscape page the sender's name and address,
 * up to 8 numbered articles — article (tracking) number, addressee name and address, postage,
 * fees (certified, return receipt, registered, handling) — the page's totals, "Total Number of
 * Pieces Listed by Sender", a blank "Total Number of Pieces Received at Post Office", the
 * "Postmaster, Per" signature box and a round-date area; "page n of m". Registered articles
 * are listed on their own pages (the guide: not with other classes), in duplicate (one copy
 * the mailer's receipt, one the Post Office's acceptance record). Under three articles, the
 * foot says to present PS Form 3800 receipts instead (the form is for three or more). A privately printed
 * facsimile needs the local postmaster's written approval (DMM 503.1.10).
 * Drawn as HTML by MuPDF's fz_story (render/mupdf): its fonts are embedded.
 */
#ifndef FRANK_PRODUCTION_FIRM_BOOK_H
#define FRANK_PRODUCTION_FIRM_BOOK_H
#include <jansson.h>
#include <stdbool.h>
#include "core/err.h"
#include "production/manifest.h"

/* the extra services whose articles go on the 3877 */
bool firm_book_accountable(const char *extra_service);

/*
 * Writes "firm_book_3877.pdf" into out_dir when the run has accountable pieces (listed in
 * files_out as kind firm_book_3877); nothing when it has none. An accountable piece without
 * a tracking number fails with the piece named. 0 or -1 with *err.
 */
int firm_book_write(const struct manifest_opts *o, const json_t *run, const char *out_dir,
		    json_t *files_out, struct api_error *err);
#endif
