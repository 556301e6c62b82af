// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A campaign creative's preview (docs/internals/campaigns.md): the design rendered as one of
 * its pieces would be — same sources, product size, stamping (the address block shows the
 * placeholder recipient the design was checked with and a sample IMb) and thumbnails — with empty
 * merge variables. Creating a creative stores its render input (a `piece_input` named after
 * the creative, as a piece's is) and queues a `creative.preview` job whose payload is the
 * checked piece; the job writes the PDF and PNGs as assets and records their keys in the
 * creative's private field CREATIVE_PREVIEW. Reads turn them into signed links
 * (`template_previews`, `template_preview_urls`). A design the renderer refuses records the
 * refusal there instead (Lob's failure code and message).
 */
#ifndef FRANK_MAIL_CREATIVE_PREVIEW_H
#define FRANK_MAIL_CREATIVE_PREVIEW_H
#include "jobs/jobs.h"
#include "mail/render_piece.h"
#include "store/store.h"

#define JOB_CREATIVE_PREVIEW "creative.preview"
#define CREATIVE_PREVIEW "_preview"	/* {"pdf": key, "pages": [[small, medium, large]]} or
					 * {"failure_reason", "remediation"} */

/* the change (in the creative's own change set) that queues its preview; piece_json is
 * the design as a checked piece (its product fields and placeholder recipient) */
void creative_preview_job_change(struct store_change *ch, const struct store_scope *sc,
				 const char *creative_id, const char *piece_json, long long now_ms);

/* registers the kind and its one-thread pool (env outlives j). 0 or -1 */
int creative_preview_register(struct jobs *j, const struct render_env *env);
#endif
