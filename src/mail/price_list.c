// SPDX-License-Identifier: AGPL-3.0-or-later
/* The operator's price list (see price_list.h): parsed and checked once, then applied. */
#include "mail/price_list.h"
#include "core/parse.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PRICE_MAX_CENTS 1000000LL	/* $10,000: far above any piece, below any typo of one */
#define PRICE_ITEM_MAX 120

bool price_dollars_cents(const json_t *v, long long max_cents, long long *out)
{
	double d;
	if (json_is_number(v)) {
		d = json_number_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v), *dot = strchr(s, '.');
		if (dot && strlen(dot + 1) > 2)
			return false;
		if (parse_double(s, 0, (double)max_cents / 100.0, &d) < 0)
			return false;
	} else {
		return false;
	}
	double c = d * 100.0;
	if (!(c >= 0 && c <= (double)max_cents) || fabs(c - round(c)) > 1e-6)
		return false;
	*out = (long long)llround(c);
	return true;
}

static bool scalar(const json_t *v)
{
	return json_is_string(v) || json_is_boolean(v) || json_is_number(v);
}

/* one line, checked; its price replaced by "cents" */
static bool line_ok(json_t *line, const char *product, size_t i, char *msg, size_t msglen)
{
	const json_t *item = json_object_get(line, "item"), *when = json_object_get(line, "when");
	long long cents;
	const char *k;
	json_t *v;
	if (!json_is_object(line) || !json_is_string(item) || !*json_string_value(item) ||
	    strlen(json_string_value(item)) > PRICE_ITEM_MAX) {
		snprintf(msg, msglen, "products.%.40s[%zu]: an object with an item (a name of 1 to "
			 "%d characters) is needed", product, i, PRICE_ITEM_MAX);
		return false;
	}
	if (!price_dollars_cents(json_object_get(line, "price"), PRICE_MAX_CENTS, &cents)) {
		snprintf(msg, msglen, "products.%.40s[%zu].price: dollars from 0 to 10000 with at "
			 "most two decimals, e.g. \"0.85\"", product, i);
		return false;
	}
	if (when && !json_is_object(when)) {
		snprintf(msg, msglen, "products.%.40s[%zu].when must be an object", product, i);
		return false;
	}
	json_object_foreach((json_t *)when, k, v)
		if (!scalar(v)) {
			snprintf(msg, msglen, "products.%.40s[%zu].when.%.40s must be a string, "
				 "boolean or number", product, i, k);
			return false;
		}
	json_object_foreach(line, k, v)
		if (strcmp(k, "item") && strcmp(k, "price") && strcmp(k, "when")) {
			snprintf(msg, msglen, "products.%.40s[%zu].%.40s is not a field of a price "
				 "line (item, price, when)", product, i, k);
			return false;
		}
	json_object_set_new(line, "cents", json_integer(cents));
	return true;
}

json_t *price_list_parse(const char *text, size_t len, char *msg, size_t msglen)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	const json_t *products = json_object_get(doc, "products");
	const json_t *currency = json_object_get(doc, "currency");
	const char *product;
	json_t *lines;
	if (!doc) {
		snprintf(msg, msglen, "line %d: %s", je.line, je.text);
		return NULL;
	}
	if (!json_is_object(products) ||
	    (currency && (!json_is_string(currency) ||
			  strcmp(json_string_value(currency), "usd") != 0))) {
		snprintf(msg, msglen, "a price list is {\"currency\": \"usd\", \"products\": "
			 "{\"letter\": [{\"item\", \"price\", \"when\"}, …]}}");
		json_decref(doc);
		return NULL;
	}
	json_object_foreach((json_t *)products, product, lines) {
		size_t i;
		json_t *line;
		if (!json_is_array(lines)) {
			snprintf(msg, msglen, "products.%.40s must be an array of price lines", product);
			json_decref(doc);
			return NULL;
		}
		json_array_foreach(lines, i, line)
			if (!line_ok(line, product, i, msg, msglen)) {
				json_decref(doc);
				return NULL;
			}
	}
	return doc;
}

/* piece's field at a path of one or two names ("color", "to.address_country") */
static const json_t *field_at(const json_t *piece, const char *path)
{
	const char *dot = strchr(path, '.');
	if (!dot)
		return json_object_get(piece, path);
	char head[64];
	if ((size_t)(dot - path) >= sizeof(head))
		return NULL;
	snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
	return json_object_get(json_object_get(piece, head), dot + 1);
}

static bool holds(const json_t *when, const json_t *piece)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)when, k, v) {
		const json_t *have = field_at(piece, k);
		if (!have || !json_equal((json_t *)have, v))
			return false;
	}
	return true;
}

bool price_list_price(const json_t *list, const char *kind, const json_t *piece,
		      long long *cents, char *desc, size_t desclen)
{
	const json_t *lines = json_object_get(json_object_get(list, "products"), kind);
	size_t i, used = 0;
	json_t *line;
	*cents = 0;
	desc[0] = '\0';
	if (!lines)
		return false;
	json_array_foreach(lines, i, line) {
		if (!holds(json_object_get(line, "when"), piece))
			continue;
		*cents += json_integer_value(json_object_get(line, "cents"));
		int n = snprintf(desc + used, desclen - used, "%s%s", used ? " + " : "",
				 json_string_value(json_object_get(line, "item")));
		if (n > 0)
			used = used + (size_t)n < desclen ? used + (size_t)n : desclen - 1;
	}
	return true;
}
