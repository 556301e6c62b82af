// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Price tables, mail classes and the cost of a mailing (see pricing.h). Sources of the
 * prices: data/prices_usps.csv (each row names its own); STCs and their wording:
 * USPS's IMpb Service Type Codes list (PostalPro; First-Class Mail).
 */
#include "c321/pricing.h"
#include "core/csv.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PRICE_FILE_MAX ((size_t)1 << 20)
#define PRICE_ROW_BYTES 4096
#define PRICE_MAX_CENTS 10000000LL	/* $100,000: anything above is a typo */

/*
 * The USPS items of the price table (data/prices_usps.csv) and the key the
 * calculation knows each by, so that table loads as it is; a `key` column overrides this.
 */
static const struct {
	const char *item, *key;
} known_items[] = {
	{ "First-Class Mail letter stamped (Forever stamp) 1 oz", "letter_1oz" },
	{ "First-Class Mail letter metered 1 oz", "letter_metered_1oz" },
	{ "First-Class Mail single-piece letter additional ounce", "letter_additional_ounce" },
	{ "First-Class Mail letter stamped 2 oz", "letter_2oz" },
	{ "First-Class Mail letter stamped 3 oz", "letter_3oz" },
	{ "First-Class Mail letter stamped 3.5 oz", "letter_3_5oz" },
	{ "First-Class Mail letter metered additional ounce", "letter_metered_additional_ounce" },
	{ "First-Class Mail domestic postcard", "postcard" },
	{ "First-Class Mail international letter 1 oz", "international_letter_1oz" },
	{ "First-Class Mail international postcard", "international_postcard" },
	{ "First-Class Mail large envelope (flat) 1 oz", "flat_1oz" },
	{ "First-Class Mail large envelope (flat) additional ounce", "flat_additional_ounce" },
	{ "Certified Mail fee (PS 3800)", "certified" },
	{ "Return Receipt hardcopy (PS Form 3811 green card)", "return_receipt_hardcopy" },
	{ "Return Receipt electronic", "return_receipt_electronic" },
	{ "Restricted Delivery (added to Certified Mail)", "restricted_delivery" },
	{ "Registered Mail fee by declared value", "registered" },
	{ "Certificate of Mailing (PS Form 3817) individual", "certificate_of_mailing" },
};

/*
 * The classes: First-Class Mail with Certified or Registered Mail and their options, each
 * with its STC (impb_certified.md §4.1). certified_return_receipt is Lob's (electronic
 * return receipt, STC 148); the green card is certified_return_receipt_hardcopy.
 */
static const struct mail_class classes[] = {
	{ "certified", "071", "certified", FEE_CERTIFIED,
	  "First-Class Mail: Certified Mail" },
	{ "certified_return_receipt", "148", "certified_return_receipt",
	  FEE_CERTIFIED | FEE_RR_ELECTRONIC,
	  "First-Class Mail: Certified Mail Return Receipt Electronic" },
	{ "certified_return_receipt_hardcopy", "147", "certified_return_receipt",
	  FEE_CERTIFIED | FEE_RR_HARDCOPY, "First-Class Mail: Certified Mail Return Receipt" },
	{ "certified_restricted_delivery", "149", "certified", FEE_CERTIFIED | FEE_RESTRICTED,
	  "First-Class Mail: Certified Mail Restricted Delivery" },
	{ "certified_restricted_delivery_return_receipt", "360", "certified_return_receipt",
	  FEE_CERTIFIED | FEE_RESTRICTED | FEE_RR_ELECTRONIC,
	  "First-Class Mail: Certified Mail Restricted Delivery Return Receipt Electronic" },
	{ "certified_restricted_delivery_return_receipt_hardcopy", "154",
	  "certified_return_receipt", FEE_CERTIFIED | FEE_RESTRICTED | FEE_RR_HARDCOPY,
	  "First-Class Mail: Certified Mail Restricted Delivery Return Receipt" },
	{ "registered", "501", "registered", FEE_REGISTERED, "First-Class Mail: Registered Mail" },
	{ "registered_return_receipt", "529", "registered", FEE_REGISTERED | FEE_RR_ELECTRONIC,
	  "First-Class Mail: Registered Mail Return Receipt Electronic" },
	{ "registered_return_receipt_hardcopy", "522", "registered",
	  FEE_REGISTERED | FEE_RR_HARDCOPY, "First-Class Mail: Registered Mail Return Receipt" },
};

#define N_CLASSES (sizeof(classes) / sizeof(classes[0]))

