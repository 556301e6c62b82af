// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What the stampers share (internal to src/stamp/stamp*.c): one job per stamp_piece call,
 * holding the document and every canvas so that one fz_always frees them whatever throws.
 * Functions returning int give 0, or -1 with *err; any of them may throw MuPDF errors.
 */
#ifndef FRANK_STAMP_STAMP_INTERNAL_H
#define FRANK_STAMP_STAMP_INTERNAL_H
#include "stamp/stamp.h"
#include "stamp/stamp_draw.h"

#define STAMP_MAX_CANVASES 6

struct stamp_job {
	fz_context *ctx;
	pdf_document *doc;
	const struct stamp_request *rq;
	const struct product_size *p;
	struct stamp_result *res;
	struct canvas cv[STAMP_MAX_CANVASES];
	int ncv;
};

/* a fresh canvas of the product's artboard, freed with the job (throws when all are used) */
struct canvas *stamp_canvas(struct stamp_job *j);

/* the address block: white box, return address, IMb, recipient */
void stamp_draw_block(struct canvas *c, const struct address_layout *l,
		      const struct stamp_request *rq);

/* QR codes on the customer's pages 1..count, which start at page index first */
int stamp_qr_pages(struct stamp_job *j, int first, int count, struct api_error *err);

/* the certified / registered cover sheet's content for env */
int stamp_draw_cover(struct canvas *c, const struct stamp_request *rq,
		     const struct envelope *env, struct api_error *err);

/* the product's address block on page index (ink-free zone or window block) */
int stamp_block_on(struct stamp_job *j, int index, const char *placement,
		   struct api_error *err);

int stamp_letter(struct stamp_job *j, struct api_error *err);
int stamp_postcard(struct stamp_job *j, struct api_error *err);
int stamp_self_mailer(struct stamp_job *j, struct api_error *err);	/* + booklets */
int stamp_snap_pack(struct stamp_job *j, struct api_error *err);
/* checks make their own document: j->doc is NULL on entry */
int stamp_check(struct stamp_job *j, const unsigned char *attachment, size_t len,
		struct api_error *err);
#endif
