// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Creatives (/v1/creatives) and what a campaign's send takes from them: the body a piece of
 * the creative's product is created from.
 */
#ifndef FRANK_API_CREATIVES_H
#define FRANK_API_CREATIVES_H
#include <jansson.h>
#include "api/resource.h"

extern const struct resource creative_res;

/*
 * The design part of a POST /v1/<product> body for a stored creative: its details (Lob's
 * add-ons that are always empty dropped), its content fields (file; front and back; inside
 * and outside) and its from address (by id). A new reference.
 */
json_t *creative_design_body(const json_t *creative, const char *data_dir);
/* a creative's private record of its uploaded sides: {side: {"asset", "filename",
 * "content_type"}}; data_dir above reads their bytes */
#define CREATIVE_FILES "_files"

/* stored creative id checked again as its piece would be (its template or return address may
 * be gone since): 0, or -1 with the product's error */
int creative_check_stored(struct req *rq, const char *id, struct api_error *err);
#endif
