// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The mail product table (core/mail_product.h) against itself and against what reads it:
 * every row found again by kind, object, path and id; prefixes unique but for the `ord_`
 * pair, which shares its directory; sizes in stamp/product.c for every product and no size
 * row without a product; signed file links accepted for every directory; event types of
 * Lob's catalogue and Frank's life cycle consistent with each row; production data that
 * the mail room can use.
 */
#include "core/mail_product.h"
#include "events/catalogue.h"
#include "mail/settings.h"
#include "production/weight.h"
#include "sign/asset_urls.h"
#include "stamp/product.h"
#include "test.h"
#include <stdio.h>

static const char *const tracking_events[] = { "mailed", "in_transit", "in_local_area",
					       "processed_for_delivery", "re-routed",
					       "returned_to_sender", "delivered", NULL };

static void lookups_round_trip(void)
{
	CHECK_INT(mail_product_count(), PRODUCT_KIND_COUNT, "one row per enum product_kind");
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *p = mail_product_at(i);
		CHECK(p->kind == (enum product_kind)i && mail_product_of(p->kind) == p,
		      "%s: row %zu is its kind", p->object, i);
		CHECK(mail_product_find(p->object) == p, "%s: found by object", p->object);
		CHECK(mail_product_by_path(p->path) == p, "%s: found by path /v1/%s", p->object,
		      p->path);
		char id[64];
		snprintf(id, sizeof(id), "%s%.*s", p->id_prefix, (int)p->id_hex,
			 "0123456789abcdef0123456789abcdef");
		const struct mail_product *by_id = mail_product_by_id(id);
		CHECK(by_id && strcmp(by_id->id_prefix, p->id_prefix) == 0 &&
		      strcmp(by_id->files_dir, p->files_dir) == 0 && by_id->id_hex == p->id_hex,
		      "%s: an id %s names a product of its prefix and directory", p->object, id);
		CHECK(settings_product(p->object) == (int)p->kind,
		      "%s: its cancellation window is its kind's", p->object);
		char path[96];
		snprintf(path, sizeof(path), "%s/%s.pdf", p->files_dir, id);
		CHECK(piece_file_path_valid(path), "%s: a signed link to %s is accepted",
		      p->object, path);
		snprintf(path, sizeof(path), "%s/%s_thumb_small_1.png", p->files_dir, id);
		CHECK(piece_file_path_valid(path), "%s: and to its thumbnails", p->object);
	}
	CHECK(!mail_product_find("address") && !mail_product_find(NULL) &&
	      !mail_product_by_path("letter") && !mail_product_by_id("adr_0123456789abcdef"),
	      "not a product: NULL");
}

/* a prefix (and a path, an object) belongs to one product, except ord_ shared by products
 * that also share their files directory and digits and that no tracking or run tells apart */
static void names_unique(void)
{
	for (size_t i = 0; i < mail_product_count(); i++)
		for (size_t k = i + 1; k < mail_product_count(); k++) {
			const struct mail_product *a = mail_product_at(i), *b = mail_product_at(k);
			CHECK(strcmp(a->object, b->object) != 0 && strcmp(a->path, b->path) != 0,
			      "%s and %s: distinct objects and paths", a->object, b->object);
			if (strcmp(a->id_prefix, b->id_prefix) != 0) {
				CHECK(strcmp(a->files_dir, b->files_dir) != 0,
				      "%s and %s: distinct prefixes, distinct directories", a->object,
				      b->object);
				continue;
			}
			CHECK(strcmp(a->files_dir, b->files_dir) == 0 && a->id_hex == b->id_hex &&
			      !a->tracking && !b->tracking && !a->print_runs && !b->print_runs,
			      "%s and %s share %s: one directory, neither tracked nor printed in runs",
			      a->object, b->object, a->id_prefix);
		}
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *p = mail_product_at(i);
		size_t n = strlen(p->id_prefix);
		CHECK(n >= 4 && n <= 5 && p->id_prefix[n - 1] == '_' &&
		      strspn(p->id_prefix, "abcdefghijklmnopqrstuvwxyz") == n - 1,
		      "%s: prefix %s is 3-4 lowercase letters and '_'", p->object, p->id_prefix);
	}
}

