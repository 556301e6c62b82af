// SPDX-License-Identifier: AGPL-3.0-or-later
/* Lob's qr_code option: validation and placement. */
#include "mail/qr_option.h"
#include "core/parse.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool number(const json_t *o, const char *k, double *v)
{
	const json_t *n = json_object_get(o, k);
	/* form bodies (qr_code[width]=2.5) and Lob's own examples send numbers as text */
	if (json_is_string(n))
		return parse_double(json_string_value(n), 0, 1000, v) == 0;
	if (!json_is_number(n))
		return false;
	*v = json_number_value(n);
	return isfinite(*v);
}

/* Lob's side names: postcards' front and back, self-mailers' inside and outside (pages 1, 2) */
static const char *const postcard_sides[] = { "front", "back", NULL };
static const char *const self_mailer_sides[] = { "inside", "outside", NULL };

const char *const *qr_page_names(const char *kind)
{
	if (kind && strcmp(kind, "postcard") == 0)
		return postcard_sides;
	if (kind && strcmp(kind, "self_mailer") == 0)
		return self_mailer_sides;
	return NULL;
}

/* "front,back" into page flags (names[i] is page i + 1); false on anything else */
static bool parse_sides(const char *s, const char *const *names, bool page[QR_PAGES_MAX + 1])
{
	if (!*s)
		return false;
	while (*s) {
		size_t n = strcspn(s, ",");
		size_t i = 0;
		while (names[i] && !(strlen(names[i]) == n && strncmp(names[i], s, n) == 0))
			i++;
		if (!names[i])
			return false;
		page[i + 1] = true;
		s += n;
		if (*s == ',' && *++s == '\0')
			return false;
	}
	return true;
}

/* "1,3,5-7" into page flags; false on anything else */
static bool parse_pages(const char *s, bool page[QR_PAGES_MAX + 1])
{
	while (*s) {
		char *end;
		long a = 0, b;
		const char *p = s;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9' && a <= QR_PAGES_MAX)
			a = a * 10 + (*p++ - '0');
		b = a;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				return false;
			b = 0;
			while (*p >= '0' && *p <= '9' && b <= QR_PAGES_MAX)
				b = b * 10 + (*p++ - '0');
		}
		end = (char *)p;
		if (a < 1 || b < a || b > QR_PAGES_MAX)
			return false;
		for (long i = a; i <= b; i++)
			page[i] = true;
		if (*end == ',')
			end++;
		else if (*end)
			return false;
		s = end;
	}
	return true;
}

json_t *qr_option_check(const json_t *v, double page_w, double page_h, struct api_error *err)
{
	return qr_option_check_kind(v, NULL, page_w, page_h, err);
}

json_t *qr_option_check_kind(const json_t *v, const char *kind, double page_w, double page_h,
			     struct api_error *err)
{
	const char *const *names = qr_page_names(kind);
	static const char *const known[] = { "position", "redirect_url", "width", "top", "bottom",
					     "left", "right", "pages", NULL };
	const char *k;
	json_t *e;
	double w, x, y;
	bool pages[QR_PAGES_MAX + 1] = { false };
	if (!json_is_object(v)) {
		api_fail(err, ERR_INVALID, "qr_code must be an object");
		return NULL;
	}
	json_object_foreach((json_t *)v, k, e) {
		const char *const *n = known;
		while (*n && strcmp(*n, k) != 0)
			n++;
		if (!*n && (strcmp(k, "logo") == 0 || strcmp(k, "style") == 0)) {
			/* the spec's, but the stamp draws black on white without a logo */
			api_fail(err, ERR_INVALID,
				 "qr_code.%s is not supported by this Frank yet (codes print black on white, without a logo)",
				 k);
			return NULL;
		}
		if (!*n) {
			api_fail(err, ERR_INVALID, "qr_code.%.40s is not allowed", k);
			return NULL;
		}
	}
	const char *pos = json_string_value(json_object_get(v, "position"));
	const char *url = json_string_value(json_object_get(v, "redirect_url"));
	const char *pg = json_string_value(json_object_get(v, "pages"));
	bool top = json_object_get(v, "top"), bottom = json_object_get(v, "bottom");
	bool left = json_object_get(v, "left"), right = json_object_get(v, "right");
	if (!pos || strcmp(pos, "relative") != 0)
		api_fail(err, ERR_INVALID, "qr_code.position must be one of [relative]");
	else if (!url || !*url || strlen(url) > 2048)
		api_fail(err, ERR_INVALID, "qr_code.redirect_url is required (at most 2048 characters)");
	else if (!number(v, "width", &w) || w < 1)
		api_fail(err, ERR_INVALID, "qr_code.width must be a number of at least 1 (inch)");
	else if (top == bottom)
		api_fail(err, ERR_INVALID, "qr_code needs exactly one of top or bottom");
	else if (left == right)
		api_fail(err, ERR_INVALID, "qr_code needs exactly one of left or right");
	else if (!number(v, top ? "top" : "bottom", &y) || !number(v, left ? "left" : "right", &x) ||
		 x < 0 || y < 0)
		api_fail(err, ERR_INVALID, "qr_code's top/bottom and left/right must be numbers of 0 or more (inches)");
	else if (x + w > page_w || y + w > page_h)
		api_fail(err, ERR_INVALID, "qr_code does not fit on a %.4g\"x%.4g\" page", page_w, page_h);
	else if (pg && names && !parse_sides(pg, names, pages))
		api_fail(err, ERR_INVALID, "qr_code.pages must be \"%s\", \"%s\" or \"%s,%s\"",
			 names[0], names[1], names[0], names[1]);
	else if (pg && !names && !parse_pages(pg, pages))
		api_fail(err, ERR_INVALID,
			 "qr_code.pages must be page numbers and ranges such as \"1,3,5-7\"");
	else
		return json_incref((json_t *)v);
	return NULL;
}

void qr_option_place(const json_t *v, double page_w, double page_h, struct qr_option *out)
{
	double x = 0, y = 0;
	memset(out, 0, sizeof(*out));
	number(v, "width", &out->width_in);
	if (number(v, "left", &x))
		out->x_in = x;
	else if (number(v, "right", &x))
		out->x_in = page_w - x - out->width_in;
	if (number(v, "top", &y))
		out->y_in = y;
	else if (number(v, "bottom", &y))
		out->y_in = page_h - y - out->width_in;
	const char *pg = json_string_value(json_object_get(v, "pages"));
	/* checked at create for the product: numbers, or one product's side names */
	if (!pg || !(parse_pages(pg, out->page) || parse_sides(pg, postcard_sides, out->page) ||
		     parse_sides(pg, self_mailer_sides, out->page)))
		out->page[1] = true;	/* Lob: the first page unless pages says otherwise */
}
