// SPDX-License-Identifier: AGPL-3.0-or-later
/* Writing responses. The only place that writes error JSON, in the request profile's shape. */
#ifndef FRANK_RESPONSE_H
#define FRANK_RESPONSE_H
#include <jansson.h>
#include "core/err.h"
#include "http/req.h"

/* serialises body (borrowed) as the response; always returns 0 */
int respond_json(struct req *rq, int status, const json_t *body);
/* the error in the shape of rq's profile (route.h: Lob's, /api/v1's); 500s: a generic message */
void respond_error(struct req *rq, const struct api_error *err);
/* the same error object as a value (new reference), for errors inside bulk results */
json_t *api_error_json(const struct api_error *err);
#endif
