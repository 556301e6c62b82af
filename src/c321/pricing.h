// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What a certified mailing costs: USPS prices as data (a CSV the operator can replace, see
 * data/prices_usps.csv and docs/internals/certified321.md), the mail classes of the
 * 321certified-style API, and the calculation — postage by weight (sheets), the extra-service
 * fees of the class, and the operator's service fee. Money is whole cents throughout.
 *
 * Threads: a loaded table is read-only; every function may be called from any thread.
 */
#ifndef FRANK_C321_PRICING_H
#define FRANK_C321_PRICING_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

#define PRICE_KEY_MAX 48
#define PRICE_ITEM_MAX 160
#define PRICE_TEXT_MAX 400
#define PRICE_TABLE_MAX_ROWS 512
#define PRICE_DATE_LEN 10	/* "YYYY-MM-DD" */

/* one row of the table: one price, in force from its effective date */
struct price_row {
	char key[PRICE_KEY_MAX];	/* what the calculation asks for ("certified"); "" unused */
	char item[PRICE_ITEM_MAX];	/* the table's own wording */
	char unit[24];			/* "piece", "ounce" */
	long long cents;		/* -1: the table has no price ("not found") */
	char effective_date[PRICE_DATE_LEN + 1];
	char status[64];		/* "official", "secondary", "derived (…)" */
	char source[PRICE_TEXT_MAX];
};

struct price_table {
	struct price_row *rows;		/* malloc'd */
	size_t n;
};

/*
 * Parses a price CSV (header row with item, unit, price_usd, effective_date, status, source;
 * an optional `key` column names each row's use, otherwise the item's wording is matched
 * against the USPS items Frank knows). Prices are dollars with at most two decimals, or
 * "not found". text is cut in place. 0, or -1 with a message naming the line in errbuf.
 */
int price_table_parse(char *text, struct price_table *t, char *errbuf, size_t errlen);
/* reads the file (at most 1 MiB) and parses it; as price_table_parse */
int price_table_load(const char *path, struct price_table *t, char *errbuf, size_t errlen);
void price_table_free(struct price_table *t);

/* the row for key in force on date ("YYYY-MM-DD": latest effective date not after it), or NULL */
const struct price_row *price_lookup(const struct price_table *t, const char *key,
				     const char *date);
/* the newest effective date not after date among all rows, or "" when none is in force */
void price_table_effective(const struct price_table *t, const char *date,
			   char out[PRICE_DATE_LEN + 1]);

/* ---- mail classes ---- */

/* extra services a class pays for (each a price key) */
#define FEE_CERTIFIED (1u << 0)
#define FEE_REGISTERED (1u << 1)
#define FEE_RESTRICTED (1u << 2)
#define FEE_RR_HARDCOPY (1u << 3)
#define FEE_RR_ELECTRONIC (1u << 4)

struct mail_class {
	const char *name;		/* "certified_return_receipt" */
	const char *stc;		/* IMpb service type code, "148" */
	const char *extra_service;	/* the Lob letter's extra_service */
	unsigned fees;			/* FEE_* */
	const char *description;	/* USPS's wording of the STC */
};

/* the class named name, or NULL */
const struct mail_class *mail_class_find(const char *name);
/* the class whose IMpb service type code is stc, or NULL */
const struct mail_class *mail_class_for_stc(const char *stc);
/* the i-th class (0-based), NULL past the end */
const struct mail_class *mail_class_at(size_t i);
/*
 * base with options changed: restricted -1 keeps, 0 off, 1 on; return_receipt NULL keeps,
 * else "none", "electronic" or "hardcopy". NULL when no class has that combination.
 */
const struct mail_class *mail_class_with(const struct mail_class *base, int restricted,
					 const char *return_receipt);
/* the price key of one FEE_* bit ("certified", "return_receipt_electronic", …) */
const char *mail_class_fee_key(unsigned fee);

/* ---- the operator's service fee ---- */

struct service_fee {
	long long fixed_cents;		/* per mailing */
	unsigned basis_points;		/* of postage and fees (100 = 1%) */
};

/* "1.50", "10%", "0.50+2.5%", "0"; 0, or -1 with a message in errbuf */
int service_fee_parse(const char *s, struct service_fee *out, char *errbuf, size_t errlen);

/* ---- the calculation ---- */

/* one sheet of 20 lb bond, 8.5x11: about 0.16 oz (4.5 g); a #10 envelope about 0.2 oz */
#define SHEET_MILLIOZ 160
#define ENVELOPE_MILLIOZ 200
/* Lob: letters over 6 sheets go in a flat envelope (priced as a large envelope) */
#define LETTER_MAX_SHEETS 6
/* pages a letter may have (Lob's domestic limit, single-sided) */
#define MAILING_MAX_PAGES 60

#define COST_MAX_LINES 8

struct cost_line {
	const char *key;		/* price key */
	const char *item;		/* the row's wording (borrowed from the table) */
	unsigned quantity;		/* e.g. additional ounces */
	long long cents;		/* quantity x the row's price */
};

struct cost {
	unsigned pages, sheets;		/* sheets: content sheets + the certified cover sheet */
	bool duplex;
	unsigned weight_millioz;
	long long postage_cents;	/* USPS: postage and extra-service fees */
	long long service_fee_cents;
	long long total_cents;
	struct cost_line lines[COST_MAX_LINES];	/* what postage_cents is made of */
	size_t n_lines;
	char effective_date[PRICE_DATE_LEN + 1];	/* the newest price used */
};

/*
 * Prices a mailing of mc with pages pages (1..MAILING_MAX_PAGES), printed duplex or not,
 * at the prices in force on date. -1 with ERR_INVALID when the table cannot price it (a
 * fee "not found", a letter that needs a flat envelope and no flat prices), naming what
 * is missing.
 */
int price_mailing(const struct price_table *t, const struct service_fee *fee,
		  const struct mail_class *mc, unsigned pages, bool duplex, const char *date,
		  struct cost *out, struct api_error *err);

/* cents as dollars: "8.90", "-0.05"; out needs 24 bytes */
void price_format(long long cents, char out[24]);
#endif
