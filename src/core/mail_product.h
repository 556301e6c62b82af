// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The mail products (letter, postcard, self-mailer, check, snap pack, booklet) in one table:
 * one row per product with everything the layers above need to know about it: Lob's names
 * (object, path, id prefix, files directory), the sides a piece's content comes in, how it
 * mails (in an envelope, as a card, ...), whether the tracking simulation and the mail room
 * handle it, its events, and the data its postage, weight and stock are worked out from.
 * Sizes and geometry are stamp/product.c's table (keyed by the same object name).
 *
 * Adding a product: a row here, its size rows in stamp/product.c, its resource file in
 * src/api/ (docs/ARCHITECTURE.md, "Adding a mail product"). Static data, any thread.
 */
#ifndef FRANK_CORE_MAIL_PRODUCT_H
#define FRANK_CORE_MAIL_PRODUCT_H
#include <stdbool.h>
#include <stddef.h>

/* in table order: also the index of per-product settings (cancellation windows) */
enum product_kind {
	PRODUCT_LETTER,
	PRODUCT_POSTCARD,
	PRODUCT_SELF_MAILER,
	PRODUCT_CHECK,
	PRODUCT_SNAP_PACK,
	PRODUCT_BOOKLET,
	PRODUCT_KIND_COUNT
};

/* how a piece travels, which drives its envelope, imposition, weight and postage */
enum mail_format {
	MAIL_FORMAT_ENVELOPE,	/* sheets folded into an envelope (letters, checks) */
	MAIL_FORMAT_CARD,	/* one card or folded sheet that mails itself, printed n-up */
	MAIL_FORMAT_SEALED,	/* a pressure-sealed mailer (snap packs) */
	MAIL_FORMAT_BOOKLET,	/* saddle-stitched pages (booklets) */
};

/* how stamp/ prints the address (stamp.c runs the stamper of the style) */
enum stamp_style {
	STAMP_LETTER,		/* the window block, certified cover, inserts (letters) */
	STAMP_CHECK,		/* the check face and MICR over the attachment (checks) */
	STAMP_CARD,		/* the ink-free zone on the back (postcards) */
	STAMP_ZONE,		/* the zone on the address page, or the last (self-mailers, booklets) */
	STAMP_SEALED,		/* the window block on the inside, no QR codes (snap packs) */
};

#define MAIL_PRODUCT_MAX_SIDES 2

/* one content source of a piece, in page order */
struct mail_side {
	const char *name;	/* its create field: "file", "front", "inside", "attachment" */
	bool second_size;	/* on the product's second page size (a snap pack's outside) */
	bool whole;		/* takes the product's page limits; else exactly one page */
	bool optional;		/* may be absent (a check's attachment) */
};

struct mail_product {
	enum product_kind kind;
	const char *object;	/* Lob's object and the store's kind: "postcard" */
	const char *path;	/* the /v1 collection: "postcards" */
	const char *id_prefix;	/* "psc_"; snap packs and booklets share "ord_" */
	unsigned id_hex;	/* hex digits after the prefix */
	const char *files_dir;	/* directory of its signed file links: "self-mailers" */
	struct mail_side sides[MAIL_PRODUCT_MAX_SIDES];	/* name NULL: no more */
	enum mail_format format;
	enum stamp_style stamp;
	bool tracking;		/* Lob gives it tracking events: test pieces are simulated */
	bool print_runs;	/* the mail room builds print runs, lots and print files of it */
	const char *event_resource;	/* its event types' resource: "self mailers" */
	bool lob_events;	/* Lob's event catalogue lists its events; else Frank adds the
				 * life-cycle ones (mail_product_lifecycle_events) */
	/* production: data the mail room's rules read */
	const char *card_rate_size;	/* the size that pays the postcard price; NULL: none */
	const char *lot_size;	/* a lot's size when the stock is fixed ("check"); NULL: the piece's */
	const char *lot_paper;	/* the lot's stock, in words a mail room orders by */
	const char *lot_paper_note;	/* after the sheet size; NULL: none */
	const char *weight_stock;	/* paper assumed for the weight when the lot names none */
};

/* the n-th row (NULL past the end), in enum product_kind order */
const struct mail_product *mail_product_at(size_t i);
size_t mail_product_count(void);
/* by enum */
const struct mail_product *mail_product_of(enum product_kind kind);
/* by Lob's object name ("postcard"); NULL if it is no mail product */
const struct mail_product *mail_product_find(const char *object);
/* by the /v1 collection ("postcards"); NULL if none */
const struct mail_product *mail_product_by_path(const char *path);
/* the first row whose prefix id starts with (ord_: snap packs, whose row comes before
 * booklets'; callers that need to tell them apart read the stored object). NULL if none */
const struct mail_product *mail_product_by_id(const char *id);

/* the objects of the products (only those with print_runs when runs_only), joined by sep and
 * the last two by last_sep, for messages: "letter, postcard, self_mailer or check" */
void mail_product_names(char *out, size_t cap, bool runs_only, const char *sep,
			const char *last_sep);

/* the life-cycle events Frank gives products Lob's catalogue lists no events for */
#define MAIL_PRODUCT_LIFECYCLE_EVENTS 5
extern const char *const mail_product_lifecycle_events[MAIL_PRODUCT_LIFECYCLE_EVENTS + 1];
#endif
