// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The mail products a campaign's creative can design, each validated and built by its own
 * resource's rules (POST /v1/letters, /v1/postcards, /v1/self_mailers): a creative is checked
 * as its piece would be, and a send builds each piece through the same function.
 */
#ifndef FRANK_API_PRODUCTS_H
#define FRANK_API_PRODUCTS_H
#include "api/pieces.h"

/* as letter_prepare (api/letters.h): validates rq->body_json into p, nothing stored yet */
typedef int (*piece_prepare_fn)(struct req *rq, struct piece *p, struct api_error *err);

int postcard_prepare(struct req *rq, struct piece *p, struct api_error *err);
int self_mailer_prepare(struct req *rq, struct piece *p, struct api_error *err);

struct product {
	const char *type;		/* a creative's resource_type: "letter" */
	piece_prepare_fn prepare;
	/* its content fields are its sides in core/mail_product.h */
	const char *const *details;	/* the fields a creative's details may carry */
	bool from_required;		/* the spec's creative response requires from */
};

/* the product of resource_type, or NULL */
const struct product *product_find(const char *type);
/* Lob's resource_type values, for the field table */
extern const char *const product_types[];
#endif
