// SPDX-License-Identifier: AGPL-3.0-or-later
/* Mappings and row checks of uploads (mail/upload_map.h). */
#include "mail/upload_map.h"
#include "av/pub28.h"
#include "av/testmode.h"
#include "av/verify.h"
#include "core/countries.h"
#include "core/utf8.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *const upload_target_names[UT_COUNT] = {
	"name", "address_line1", "address_city", "address_state", "address_zip",
	"address_line2", "company", "address_country",
};

/* Lob's limits on a US `to` (spec: address_editable_us); international states are longer */
static const size_t target_max[UT_COUNT] = { 40, 64, 200, 200, 40, 64, 40, 200 };

#define REQUIRED_MAP "requiredAddressColumnMapping"
#define OPTIONAL_MAP "optionalAddressColumnMapping"
#define MERGE_MAP "mergeVariableColumnMapping"

static const char *mapped(const json_t *upload, enum upload_target t)
{
	const json_t *m = json_object_get(upload, t < UT_ADDRESS_LINE2 ? REQUIRED_MAP : OPTIONAL_MAP);
	const char *v = json_string_value(json_object_get(m, upload_target_names[t]));
	return v && *v ? v : NULL;
}

int upload_mappings_check(const json_t *upload, char *msg, size_t msglen)
{
	for (int t = UT_ADDRESS_LINE1; t <= UT_ADDRESS_ZIP; t++)
		if (!mapped(upload, (enum upload_target)t)) {
			snprintf(msg, msglen, REQUIRED_MAP ".%s is required: name the file's column "
				 "that holds it", upload_target_names[t]);
			return -1;
		}
	if (!mapped(upload, UT_NAME) && !mapped(upload, UT_COMPANY)) {
		snprintf(msg, msglen, REQUIRED_MAP ".name is required (or "
			 OPTIONAL_MAP ".company): a piece needs a name or a company");
		return -1;
	}
	const json_t *cols = json_object_get(json_object_get(upload, "metadata"), "columns");
	if (json_array_size(cols) > UPLOAD_METADATA_MAX) {
		snprintf(msg, msglen, "metadata.columns may name at most %d columns (Lob's limit of "
			 "metadata keys on a piece)", UPLOAD_METADATA_MAX);
		return -1;
	}
	size_t i;
	const json_t *c;
	json_array_foreach(cols, i, c)
		if (strlen(json_string_value(c)) >= 40) {
			snprintf(msg, msglen, "metadata.columns[%zu] must be less than 40 characters "
				 "long (it becomes a metadata key)", i);
			return -1;
		}
	return 0;
}

static int column_index(const struct upload_map *m, const char *column)
{
	for (size_t i = 0; i < m->n_columns; i++)
		if (strcmp(m->columns[i], column) == 0)
			return (int)i;
	return -1;
}

static int bind_col(struct upload_map *m, struct upload_col *c, const char *what,
		    char *msg, size_t msglen)
{
	c->index = c->column ? column_index(m, c->column) : -1;
	if (c->column && c->index < 0) {
		snprintf(msg, msglen, "%s names the column \"%.80s\", which the file's header "
			 "does not have", what, c->column);
		return -1;
	}
	return 0;
}