__attribute__((format(printf, 3, 4)))
static void set_err(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

/* "0.78" → 78; "5" → 500; NULL for anything else (signs, three decimals, letters) */
static int parse_dollars(const char *s, long long *cents)
{
	long long whole = 0, frac = 0;
	int digits = 0, decimals = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (whole > PRICE_MAX_CENTS)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, decimals++) {
			if (decimals == 2)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (decimals == 0)
			return -1;
	}
	if (*p || digits == 0)
		return -1;
	if (decimals == 1)
		frac *= 10;
	*cents = whole * 100 + frac;
	return *cents > PRICE_MAX_CENTS ? -1 : 0;
}

static bool is_date(const char *s)
{
	if (strlen(s) != PRICE_DATE_LEN || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < PRICE_DATE_LEN; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

static const char *key_for_item(const char *item)
{
	for (size_t i = 0; i < sizeof(known_items) / sizeof(known_items[0]); i++)
		if (strcasecmp(known_items[i].item, item) == 0)
			return known_items[i].key;
	return "";
}

/* a field copied into a fixed buffer; false when it does not fit */
static bool copy_field(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

struct columns {
	int key, item, unit, price, date, status, source;
};

/* column i of the row, "" when the table has no such column or the row is short */
static const char *field(const struct csv *c, int i)
{
	return i >= 0 && (size_t)i < c->n_fields ? c->fields[i] : "";
}

static int parse_row(const struct csv *c, const struct columns *col, struct price_row *r,
		     char *errbuf, size_t errlen)
{
	const char *price = field(c, col->price);
	const char *item = field(c, col->item);
	const char *date = field(c, col->date);
	memset(r, 0, sizeof(*r));
	if (!copy_field(r->item, sizeof(r->item), item) ||
	    !copy_field(r->unit, sizeof(r->unit), field(c, col->unit)) ||
	    !copy_field(r->status, sizeof(r->status), field(c, col->status)) ||
	    !copy_field(r->source, sizeof(r->source), field(c, col->source))) {
		set_err(errbuf, errlen, "price table line %zu: a field is too long", c->line);
		return -1;
	}
	const char *key = *field(c, col->key) ? field(c, col->key) : key_for_item(item);
	if (!copy_field(r->key, sizeof(r->key), key)) {
		set_err(errbuf, errlen, "price table line %zu: key is too long", c->line);
		return -1;
	}
	if (strcasecmp(price, "not found") == 0 || !*price) {
		r->cents = -1;
	} else if (parse_dollars(price, &r->cents) < 0) {
		set_err(errbuf, errlen,
			"price table line %zu: price_usd \"%.40s\" is not dollars with at most two "
			"decimals (or \"not found\")", c->line, price);
		return -1;
	}
	if (!is_date(date)) {
		set_err(errbuf, errlen, "price table line %zu: effective_date \"%.40s\" is not "
			"YYYY-MM-DD", c->line, date);
		return -1;
	}
	memcpy(r->effective_date, date, PRICE_DATE_LEN + 1);
	return 0;
}

static bool find_columns(const struct csv *c, struct columns *col)
{
	col->key = csv_find(c, "key");
	col->item = csv_find(c, "item");
	col->unit = csv_find(c, "unit");
	col->price = csv_find(c, "price_usd");
	col->date = csv_find(c, "effective_date");
	col->status = csv_find(c, "status");
	col->source = csv_find(c, "source");
	return col->item >= 0 && col->price >= 0 && col->date >= 0;
}

int price_table_parse(char *text, struct price_table *t, char *errbuf, size_t errlen)
{
	struct csv c;
	struct columns col;
	int rc = -1;
	memset(t, 0, sizeof(*t));
	if (csv_init_string(&c, text, 16, PRICE_ROW_BYTES) < 0) {
		set_err(errbuf, errlen, "out of memory");
		return -1;
	}
	if (csv_next(&c) != CSV_ROW || !find_columns(&c, &col)) {
		set_err(errbuf, errlen, "price table: the header row must name item, price_usd and "
			"effective_date");
		goto out;
	}
	t->rows = calloc(PRICE_TABLE_MAX_ROWS, sizeof(*t->rows));
	if (!t->rows) {
		set_err(errbuf, errlen, "out of memory");
		goto out;
	}
	for (;;) {
		enum csv_result r = csv_next(&c);
		if (r == CSV_END)
			break;
		if (r != CSV_ROW) {
			set_err(errbuf, errlen, "price table line %zu: %s", c.line,
				csv_error_text(c.error));
			goto out;
		}
		if (t->n == PRICE_TABLE_MAX_ROWS) {
			set_err(errbuf, errlen, "price table line %zu: more than %d rows", c.line,
				PRICE_TABLE_MAX_ROWS);
			goto out;
		}
		if (parse_row(&c, &col, &t->rows[t->n], errbuf, errlen) < 0)
			goto out;
		t->n++;
	}
	rc = t->n ? 0 : -1;
	if (rc < 0)
		set_err(errbuf, errlen, "price table: no rows");
out:
	csv_release(&c);
	if (rc < 0)
		price_table_free(t);
	return rc;
}

int price_table_load(const char *path, struct price_table *t, char *errbuf, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	memset(t, 0, sizeof(*t));
	if (!f) {
		set_err(errbuf, errlen, "cannot open the price table %s", path);
		return -1;
	}
	char *text = malloc(PRICE_FILE_MAX + 1);
	size_t n = text ? fread(text, 1, PRICE_FILE_MAX + 1, f) : 0;
	bool err = ferror(f);
	fclose(f);
	if (!text || err || n > PRICE_FILE_MAX) {
		free(text);
		set_err(errbuf, errlen, "cannot read the price table %s (at most 1 MiB)", path);
		return -1;
	}
	text[n] = '\0';
	int rc = price_table_parse(text, t, errbuf, errlen);
	free(text);	/* rows hold copies */
	return rc;
}

void price_table_free(struct price_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

const struct price_row *price_lookup(const struct price_table *t, const char *key,
				     const char *date)
{
	const struct price_row *best = NULL;
	if (!key || !*key)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct price_row *r = &t->rows[i];
		if (strcmp(r->key, key) != 0 || strcmp(r->effective_date, date) > 0)
			continue;
		/* the newest in force; a later row of the same date replaces an earlier one */
		if (!best || strcmp(r->effective_date, best->effective_date) >= 0)
			best = r;
	}
	return best;
}

void price_table_effective(const struct price_table *t, const char *date,
			   char out[PRICE_DATE_LEN + 1])
{
	out[0] = '\0';
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].effective_date, date) <= 0 &&
		    strcmp(t->rows[i].effective_date, out) > 0)
			memcpy(out, t->rows[i].effective_date, PRICE_DATE_LEN + 1);
}

