// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Postage and extra-service fees per piece, for the manifest and the PS Form 3877, from one
 * price table (USPS prices effective 2025-07-13; each row cites its source in postage.c).
 * Amounts are whole cents. Some prices are not in the table (First-Class flats, Marketing
 * Mail, international over 1 oz): such a piece's postage is unknown (-1) with a reason, never
 * a guess. An operator may pass its own table (Notice 123 in hand) to fill the gaps.
 */
#ifndef FRANK_PRODUCTION_POSTAGE_H
#define FRANK_PRODUCTION_POSTAGE_H
#include <jansson.h>
#include <stdbool.h>

enum postage_item {
	PRICE_LETTER_STAMPED_1OZ,	/* single-piece First-Class letter, 1 oz */
	PRICE_LETTER_METERED_1OZ,
	PRICE_LETTER_ADDL_OZ,		/* each additional ounce up to 3.5 oz */
	PRICE_POSTCARD,			/* card price: 4x6 (and smaller) */
	PRICE_INTL_LETTER_1OZ,
	PRICE_FLAT_1OZ,			/* large envelope */
	PRICE_FLAT_ADDL_OZ,
	PRICE_CERTIFIED,
	PRICE_RETURN_RECEIPT,		/* hardcopy, PS Form 3811 */
	PRICE_RETURN_RECEIPT_ELECTRONIC,
	PRICE_REGISTERED,		/* no declared value */
	PRICE__COUNT
};

/* cents per item; a negative value: not known */
struct postage_prices {
	long cents[PRICE__COUNT];
};

/* Frank's table (see postage.c for each row's source) */
const struct postage_prices *postage_prices_default(void);

/* how postage is paid: metered letters pay the lower metered price */
enum postage_payment {
	POSTAGE_PAID_METER,
	POSTAGE_PAID_PERMIT,	/* permit imprint: single-piece (stamped) prices */
};

struct piece_postage {
	long postage;		/* cents; -1: not known, see unpriced */
	long certified;		/* fees in cents, 0 when the piece has no such service */
	long return_receipt;
	long registered;
	long handling;		/* registered handling charge: none for no declared value */
	const char *unpriced;	/* why postage (or a fee) is unknown; NULL when all is priced */
};

/* the fees as one number: -1 when one of them is unknown */
long postage_fees(const struct piece_postage *p);

/*
 * The piece's postage and fees from its lot (product, size, envelope, extra_service,
 * mail_type), its destination country and weight_oz (weight_estimate_oz).
 */
void postage_for_piece(const struct postage_prices *prices, enum postage_payment paid,
		       const json_t *lot, const json_t *piece, double weight_oz,
		       struct piece_postage *out);

/* "12.34" from cents into buf (24 bytes); "" for a negative (unknown) amount */
const char *postage_usd(char buf[24], long cents);
#endif