struct upload_map *upload_map_compile(const json_t *upload, const struct ucsv_row *header,
				      struct arena *a, char *msg, size_t msglen)
{
	if (upload_mappings_check(upload, msg, msglen) < 0)
		return NULL;
	if (header->bad_utf8 >= 0) {
		snprintf(msg, msglen, "row 1: the header is not UTF-8 (save the file as \"CSV "
			 "UTF-8\")");
		return NULL;
	}
	struct upload_map *m = arena_calloc(a, sizeof(*m));
	m->n_columns = header->n;
	while (m->n_columns && header->lens[m->n_columns - 1] == 0)
		m->n_columns--;	/* empty trailing columns, as spreadsheets save them */
	m->columns = arena_calloc(a, (m->n_columns ? m->n_columns : 1) * sizeof(char *));
	for (size_t i = 0; i < m->n_columns; i++)
		m->columns[i] = arena_strdup(a, header->fields[i]);
	char what[160];
	for (int t = 0; t < UT_COUNT; t++) {
		struct upload_col *c = &m->to[t];
		c->name = upload_target_names[t];
		c->column = mapped(upload, (enum upload_target)t);
		c->column = c->column ? arena_strdup(a, c->column) : NULL;	/* outlives upload */
		snprintf(what, sizeof(what), "%s.%s", t < UT_ADDRESS_LINE2 ? REQUIRED_MAP : OPTIONAL_MAP,
			 c->name);
		if (bind_col(m, c, what, msg, msglen) < 0)
			return NULL;
	}
	const json_t *merge = json_object_get(upload, MERGE_MAP);
	m->merge = arena_calloc(a, (json_object_size(merge) + 1) * sizeof(*m->merge));
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)merge, k, v) {
		struct upload_col *c = &m->merge[m->n_merge++];
		c->name = arena_strdup(a, k);
		c->column = json_string_value(v) ? arena_strdup(a, json_string_value(v)) : NULL;
		snprintf(what, sizeof(what), MERGE_MAP ".%.80s", k);
		if (bind_col(m, c, what, msg, msglen) < 0)
			return NULL;
	}
	const json_t *cols = json_object_get(json_object_get(upload, "metadata"), "columns");
	m->meta = arena_calloc(a, (json_array_size(cols) + 1) * sizeof(*m->meta));
	size_t i;
	json_array_foreach(cols, i, v) {
		struct upload_col *c = &m->meta[m->n_meta++];
		c->name = c->column = arena_strdup(a, json_string_value(v));
		snprintf(what, sizeof(what), "metadata.columns[%zu]", i);
		if (bind_col(m, c, what, msg, msglen) < 0)
			return NULL;
	}
	return m;
}

/* ---- rows ---- */

struct verdict {
	json_t *errors;
	struct arena *a;
};

