// SPDX-License-Identifier: AGPL-3.0-or-later
/* The Informed Delivery campaigns' CSV for the USPS portal (infd_export.h). */
#include "production/infd_export.h"
#include "sign/asset_urls.h"
#include "store/kind_store.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {
	"usps_campaign_id", "id", "account_id", "mode", "status", "usps_title", "campaign_code",
	"brand_name", "quantity", "start_date", "end_date", "ride_along_url",
	"ride_along_image_file", "ride_along_image_link", "representative_image_file",
	"representative_image_link", "lob_campaign_id", "date_created", NULL
};

/* RFC 4180: quoted when it holds '"', ',', CR or LF; a leading = + - @ (a spreadsheet
 * formula) is quoted behind a "'" so that opening the file runs nothing */
static void put_field(FILE *f, const char *s, bool last)
{
	s = s ? s : "";
	bool formula = strchr("=+-@", s[0]) && s[0];
	if (formula || s[strcspn(s, "\",\r\n")]) {
		fputc('"', f);
		if (formula)
			fputc('\'', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

static const char *text(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* the image's signed link, or "" without a base URL or a key */
static const char *link_of(const char *data_dir, const char *file_url, const char *key,
			   char *buf, size_t n)
{
	struct api_error ignored;
	buf[0] = '\0';
	if (key && file_url && asset_url(data_dir, file_url, key, 0, buf, n, &ignored) < 0)
		buf[0] = '\0';
	return buf;
}

static void put_row(FILE *f, const json_t *c, const char *data_dir, const char *file_url)
{
	char qty[24], ride[2048], rep[2048];
	const char *ride_key = text(c, INFD_RIDE_ALONG_ASSET);
	const char *rep_key = text(c, INFD_REPRESENTATIVE_ASSET);
	snprintf(qty, sizeof qty, "%lld", (long long)json_integer_value(json_object_get(c, "quantity")));
	const char *values[] = {
		text(c, "usps_campaign_id"), text(c, "id"), text(c, "account_id"), text(c, "mode"),
		text(c, "status"), text(c, "usps_title"), text(c, "campaign_code"),
		text(c, "brand_name"), qty, text(c, "start_date"), text(c, "end_date"),
		text(c, "ride_along_url"), ride_key,
		link_of(data_dir, file_url, ride_key, ride, sizeof ride), rep_key,
		link_of(data_dir, file_url, rep_key, rep, sizeof rep), text(c, "lob_campaign_id"),
		text(c, "date_created"),
	};
	size_t n = sizeof values / sizeof values[0];
	for (size_t i = 0; i < n; i++)
		put_field(f, values[i], i + 1 == n);
}

int infd_export_csv(struct store *s, const char *data_dir, const char *file_url,
		    bool include_test, char **csv, size_t *len, struct api_error *err)
{
	*csv = NULL;
	*len = 0;
	json_t *all = NULL;
	if (store_objects_of_kind(s, INFD_KIND, include_test, &all, err) < 0)
		return -1;
	FILE *f = open_memstream(csv, len);
	if (!f) {
		json_decref(all);
		return api_fail(err, ERR_INTERNAL, "out of memory writing the CSV");
	}
	for (size_t i = 0; columns[i]; i++)
		put_field(f, columns[i], !columns[i + 1]);
	size_t i;
	json_t *c;
	json_array_foreach(all, i, c)
		put_row(f, c, data_dir, file_url);
	json_decref(all);
	if (fclose(f) != 0) {
		free(*csv);
		*csv = NULL;
		return api_fail(err, ERR_INTERNAL, "out of memory writing the CSV");
	}
	return 0;
}