/* ---- classes ---- */

const struct mail_class *mail_class_find(const char *name)
{
	for (size_t i = 0; name && i < N_CLASSES; i++)
		if (strcmp(classes[i].name, name) == 0)
			return &classes[i];
	return NULL;
}

const struct mail_class *mail_class_for_stc(const char *stc)
{
	for (size_t i = 0; stc && i < N_CLASSES; i++)
		if (strcmp(classes[i].stc, stc) == 0)
			return &classes[i];
	return NULL;
}

const struct mail_class *mail_class_at(size_t i)
{
	return i < N_CLASSES ? &classes[i] : NULL;
}

const struct mail_class *mail_class_with(const struct mail_class *base, int restricted,
					 const char *return_receipt)
{
	unsigned fees = base->fees;
	if (restricted == 0)
		fees &= ~FEE_RESTRICTED;
	else if (restricted > 0)
		fees |= FEE_RESTRICTED;
	if (return_receipt) {
		fees &= ~(FEE_RR_HARDCOPY | FEE_RR_ELECTRONIC);
		if (strcmp(return_receipt, "electronic") == 0)
			fees |= FEE_RR_ELECTRONIC;
		else if (strcmp(return_receipt, "hardcopy") == 0)
			fees |= FEE_RR_HARDCOPY;
		else if (strcmp(return_receipt, "none") != 0)
			return NULL;
	}
	for (size_t i = 0; i < N_CLASSES; i++)
		if (classes[i].fees == fees)
			return &classes[i];
	return NULL;
}

const char *mail_class_fee_key(unsigned fee)
{
	switch (fee) {
	case FEE_CERTIFIED: return "certified";
	case FEE_REGISTERED: return "registered";
	case FEE_RESTRICTED: return "restricted_delivery";
	case FEE_RR_HARDCOPY: return "return_receipt_hardcopy";
	case FEE_RR_ELECTRONIC: return "return_receipt_electronic";
	default: return NULL;
	}
}

/* ---- service fee ---- */

int service_fee_parse(const char *s, struct service_fee *out, char *errbuf, size_t errlen)
{
	char buf[64];
	struct service_fee f = { 0, 0 };
	if (!s || strlen(s) >= sizeof(buf))
		goto bad;
	memcpy(buf, s, strlen(s) + 1);
	for (char *part = buf, *next; part; part = next) {
		next = strchr(part, '+');
		if (next)
			*next++ = '\0';
		size_t n = strlen(part);
		long long v;
		if (n && part[n - 1] == '%') {
			part[n - 1] = '\0';
			/* percent with two decimals = basis points */
			if (parse_dollars(part, &v) < 0 || v > 10000 || f.basis_points)
				goto bad;
			f.basis_points = (unsigned)v;
		} else {
			if (parse_dollars(part, &v) < 0 || v > 100000 || f.fixed_cents)
				goto bad;
			f.fixed_cents = v;
		}
	}
	*out = f;
	return 0;
bad:
	set_err(errbuf, errlen, "service fee \"%.40s\" is not AMOUNT, PERCENT%% or AMOUNT+PERCENT%% "
		"(e.g. 1.50, 10%%, 0.50+2.5%%; at most $1000 and 100%%)", s ? s : "");
	return -1;
}