static void row_error(struct verdict *v, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void row_error(struct verdict *v, const char *column, const char *fmt, ...)
{
	char raw[400], buf[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* a value clipped by %.60s may end inside a character: JSON takes only UTF-8 */
	utf8_sanitize(buf, sizeof(buf), raw, strlen(raw), true);
	if (!v->errors)
		v->errors = json_array();
	json_array_append_new(v->errors, json_pack("{s:s,s:s}", "column", column ? column : "",
						   "message", buf));
}

static const char *cell(const struct ucsv_row *row, const struct upload_col *c, size_t *len)
{
	if (c->index < 0 || (size_t)c->index >= row->n) {
		*len = 0;
		return NULL;
	}
	*len = row->lens[c->index];
	return *len ? row->fields[c->index] : NULL;
}

static bool is_us(const char *country)
{
	return !country || strcasecmp(country, "US") == 0 ||
	       strcasecmp(country, "UNITED STATES") == 0 || strcasecmp(country, "USA") == 0;
}

static bool is_zip(const char *v, size_t n)
{
	if (n != 5 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (i == 5 ? v[i] != '-' : (v[i] < '0' || v[i] > '9'))
			return false;
	return true;
}

/*
 * The address engine's word on a US address that passed the format checks. Test mode: Lob's
 * test rules, the magic lines of /v1/us_verifications ("undeliverable block match", …).
 * Live: refused only when the engine knows the address cannot be delivered — ZIP, city and
 * state inconsistent, a line that does not parse (footnote A1 or M1), or a reference file
 * that covers the ZIP without the address (dpv N); without reference data Frank cannot
 * confirm delivery points, so it does not fail rows on that (docs/internals/av.md).
 */
static const char *undeliverable(const struct upload_map *m, const char *const *to)
{
	struct av_verdict v = { 0 };
	if (m->test) {
		if (strncasecmp(to[UT_ADDRESS_LINE1], "undeliverable", 13) != 0)
			return NULL;
		json_t *in = json_pack("{s:s}", "primary_line", to[UT_ADDRESS_LINE1]);
		json_t *ver = testmode_us_verification(in, "us_ver_upload");
		const char *d = json_string_value(json_object_get(ver, "deliverability"));
		bool und = d && strcmp(d, "undeliverable") == 0;
		json_decref(in);
		json_decref(ver);
		return und ? "address is undeliverable: the ZIP code, city and state do not match, "
			     "or the primary line is not a street address"
			   : NULL;
	}
	if (!m->av)
		return NULL;
	struct us_input u = { .recipient = to[UT_NAME], .primary_line = to[UT_ADDRESS_LINE1],
			      .secondary_line = to[UT_ADDRESS_LINE2], .city = to[UT_ADDRESS_CITY],
			      .state = to[UT_ADDRESS_STATE], .zip_code = to[UT_ADDRESS_ZIP] };
	av_check_us(m->av, &u, &v);
	if (!v.deliverability || strcmp(v.deliverability, "undeliverable") != 0)
		return NULL;
	if (v.dpv && strcmp(v.dpv, "N") == 0)
		return "address is undeliverable: no such delivery point";
	for (int i = 0; i < 3; i++)
		if (v.footnotes[i] && (strcmp(v.footnotes[i], "A1") == 0 ||
				       strcmp(v.footnotes[i], "M1") == 0))
			return "address is undeliverable: the ZIP code, city and state do not "
			       "match, or the primary line is not a street address";
	return NULL;	/* no reference data to confirm it: not Frank's to refuse */
}

static void check_to(const struct upload_map *m, const char *const *to, const size_t *lens,
		     struct verdict *v)
{
	const char *col[UT_COUNT];
	for (int t = 0; t < UT_COUNT; t++)
		col[t] = m->to[t].column ? m->to[t].column : upload_target_names[t];
	if (!to[UT_NAME] && !to[UT_COMPANY])
		row_error(v, col[UT_NAME], "name is required when company is empty");
	if (!to[UT_ADDRESS_LINE1])
		row_error(v, col[UT_ADDRESS_LINE1], "address_line1 is required");
	for (int t = 0; t < UT_COUNT; t++)
		if (to[t] && lens[t] > target_max[t])
			row_error(v, col[t], "%s length must be less than or equal to %zu "
				  "characters long", upload_target_names[t], target_max[t]);
	const char *country = to[UT_ADDRESS_COUNTRY];
	if (!is_us(country)) {
		if (!country_by_alpha2(country) && !country_by_name(country))
			row_error(v, col[UT_ADDRESS_COUNTRY], "address_country with value "
				  "\"%.60s\" is not a country (ISO 3166-1 alpha-2 code or name)",
				  country);
		return;
	}
	if (!to[UT_ADDRESS_CITY])
		row_error(v, col[UT_ADDRESS_CITY], "address_city is required");
	const char *st = to[UT_ADDRESS_STATE];
	if (!st)
		row_error(v, col[UT_ADDRESS_STATE], "address_state is required");
	else if (lens[UT_ADDRESS_STATE] != 2 || !pub28_state_code(st))
		row_error(v, col[UT_ADDRESS_STATE], "address_state with value \"%.60s\" must be "
			  "a 2 letter US state code", st);
	const char *zip = to[UT_ADDRESS_ZIP];
	if (!zip)
		row_error(v, col[UT_ADDRESS_ZIP], "address_zip is required");
	else if (!is_zip(zip, lens[UT_ADDRESS_ZIP]))
		row_error(v, col[UT_ADDRESS_ZIP], "address_zip with value \"%.60s\" fails to match "
			  "the required pattern: /^\\d{5}(-\\d{4})?$/", zip);
	if (v->errors)
		return;
	const char *why = undeliverable(m, to);
	if (why)
		row_error(v, col[UT_ADDRESS_LINE1], "%s", why);
}

static char *dump(struct arena *a, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	char *out = s ? arena_strdup(a, s) : NULL;
	free(s);
	json_decref(j);
	return out;
}

/* the row as the file had it, {"header": "value"} for the header's columns (a short row's
 * missing ones ""), for the report's originalData; bytes that are not UTF-8 are escaped
 * (core/utf8.h), as the row's error says */
static const char *original_data(const struct upload_map *m, const struct ucsv_row *row,
				 struct arena *a)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < m->n_columns; i++) {
		const char *v = i < row->n ? row->fields[i] : "";
		size_t len = i < row->n ? row->lens[i] : 0;
		if (utf8_valid(v, len)) {
			json_object_set_new(o, m->columns[i], json_stringn_nocheck(v, len));
		} else {
			char *clean = arena_alloc(a, 4 * len + 1);
			size_t n = clean ? utf8_sanitize(clean, 4 * len + 1, v, len, false) : 0;
			json_object_set_new(o, m->columns[i], json_stringn_nocheck(clean ? clean : "", n));
		}
	}
	return o ? dump(a, o) : NULL;
}

void upload_map_row(const struct upload_map *m, const struct ucsv_row *row, struct arena *a,
		    struct upload_row *out)
{
	struct verdict v = { .a = a };
	*out = (struct upload_row){ .row_no = row->row_no, .original = original_data(m, row, a) };
	size_t n = row->n;
	while (n > m->n_columns && row->lens[n - 1] == 0)
		n--;	/* empty trailing fields are no columns */
	if (n != m->n_columns)
		row_error(&v, "", "the row has %zu fields where the header has %zu columns (a "
			  "missing or extra separator)", row->n, m->n_columns);
	else if (row->bad_utf8 >= 0)
		row_error(&v, m->columns[row->bad_utf8 < (long long)m->n_columns ? row->bad_utf8 : 0],
			  "the value is not UTF-8 (save the file as \"CSV UTF-8\")");
	if (!v.errors) {
		const char *to[UT_COUNT];
		size_t lens[UT_COUNT];
		for (int t = 0; t < UT_COUNT; t++)
			to[t] = cell(row, &m->to[t], &lens[t]);
		check_to(m, to, lens, &v);
		json_t *piece = json_object(), *jto = json_object(), *mv = json_object(),
		       *meta = json_object();
		for (int t = 0; t < UT_COUNT; t++)
			if (to[t])
				json_object_set_new_nocheck(jto, upload_target_names[t],
							    json_stringn_nocheck(to[t], lens[t]));
		for (size_t i = 0; i < m->n_merge; i++) {
			size_t len;
			const char *val = cell(row, &m->merge[i], &len);
			if (!val)
				row_error(&v, m->merge[i].column ? m->merge[i].column : m->merge[i].name,
					  "merge variable %.80s is required but the row leaves it "
					  "empty", m->merge[i].name);
			else
				json_object_set_new(mv, m->merge[i].name, json_stringn_nocheck(val, len));
		}
		for (size_t i = 0; i < m->n_meta; i++) {
			size_t len;
			const char *val = cell(row, &m->meta[i], &len);
			if (val && len > 500)
				row_error(&v, m->meta[i].column, "metadata.%.60s must be less than "
					  "500 characters long", m->meta[i].name);
			else if (val)
				json_object_set_new(meta, m->meta[i].name, json_stringn_nocheck(val, len));
		}
		json_object_set_new_nocheck(piece, "to", jto);
		json_object_set_new_nocheck(piece, "merge_variables", mv);
		json_object_set_new_nocheck(piece, "metadata", meta);
		if (!v.errors) {
			out->valid = true;
			out->piece = dump(a, piece);
			return;
		}
		json_decref(piece);
	}
	out->errors = dump(a, v.errors);
}

/* ---- the header of a file ---- */

struct header_check {
	const json_t *upload;
	char *msg;
	size_t msglen;
	int rc;
	int rows;
};

static int on_header(void *ctx, const struct ucsv_row *row)
{
	struct header_check *h = ctx;
	if (h->rows++)
		return 1;	/* the header, and one row after it, are enough */
	struct arena *a = arena_new();
	h->rc = a && upload_map_compile(h->upload, row, a, h->msg, h->msglen) ? 0 : -1;
	arena_free(a);
	return h->rc < 0 ? 1 : 0;
}

int upload_map_check_file(const json_t *upload, const char *path, char *msg, size_t msglen)
{
	struct header_check h = { upload, msg, msglen, -1, 0 };
	long long bad;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(msg, msglen, "the file could not be read");
		return -1;
	}
	int rc = ucsv_read(fd, on_header, &h, msg, msglen, &bad);
	close(fd);
	if (rc == 0 && h.rc == 0) {
		snprintf(msg, msglen, "the file has a header but no rows: it needs one row per "
			 "recipient after the header");
		return -1;
	}
	if (rc == 0) {
		snprintf(msg, msglen, "the file is empty: it needs a header row naming its "
			 "columns, then one row per recipient");
		return -1;
	}
	return rc == 1 ? h.rc : -1;
}
