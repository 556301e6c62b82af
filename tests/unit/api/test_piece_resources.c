// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Each mail product's resource (api/<product>s.c) against its row of core/mail_product.h:
 * the same kind, id prefix and digits; its content sides are fields of its table (required
 * unless the side is optional); the fields every piece has, from the shared fragments, in
 * their order; a signed-link route for its files directory; a campaign creative's product
 * is a mail product.
 */
#include "api/products.h"
#include "api/resource.h"
#include "core/mail_product.h"
#include "http/route.h"
#include "test.h"
#include <string.h>

extern const struct resource letter_res, postcard_res, self_mailer_res, check_res,
	snap_pack_res, booklet_res;
extern const struct route piece_file_routes[];

static const struct resource *const resources[PRODUCT_KIND_COUNT] = {
	[PRODUCT_LETTER] = &letter_res,		[PRODUCT_POSTCARD] = &postcard_res,
	[PRODUCT_SELF_MAILER] = &self_mailer_res, [PRODUCT_CHECK] = &check_res,
	[PRODUCT_SNAP_PACK] = &snap_pack_res,	[PRODUCT_BOOKLET] = &booklet_res,
};

/* the shared fragments' fields, in order (api/pieces.h) */
static const char *const shared[] = { "description", "metadata", "to", "from", "mail_type",
				      "merge_variables", "send_date", "use_type",
				      "billing_group_id", "print_speed", NULL };

static const struct field *field_of(const struct field *t, const char *name, size_t *at)
{
	for (size_t i = 0; t[i].name; i++)
		if (strcmp(t[i].name, name) == 0) {
			*at = i;
			return &t[i];
		}
	return NULL;
}

int main(void)
{
	for (size_t k = 0; k < mail_product_count(); k++) {
		const struct mail_product *p = mail_product_at(k);
		const struct resource *r = resources[k];
		CHECK_STR(r->kind, p->object, "%s: the resource's kind", p->object);
		CHECK_STR(r->id_prefix, p->id_prefix, "%s: its id prefix", p->object);
		CHECK_INT(r->id_hex ? r->id_hex : 16, p->id_hex, "%s: its id digits", p->object);
		for (size_t i = 0; i < MAIL_PRODUCT_MAX_SIDES && p->sides[i].name; i++) {
			size_t at;
			const struct field *f = field_of(r->fields, p->sides[i].name, &at);
			CHECK(f && f->type == FT_JSON &&
				      !!(f->flags & F_REQUIRED) == !p->sides[i].optional,
			      "%s: side %s is a field, required unless optional", p->object,
			      p->sides[i].name);
		}
		size_t last = 0, at = 0;
		bool ordered = true, all = true;
		for (const char *const *s = shared; *s; s++) {
			if (!field_of(r->fields, *s, &at))
				all = false;
			else if (at < last)
				ordered = false;
			else
				last = at;
		}
		CHECK(all && ordered, "%s: the shared fields, in order", p->object);
		char pattern[64];
		snprintf(pattern, sizeof(pattern), "/%s/{id}", p->files_dir);
		bool routed = false;
		for (const struct route *rt = piece_file_routes; rt->pattern; rt++)
			routed |= strcmp(rt->pattern, pattern) == 0;
		CHECK(routed, "%s: its files are served at %s", p->object, pattern);
	}
	for (const char *const *t = product_types; *t; t++)
		CHECK(product_find(*t) && mail_product_find(*t),
		      "creative product %s is a mail product", *t);
	return test_done();
}
