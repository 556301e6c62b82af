// SPDX-License-Identifier: AGPL-3.0-or-later
/* Piece weight estimates (see weight.h). Figures from the production reference, §1.2. */
#include "production/weight.h"
#include "core/mail_product.h"
#include "core/parse.h"
#include "production/lots.h"
#include <string.h>
#include <strings.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define SQ_M_PER_SQ_IN 0.00064516
#define GRAMS_PER_LB 453.59237

/*
 * Basis weight = pounds per 500 sheets of the grade's parent sheet: text 25x38 in and cover
 * 20x26 in, the trade's standard parent sizes (not in the reference).
 */
static const struct {
	const char *word;
	double parent_sq_in;
} grades[] = {
	{ "text", 25.0 * 38.0 },
	{ "cover", 20.0 * 26.0 },
};
/*
 * Bond as GPO lists it (20 lb = 75 g/m², 24 = 90, 28 = 105, ±5 %): 3.75 g/m² a pound. The
 * 17x22 parent sheet gives 3.76; the reference's sheet weights (0.160, 0.192, 0.223 oz) and
 * its sheets-per-ounce table use GPO's figures, and so does Frank.
 */
#define BOND_GSM_PER_LB 3.75

/*
 * Papers when the lot's stock names none: each product's weight_stock (core/mail_product.h).
 * Letters and checks: 24 lb bond, the heavier of the reference's two letter papers (an
 * estimate that errs toward the higher postage step). Cards and self-mailers: assumptions,
 * not in the reference — 100 lb cover (270 g/m²) and 100 lb text (148 g/m²); name the real
 * stock in the lot. A lot's size is the size table's (stamp/product.c).
 */

/* Envelopes, empty, in ounces (reference §1.2; mailpiece_specs §2 for the stocks) */
#define ENVELOPE_10_OZ 0.24	/* plain #10, 24 lb: measured (secondary source) */
#define ENVELOPE_FLAT_OZ 0.6	/* 9x12, the top of the 0.55-0.6 oz estimate */
/* the certified #10 is 28# stock: 0.24 x 105/90 (derived) */
#define ENVELOPE_CERTIFIED_10_OZ (ENVELOPE_10_OZ * 105.0 / 90.0)
/* a #9 return envelope (3.875 x 8.875) scaled from the #10 by area (derived) */
#define ENVELOPE_RETURN_9_OZ (ENVELOPE_10_OZ * (3.875 * 8.875) / (4.125 * 9.5))
/* Lob: a letter over 6 sheets goes in a flat envelope, custom envelopes included */
#define ENVELOPE_10_MAX_SHEETS 6

double weight_sheet_oz(double gsm, double w_in, double h_in)
{
	return gsm * w_in * h_in * SQ_M_PER_SQ_IN / WEIGHT_GRAMS_PER_OZ;
}

double weight_paper_gsm(const char *stock)
{
	if (!stock)
		return 0;
	size_t n = strspn(stock, "0123456789.");
	char num[16];
	double v;
	if (n == 0 || n >= sizeof num)
		return 0;
	memcpy(num, stock, n);
	num[n] = '\0';
	if (parse_double(num, 1, 2000, &v) < 0)
		return 0;
	const char *unit = stock + n + strspn(stock + n, " ");
	if (strncasecmp(unit, "gsm", 3) == 0 || strncasecmp(unit, "g/m", 3) == 0)
		return v;
	size_t ulen = strncasecmp(unit, "lb", 2) == 0 ? 2 : unit[0] == '#' ? 1 : 0;
	if (ulen == 0)
		return 0;
	/* the grade is a word after the weight, finishes before it ("100 lb gloss cover",
	 * "80# matte text"); stocks are named in those words, so read the words in turn */
	for (const char *w = unit + ulen; *w;) {
		w += strspn(w, " -,");
		size_t wlen = strcspn(w, " -,");
		for (size_t i = 0; i < N_OF(grades); i++)
			if (wlen == strlen(grades[i].word) && strncasecmp(w, grades[i].word, wlen) == 0)
				return v * GRAMS_PER_LB /
				       (500.0 * grades[i].parent_sq_in * SQ_M_PER_SQ_IN);
		w += wlen;
	}
	return v * BOND_GSM_PER_LB;	/* "24lb" alone, or "24 lb bond", is bond */
}

double weight_envelope_oz(const char *envelope)
{
	if (!envelope)
		return 0;
	if (strcmp(envelope, "flat_9x12") == 0)
		return ENVELOPE_FLAT_OZ;
	if (strcmp(envelope, "certified_window_10") == 0)
		return ENVELOPE_CERTIFIED_10_OZ;
	/* standard_10_double_window, and custom envelopes of #10 size */
	return ENVELOPE_10_OZ;
}

static const char *lot_str(const json_t *lot, const char *key)
{
	return json_string_value(json_object_get(lot, key));
}

double weight_estimate_oz(const json_t *lot, const json_t *piece)
{
	const char *product = lot_str(lot, "product"), *size = lot_str(lot, "size");
	if (!product || !size)
		return -1;
	const struct mail_product *mp = mail_product_find(product);
	if (!mp)
		return -1;
	const struct product_size *ps = lot_product_size(product, size);
	if (!ps)
		return -1;
	/* the flat sheet or card as its size names it: cards "4x6" (the trim is 6 wide, 4 high) */
	bool card = mp->format == MAIL_FORMAT_CARD;
	double w = card ? ps->trim_h : ps->trim_w, h = card ? ps->trim_w : ps->trim_h;
	const char *paper = json_string_value(json_object_get(json_object_get(lot, "stock"), "paper"));
	double gsm = weight_paper_gsm(paper);
	if (gsm == 0 && mp->weight_stock)
		gsm = weight_paper_gsm(mp->weight_stock);
	if (card)
		return weight_sheet_oz(gsm, w, h);	/* one card or sheet, no envelope */
	if (mp->format != MAIL_FORMAT_ENVELOPE)
		return -1;
	json_int_t sheets = json_integer_value(json_object_get(piece, "sheets"));
	if (sheets < 1)
		return -1;
	const char *envelope = lot_str(lot, "envelope");
	double env = weight_envelope_oz(envelope);
	if (envelope && strncmp(envelope, "custom:", 7) == 0 && sheets > ENVELOPE_10_MAX_SHEETS)
		env = ENVELOPE_FLAT_OZ;
	double oz = env + (double)sheets * weight_sheet_oz(gsm, w, h);
	/* true, or the name of a return envelope stock */
	const json_t *ret = json_object_get(lot, "return_envelope");
	if (json_is_true(ret) || json_is_string(ret))
		oz += ENVELOPE_RETURN_9_OZ;
	return oz;
}
