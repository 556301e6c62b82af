/* API-key authentication: finds the key in the request and resolves it to account and mode. */
#ifndef FRANK_AUTH_H
#define FRANK_AUTH_H
#include <stddef.h>
#include "core/err.h"
#include "http/req.h"

/*
 * The key from `Authorization: Basic base64(KEY:)` (Lob's way), `Authorization: Bearer KEY`
 * or `X-API-Key: KEY`, copied into out; 0, or 1 if the request carries none, -1 if a
 * header is malformed.
 */
int auth_extract_key(const struct req_headers *h, char *out, size_t outlen);

/*
 * fills rq->key and rq->scope (for an operator key: key.type KEY_TYPE_OPERATOR, no account,
 * rq->operator_id); -1 with a 401 error for a missing or unknown key
 */
int auth_authenticate(struct req *rq, struct api_error *err);
#endif