/* every product has sizes; every size row is a product's, of its kind */
static void sizes(void)
{
	size_t rows[PRODUCT_KIND_COUNT] = { 0 };
	const struct product_size *s;
	for (unsigned i = 0; (s = product_at(i)); i++) {
		const struct mail_product *p = mail_product_find(s->product);
		CHECK(p && p->kind == s->kind, "size %s %s: a product of its kind", s->product,
		      s->size);
		if (p)
			rows[p->kind]++;
	}
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *p = mail_product_at(i);
		const struct product_size *dflt = product_lookup(p->object, NULL);
		CHECK(rows[i] > 0 && dflt && dflt->kind == p->kind, "%s: %zu size rows", p->object,
		      rows[i]);
		size_t n = 0;
		bool second = false;
		for (; n < MAIL_PRODUCT_MAX_SIDES && p->sides[n].name; n++)
			second |= p->sides[n].second_size;
		CHECK(n >= 1, "%s: %zu sides", p->object, n);
		CHECK(!second || (dflt && dflt->second_w > 0),
		      "%s: a side on the second page size has one", p->object);
		CHECK(!p->card_rate_size || product_lookup(p->object, p->card_rate_size),
		      "%s: its postcard-rate size is one of its sizes", p->object);
		CHECK((p->format == MAIL_FORMAT_ENVELOPE) ==
			      (dflt && product_envelope(dflt, 1, false) != NULL),
		      "%s: mailed in an envelope exactly when the size table has one", p->object);
	}
}

static void events(void)
{
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *p = mail_product_at(i);
		char id[96];
		size_t found = 0, n = 0;
		for (const char *const *e = mail_product_lifecycle_events; *e; e++, n++) {
			snprintf(id, sizeof(id), "%s.%s", p->object, *e);
			const struct event_type *t = event_type_find(id);
			found += t && strcmp(t->resource, p->event_resource) == 0 && !t->live_only;
		}
		CHECK_INT(found, n, "%s: its life-cycle events, resource \"%s\"", p->object,
			  p->event_resource);
		found = n = 0;
		for (const char *const *e = tracking_events; *e; e++, n++) {
			snprintf(id, sizeof(id), "%s.%s", p->object, *e);
			const struct event_type *t = event_type_find(id);
			found += t && strcmp(t->resource, p->event_resource) == 0;
		}
		CHECK_INT(found, p->tracking ? n : 0, "%s: tracking events exactly when tracked",
			  p->object);
		CHECK(!p->tracking || p->lob_events, "%s: tracked products are Lob's", p->object);
	}
	/* and Lob's catalogue names no product the table lacks, nor another resource */
	for (size_t i = 0; i < event_types_count; i++) {
		const char *id = event_types[i].id;
		char object[48];
		snprintf(object, sizeof(object), "%.*s", (int)strcspn(id, "."), id);
		const struct mail_product *p = mail_product_find(object);
		if (p)
			CHECK(p->lob_events && strcmp(p->event_resource, event_types[i].resource) == 0,
			      "%s: Lob's event of a product the table marks Lob's", id);
	}
	CHECK(event_type_find("snap_pack.mailed") == NULL && event_type_find("booklet.nope") ==
	      NULL && event_type_find("snap_pack") == NULL && event_type_find("snap.created") ==
	      NULL, "no more than the life cycle");
}

/* what the mail room reads of the products it builds */
static void production(void)
{
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *p = mail_product_at(i);
		if (!p->print_runs)
			continue;
		CHECK(p->format == MAIL_FORMAT_ENVELOPE || p->format == MAIL_FORMAT_CARD,
		      "%s: runs print envelopes' sheets or cards", p->object);
		CHECK(p->lot_paper && p->weight_stock && weight_paper_gsm(p->weight_stock) > 0,
		      "%s: a lot stock and a weight stock (%s)", p->object,
		      p->weight_stock ? p->weight_stock : "none");
		CHECK(!p->lot_size || !product_lookup(p->object, p->lot_size),
		      "%s: a fixed lot size is no size of the table (it names the stock)", p->object);
	}
}

/* the lists messages name, as they read before the table existed */
static void names(void)
{
	char out[160];
	mail_product_names(out, sizeof(out), false, ", ", " or ");
	CHECK_STR(out, "letter, postcard, self_mailer, check, snap_pack or booklet", "all products");
	mail_product_names(out, sizeof(out), true, ", ", ", ");
	CHECK_STR(out, "letter, postcard, self_mailer, check", "the products runs print");
	mail_product_names(out, 12, false, "|", "|");
	CHECK_STR(out, "letter|post", "cut at the buffer's size");
}

int main(void)
{
	names();
	lookups_round_trip();
	names_unique();
	sizes();
	events();
	production();
	return test_done();
}
