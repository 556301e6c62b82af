// SPDX-License-Identifier: AGPL-3.0-or-later
/* The mail product table (core/mail_product.h). Names are Lob's (spec and help pages). */
#include "core/mail_product.h"
#include <stdio.h>
#include <string.h>

/* the sides, as the render job merges them: S(name) one page of the artboard; WHOLE(name)
 * as many pages as the product's limits allow */
#define S(n) { n, false, false, false }
#define WHOLE(n) { n, false, true, false }

static const struct mail_product products[] = {
	{ .kind = PRODUCT_LETTER, .object = "letter", .path = "letters", .id_prefix = "ltr_",
	  .id_hex = 16, .files_dir = "letters", .sides = { WHOLE("file") },
	  .format = MAIL_FORMAT_ENVELOPE, .stamp = STAMP_LETTER, .tracking = true,
	  .print_runs = true, .event_resource = "letters", .lob_events = true,
	  .lot_paper = "24 lb white bond", .lot_paper_note = "", .weight_stock = "24lb bond" },
	{ .kind = PRODUCT_POSTCARD, .object = "postcard", .path = "postcards", .id_prefix = "psc_",
	  .id_hex = 16, .files_dir = "postcards", .sides = { S("front"), S("back") },
	  .format = MAIL_FORMAT_CARD, .stamp = STAMP_CARD, .tracking = true, .print_runs = true,
	  .event_resource = "postcards", .lob_events = true, .card_rate_size = "4x6",
	  .lot_paper = "100 lb gloss cover", .weight_stock = "100lb cover" },
	{ .kind = PRODUCT_SELF_MAILER, .object = "self_mailer", .path = "self_mailers",
	  .id_prefix = "sfm_", .id_hex = 16, .files_dir = "self-mailers",
	  .sides = { S("inside"), S("outside") }, .format = MAIL_FORMAT_CARD, .stamp = STAMP_ZONE,
	  .tracking = true, .print_runs = true, .event_resource = "self mailers",
	  .lob_events = true, .lot_paper = "80 lb gloss text", .weight_stock = "100lb text" },
	{ .kind = PRODUCT_CHECK, .object = "check", .path = "checks", .id_prefix = "chk_",
	  .id_hex = 16, .files_dir = "checks", .sides = { { "attachment", false, true, true } },
	  .format = MAIL_FORMAT_ENVELOPE, .stamp = STAMP_CHECK, .tracking = true,
	  .print_runs = true, .event_resource = "checks", .lob_events = true, .lot_size = "check",
	  .lot_paper = "check stock", .lot_paper_note = ", check at the top, MICR toner",
	  .weight_stock = "24lb bond" },
	/* Lob's spec gives snap packs and booklets `ord_` ids and order-creatives links; Lob
	 * lists no tracking events for them, and the mail room does not build them yet */
	{ .kind = PRODUCT_SNAP_PACK, .object = "snap_pack", .path = "snap_packs",
	  .id_prefix = "ord_", .id_hex = 26, .files_dir = "order-creatives",
	  .sides = { S("inside"), { "outside", true, false, false } },
	  .format = MAIL_FORMAT_SEALED, .stamp = STAMP_SEALED, .event_resource = "snap packs" },
	{ .kind = PRODUCT_BOOKLET, .object = "booklet", .path = "booklets", .id_prefix = "ord_",
	  .id_hex = 26, .files_dir = "order-creatives", .sides = { WHOLE("file") },
	  .format = MAIL_FORMAT_BOOKLET, .stamp = STAMP_ZONE, .event_resource = "booklets" },
};

_Static_assert(sizeof(products) / sizeof(products[0]) == PRODUCT_KIND_COUNT,
	       "one row per enum product_kind, in its order");

const char *const mail_product_lifecycle_events[MAIL_PRODUCT_LIFECYCLE_EVENTS + 1] = { "created", "deleted", "failed",
						      "rendered_pdf", "rendered_thumbnails",
						      NULL };

size_t mail_product_count(void)
{
	return PRODUCT_KIND_COUNT;
}

const struct mail_product *mail_product_at(size_t i)
{
	return i < PRODUCT_KIND_COUNT ? &products[i] : NULL;
}

const struct mail_product *mail_product_of(enum product_kind kind)
{
	return mail_product_at((size_t)kind);
}

const struct mail_product *mail_product_find(const char *object)
{
	for (size_t i = 0; object && i < PRODUCT_KIND_COUNT; i++)
		if (strcmp(products[i].object, object) == 0)
			return &products[i];
	return NULL;
}

const struct mail_product *mail_product_by_path(const char *path)
{
	for (size_t i = 0; path && i < PRODUCT_KIND_COUNT; i++)
		if (strcmp(products[i].path, path) == 0)
			return &products[i];
	return NULL;
}

const struct mail_product *mail_product_by_id(const char *id)
{
	for (size_t i = 0; id && i < PRODUCT_KIND_COUNT; i++)
		if (strncmp(id, products[i].id_prefix, strlen(products[i].id_prefix)) == 0)
			return &products[i];
	return NULL;
}

void mail_product_names(char *out, size_t cap, bool runs_only, const char *sep,
			const char *last_sep)
{
	size_t n = 0, total = 0, len = 0;
	for (size_t i = 0; i < PRODUCT_KIND_COUNT; i++)
		total += !runs_only || products[i].print_runs;
	if (cap)
		out[0] = '\0';
	for (size_t i = 0; i < PRODUCT_KIND_COUNT && len < cap; i++) {
		if (runs_only && !products[i].print_runs)
			continue;
		const char *before = n == 0 ? "" : n + 1 == total ? last_sep : sep;
		int w = snprintf(out + len, cap - len, "%s%s", before, products[i].object);
		len += w > 0 ? (size_t)w : 0;
		n++;
	}
}
