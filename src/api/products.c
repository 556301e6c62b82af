// SPDX-License-Identifier: AGPL-3.0-or-later
/* The products a creative designs (api/products.h): their prepare functions and details. */
#include "api/products.h"
#include "api/letters.h"
#include <string.h>

/* spec: the creative_writable variants' details (letter: writable-2) */
static const char *const letter_details[] = { "address_placement", "add_on_types", "buckslips",
					      "cards", "color", "custom_envelope", "double_sided",
					      "extra_service", "mail_type", "qr_code", NULL };
static const char *const postcard_details[] = { "mail_type", "size", "qr_code", "color", NULL };
static const char *const self_mailer_details[] = { "mail_type", "size", "qr_code", "color",
						   NULL };

static const struct product products[] = {
	{ "letter", letter_prepare, letter_details, true },
	{ "postcard", postcard_prepare, postcard_details, true },
	{ "self_mailer", self_mailer_prepare, self_mailer_details, true },
};

const char *const product_types[] = { "letter", "postcard", "self_mailer", NULL };

const struct product *product_find(const char *type)
{
	for (size_t i = 0; type && i < sizeof(products) / sizeof(products[0]); i++)
		if (strcmp(products[i].type, type) == 0)
			return &products[i];
	return NULL;
}
