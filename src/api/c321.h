// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The 321certified-style certified-mail API at /api/v1 (after 321certified's public API docs),
 * served beside Lob's v1 on the same data: a mailing is a certified (or registered) letter.
 * Its rows go through the one router with route_profile_321 (http/route.h): credentials
 * (API keys "321m_…" with permissions, or session tokens for key management), X-RateLimit-*
 * headers, errors as {"error":{"message","code","status"}}. docs/internals/certified321.md.
 *
 * The handlers live in c321_account.c (sessions, API keys), c321_mailings.c, c321_docs.c
 * (label, tracking, return receipt), c321_pricing.c and c321_addresses.c.
 */
#ifndef FRANK_API_C321_H
#define FRANK_API_C321_H
#include <stdbool.h>
#include <jansson.h>
#include "api/fields.h"
#include "c321/pricing.h"
#include "core/err.h"
#include "http/req.h"
#include "http/response.h"
#include "http/route.h"
#include "store/store.h"

/* ---- for the handlers (answers: respond_json, which writes this API's shape) ---- */

/* bytes as the response (a PDF) */
int c321_respond_bytes(struct req *rq, const char *type, const unsigned char *data, size_t len);
/* sets *err as a 400 bad_request and returns -1 */
int c321_bad_request(struct api_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* fields_validate, with a failure answered as 400 bad_request */
int c321_validate(const struct field *fields, const json_t *body, struct req *rq, json_t *out,
		  struct api_error *err);

/* the prices in force for this request (the table is re-read when its file changes) */
struct c321_prices {
	const struct price_table *table;	/* valid until the request ends */
	struct service_fee fee;
	char date[PRICE_DATE_LEN + 1];		/* today, UTC */
};
int c321_prices(struct req *rq, struct c321_prices *out, struct api_error *err);

/* the address shape of mailings (name, company, street1, street2, city, state, zip) */
extern const struct field c321_mailing_address_fields[];
/* address verification for sending: 0, or -1 with a 422 naming field and the reason */
int c321_address_check(struct req *rq, const json_t *address, const char *field,
		       struct api_error *err);

/* a mailing id is its letter's id ("ltr_" + 16 hex): true when id has that form */
bool c321_mailing_id_ok(const char *id);
/*
 * The mailing id of this key's account and mode: its letter (*letter) and side record
 * (*side, NULL for letters made through /v1/letters), both owned by the request. 0, or -1
 * with a 404 when there is no such letter or it has no extra service.
 */
int c321_mailing_load(struct req *rq, const char *id, json_t **letter, json_t **side,
		      struct api_error *err);

#endif
