// SPDX-License-Identifier: AGPL-3.0-or-later
/* Postage and fees per piece from one price table (see postage.h). */
#include "production/postage.h"
#include "production/weight.h"
#include "core/mail_product.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * USPS prices effective 2025-07-13, from the reference's prices_usps.csv (row named after each
 * line). "official" = USPS Link 2025-07-14 "USPS adjusts prices"
 * (https://news.usps.com/2025/07/14/usps-adjusts-prices); "secondary" = legalclarity.org citing
 * Notice 123. Notice 123 itself was not read: check against it before relying on a total.
 */
static const struct postage_prices default_prices = { .cents = {
	/* "First-Class Mail letter stamped (Forever stamp) 1 oz" 0.78, official */
	[PRICE_LETTER_STAMPED_1OZ] = 78,
	/* "First-Class Mail letter metered 1 oz" 0.74, official */
	[PRICE_LETTER_METERED_1OZ] = 74,
	/*
	 * "First-Class Mail single-piece letter additional ounce" 0.29, official. The metered
	 * additional ounce is "not found": the single-piece one is used for metered letters too.
	 */
	[PRICE_LETTER_ADDL_OZ] = 29,
	/* "First-Class Mail domestic postcard" 0.61, official */
	[PRICE_POSTCARD] = 61,
	/* "First-Class Mail international letter 1 oz" 1.70, official (postcard the same) */
	[PRICE_INTL_LETTER_1OZ] = 170,
	/* "First-Class Mail large envelope (flat) 1 oz" / "additional ounce": not found */
	[PRICE_FLAT_1OZ] = -1,
	[PRICE_FLAT_ADDL_OZ] = -1,
	/* "Certified Mail fee (PS 3800)" 5.30, secondary */
	[PRICE_CERTIFIED] = 530,
	/* "Return Receipt hardcopy (PS Form 3811 green card)" 4.40, secondary */
	[PRICE_RETURN_RECEIPT] = 440,
	/* "Return Receipt electronic" 2.82, secondary */
	[PRICE_RETURN_RECEIPT_ELECTRONIC] = 282,
	/*
	 * "Registered Mail fee by declared value": not found in an authority; 10.00 is
	 * legalclarity.org's undated "no declared value" figure (another site says ~16.80).
	 * Confirm against Notice 123 before presenting registered mail.
	 */
	[PRICE_REGISTERED] = 1000,
} };

/* First-Class flats end at 13 oz (reference production.md §1.3) */
#define FLAT_MAX_OZ 13.0

const struct postage_prices *postage_prices_default(void)
{
	return &default_prices;
}

long postage_fees(const struct piece_postage *p)
{
	if (p->certified < 0 || p->return_receipt < 0 || p->registered < 0 || p->handling < 0)
		return -1;
	return p->certified + p->return_receipt + p->registered + p->handling;
}

const char *postage_usd(char buf[24], long cents)
{
	if (cents < 0)
		buf[0] = '\0';
	else
		snprintf(buf, 24, "%ld.%02ld", cents / 100, cents % 100);
	return buf;
}

/* whole ounces a price is charged for: any part of an ounce counts as one */
static long ounce_steps(double oz)
{
	long steps = (long)ceil(oz - 1e-9);
	return steps < 1 ? 1 : steps;
}

/* first ounce + each additional one; -1 when either price is unknown */
static long by_ounce(long first, long additional, double oz)
{
	long steps = ounce_steps(oz);
	if (first < 0 || (steps > 1 && additional < 0))
		return -1;
	return first + (steps - 1) * (additional < 0 ? 0 : additional);
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool eq(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

/* the postage alone (fees apart); sets out->unpriced when it is not known */
static long postage_only(const long *c, enum postage_payment paid, const json_t *lot,
			 const json_t *piece, double oz, struct piece_postage *out)
{
	const char *product = str(lot, "product"), *size = str(lot, "size");
	const char *envelope = str(lot, "envelope");
	const char *country = str(json_object_get(piece, "to"), "address_country");
	if (oz < 0) {
		out->unpriced = "the piece's weight is unknown (product or size not known)";
		return -1;
	}
	if (eq(str(lot, "mail_type"), "usps_standard")) {
		out->unpriced = "USPS Marketing Mail prices are not in Frank's price table";
		return -1;
	}
	if (country && *country && strcmp(country, "US") != 0) {
		if (oz <= 1.0 + 1e-9)
			return c[PRICE_INTL_LETTER_1OZ];
		out->unpriced = "international prices over 1 oz are not in Frank's price table";
		return -1;
	}
	const struct mail_product *mp = mail_product_find(product);
	if (mp && mp->card_rate_size && eq(size, mp->card_rate_size))
		return c[PRICE_POSTCARD];
	/* a flat envelope, or a letter over 3.5 oz, pays flat (large envelope) prices */
	bool flat = eq(envelope, "flat_9x12") || oz > WEIGHT_LETTER_MAX_OZ;
	if (mp && mp->format == MAIL_FORMAT_ENVELOPE)
		flat = flat || (envelope && strncmp(envelope, "custom:", 7) == 0 &&
				json_integer_value(json_object_get(piece, "sheets")) > 6);
	if (flat) {
		long p = oz > FLAT_MAX_OZ ? -1
					  : by_ounce(c[PRICE_FLAT_1OZ], c[PRICE_FLAT_ADDL_OZ], oz);
		if (p < 0)
			out->unpriced = oz > FLAT_MAX_OZ
						? "over 13 oz: not First-Class Mail"
						: "First-Class flat (large envelope) prices are not in Frank's "
						  "price table";
		return p;
	}
	/* letters, checks, 6x9 and 6x11 postcards and folded self-mailers: letter prices */
	long first = paid == POSTAGE_PAID_METER ? c[PRICE_LETTER_METERED_1OZ]
						 : c[PRICE_LETTER_STAMPED_1OZ];
	long p = by_ounce(first, c[PRICE_LETTER_ADDL_OZ], oz);
	if (p < 0)
		out->unpriced = "a First-Class letter price is missing from the price table";
	return p;
}

void postage_for_piece(const struct postage_prices *prices, enum postage_payment paid,
		       const json_t *lot, const json_t *piece, double weight_oz,
		       struct piece_postage *out)
{
	const long *c = (prices ? prices : &default_prices)->cents;
	*out = (struct piece_postage){ 0 };
	out->postage = postage_only(c, paid, lot, piece, weight_oz, out);
	const char *service = str(lot, "extra_service");
	if (eq(service, "certified") || eq(service, "certified_return_receipt"))
		out->certified = c[PRICE_CERTIFIED];
	/* Lob's certified_return_receipt is "an electronic copy of the recipient's signature" */
	if (eq(service, "certified_return_receipt"))
		out->return_receipt = c[PRICE_RETURN_RECEIPT_ELECTRONIC];
	if (eq(service, "registered"))
		out->registered = c[PRICE_REGISTERED];
	if (postage_fees(out) < 0 && !out->unpriced)
		out->unpriced = "an extra-service fee is missing from the price table";
}
