// SPDX-License-Identifier: AGPL-3.0-or-later
/* Positive-pay files per bank account (see positive_pay.h for the format). */
#include "production/positive_pay.h"
#include "core/parse.h"
#include "core/utf8.h"
#include "production/manifest_file.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lob's largest check amount */
#define AMOUNT_MAX 999999.99

struct issued {
	const char *piece_id, *bank, *account, *payee;
	json_int_t number;
	long long cents;
	char date[7];		/* MMDDYY */
};

static int by_bank_then_number(const void *a, const void *b)
{
	const struct issued *x = a, *y = b;
	int c = strcmp(x->bank, y->bank);
	if (c)
		return c;
	return (x->number > y->number) - (x->number < y->number);
}

/* "YYYY-MM-DD" → "MMDDYY"; false when it is not such a date */
static bool chase_date(const char *iso, char out[7])
{
	if (!iso || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-' ||
	    !digits_only(iso, 4) || !digits_only(iso + 5, 2) || !digits_only(iso + 8, 2))
		return false;
	memcpy(out, iso + 5, 2);
	memcpy(out + 2, iso + 8, 2);
	memcpy(out + 4, iso + 2, 2);
	out[6] = '\0';
	return true;
}

/* the check of one piece into *c; -1 with *err naming the piece */
static int read_check(const json_t *piece, struct issued *c, struct api_error *err)
{
	const json_t *check = json_object_get(piece, "check");
	const json_t *amount = json_object_get(check, "amount");
	const json_t *number = json_object_get(check, "number");
	c->piece_id = json_string_value(json_object_get(piece, "id"));
	c->bank = json_string_value(json_object_get(check, "bank_account_id"));
	c->account = json_string_value(json_object_get(check, "account_number"));
	c->payee = json_string_value(json_object_get(check, "payee"));
	const char *id = c->piece_id ? c->piece_id : "(no id)";
	if (!manifest_name_safe(c->bank) || !c->account || !*c->account ||
	    !digits_only(c->account, strlen(c->account)))
		return api_fail(err, ERR_INVALID,
				"check %s needs a bank_account_id and a digits-only account_number", id);
	if (!json_is_integer(number) || json_integer_value(number) < 1)
		return api_fail(err, ERR_INVALID, "check %s has no check number", id);
	if (!json_is_number(amount) || !(json_number_value(amount) > 0) ||
	    json_number_value(amount) > AMOUNT_MAX)
		return api_fail(err, ERR_INVALID, "check %s: amount must be 0.01 to %.2f", id,
				AMOUNT_MAX);
	if (!chase_date(json_string_value(json_object_get(check, "date")), c->date))
		return api_fail(err, ERR_INVALID, "check %s: date must be YYYY-MM-DD", id);
	c->number = json_integer_value(number);
	c->cents = llround(json_number_value(amount) * 100.0);
	return 0;
}

/* the payee cut to POSITIVE_PAY_PAYEE_MAX characters, at a character boundary */
static void payee_field(const char *payee, char *out, size_t cap)
{
	size_t len = payee ? strlen(payee) : 0, at = 0;
	for (unsigned chars = 0; at < len && chars < POSITIVE_PAY_PAYEE_MAX; chars++) {
		size_t n = utf8_seq_len((const unsigned char *)payee + at, len - at);
		at += n ? n : 1;
	}
	while (at > 0 && payee[at - 1] == ' ')	/* a cut may leave a space at the end */
		at--;
	utf8_sanitize(out, cap, payee ? payee : "", at, true);
}

static int write_bank(const struct issued *c, size_t n, const char *out_dir, json_t *files_out,
		      struct api_error *err)
{
	char name[128], num[32], amount[32], payee[4 * POSITIVE_PAY_PAYEE_MAX + 1];
	struct manifest_file mf;
	snprintf(name, sizeof name, "positive_pay_%s.csv", c[0].bank);
	if (manifest_file_open(&mf, out_dir, name, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		snprintf(num, sizeof num, "%lld", (long long)c[i].number);
		snprintf(amount, sizeof amount, "%lld.%02lld", c[i].cents / 100, c[i].cents % 100);
		payee_field(c[i].payee, payee, sizeof payee);
		manifest_csv_field(&mf, "I", false);	/* issue record */
		manifest_csv_field(&mf, c[i].account, false);
		manifest_csv_field(&mf, num, false);
		manifest_csv_field(&mf, c[i].date, false);
		manifest_csv_field(&mf, amount, false);
		manifest_csv_field(&mf, payee, true);
	}
	return manifest_file_commit(&mf, "positive_pay", NULL, files_out, err);
}

int positive_pay_write(const json_t *run, const char *out_dir, json_t *files_out,
		       struct api_error *err)
{
	size_t n = 0, cap = 0, i, j;
	struct issued *checks = NULL;
	const json_t *lot, *piece;
	int rc = 0;
	json_array_foreach(json_object_get(run, "lots"), i, lot)
		json_array_foreach(json_object_get(lot, "pieces"), j, piece) {
			if (!json_is_object(json_object_get(piece, "check")))
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				struct issued *more = realloc(checks, cap * sizeof *checks);
				if (!more) {
					free(checks);
					return api_fail(err, ERR_INTERNAL,
							"out of memory listing the run's checks");
				}
				checks = more;
			}
			if (read_check(piece, &checks[n++], err) < 0) {
				free(checks);
				return -1;
			}
		}
	if (n > 0)
		qsort(checks, n, sizeof *checks, by_bank_then_number);
	/* the bank pays a number once: a repeat in one account is a plan error */
	for (i = 1; i < n && rc == 0; i++)
		if (by_bank_then_number(&checks[i - 1], &checks[i]) == 0)
			rc = api_fail(err, ERR_INVALID, "checks %s and %s share number %lld on %s",
				      checks[i - 1].piece_id, checks[i].piece_id,
				      (long long)checks[i].number, checks[i].bank);
	for (size_t from = 0; from < n && rc == 0;) {
		size_t to = from + 1;
		while (to < n && strcmp(checks[to].bank, checks[from].bank) == 0)
			to++;
		rc = write_bank(checks + from, to - from, out_dir, files_out, err);
		from = to;
	}
	free(checks);
	return rc;
}