/* ---- the calculation ---- */

static int add_line(struct cost *c, const struct price_row *r, unsigned quantity)
{
	if (c->n_lines == COST_MAX_LINES)
		return -1;
	c->lines[c->n_lines++] = (struct cost_line){ .key = r->key, .item = r->item,
						     .quantity = quantity,
						     .cents = r->cents * quantity };
	c->postage_cents += r->cents * quantity;
	if (strcmp(r->effective_date, c->effective_date) > 0)
		memcpy(c->effective_date, r->effective_date, PRICE_DATE_LEN + 1);
	return 0;
}

/* the row for key with a price, or -1 with an error naming what the table lacks */
static const struct price_row *priced(const struct price_table *t, const char *key,
				      const char *date, const char *what, struct api_error *err)
{
	const struct price_row *r = price_lookup(t, key, date);
	if (!r || r->cents < 0) {
		api_fail(err, ERR_INVALID, "%s cannot be priced: the price table has no price for %s "
			 "(key %s) in force on %s", what, r ? r->item : "it", key, date);
		return NULL;
	}
	return r;
}

static int postage(const struct price_table *t, struct cost *c, const char *date,
		   struct api_error *err)
{
	/* a letter envelope up to LETTER_MAX_SHEETS of content, else a flat */
	bool flat = c->sheets - 1 > LETTER_MAX_SHEETS;
	const char *first = flat ? "flat_1oz" : "letter_1oz";
	const char *more = flat ? "flat_additional_ounce" : "letter_additional_ounce";
	const char *what = flat ? "A letter of more than 6 sheets (a large envelope)" : "The letter";
	unsigned extra = c->weight_millioz > 1000 ? (c->weight_millioz - 1000 + 999) / 1000 : 0;
	const struct price_row *r1 = priced(t, first, date, what, err);
	if (!r1)
		return -1;
	if (add_line(c, r1, 1) < 0)
		return api_fail(err, ERR_INTERNAL, "too many cost lines");
	if (!extra)
		return 0;
	const struct price_row *r2 = priced(t, more, date, what, err);
	if (!r2)
		return -1;
	return add_line(c, r2, extra) < 0 ? api_fail(err, ERR_INTERNAL, "too many cost lines") : 0;
}

int price_mailing(const struct price_table *t, const struct service_fee *fee,
		  const struct mail_class *mc, unsigned pages, bool duplex, const char *date,
		  struct cost *out, struct api_error *err)
{
	memset(out, 0, sizeof(*out));
	if (pages < 1 || pages > MAILING_MAX_PAGES)
		return api_fail(err, ERR_INVALID, "pages must be between 1 and %d", MAILING_MAX_PAGES);
	out->pages = pages;
	out->duplex = duplex;
	/* the content's sheets plus the certified cover sheet in front (Lob adds it free) */
	out->sheets = (duplex ? (pages + 1) / 2 : pages) + 1;
	out->weight_millioz = ENVELOPE_MILLIOZ + out->sheets * SHEET_MILLIOZ;
	if (postage(t, out, date, err) < 0)
		return -1;
	for (unsigned bit = 1; bit <= FEE_RR_ELECTRONIC; bit <<= 1) {
		if (!(mc->fees & bit))
			continue;
		char what[96];
		snprintf(what, sizeof(what), "mail_class %s", mc->name);
		const struct price_row *r = priced(t, mail_class_fee_key(bit), date, what, err);
		if (!r)
			return -1;
		if (add_line(out, r, 1) < 0)
			return api_fail(err, ERR_INTERNAL, "too many cost lines");
	}
	/* the percentage rounds half up to the cent */
	out->service_fee_cents = fee->fixed_cents +
				 (out->postage_cents * fee->basis_points + 5000) / 10000;
	out->total_cents = out->postage_cents + out->service_fee_cents;
	return 0;
}

void price_format(long long cents, char out[24])
{
	long long a = cents < 0 ? -cents : cents;
	snprintf(out, 24, "%s%lld.%02lld", cents < 0 ? "-" : "", a / 100, a % 100);
}
