// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * OpenAddresses and NAD CSV loaders for the reference address index (see refdb.h): the
 * header row names the columns, each later row becomes one refdb_add, rows that do not
 * make an address are counted as skipped. No address parsing here.
 */
#include "av/refdb_internal.h"
#include "core/csv.h"
#include "core/parse.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CSV_MAX_FIELDS	96
#define CSV_MAX_ROW	(64u * 1024)

enum src_col { S_NUMBER, S_STREET, S_UNIT, S_CITY, S_STATE, S_ZIP, S_ZIP4, S_LAT, S_LON,
	       N_SRC };

#define N_STREET_PARTS 8

/* a file format: the header names of each column, in order of preference */
struct src_format {
	const char *names[N_SRC][2];
	const char *street_parts[N_STREET_PARTS];	/* joined when the street is empty */
};

static const struct src_format oa_format = {
	.names = {
		[S_NUMBER] = { "NUMBER" }, [S_STREET] = { "STREET" }, [S_UNIT] = { "UNIT" },
		[S_CITY] = { "CITY" }, [S_STATE] = { "REGION" }, [S_ZIP] = { "POSTCODE" },
		[S_LAT] = { "LAT" }, [S_LON] = { "LON" },
	},
};

static const struct src_format nad_format = {
	.names = {
		[S_NUMBER] = { "AddNo_Full", "Add_Number" }, [S_STREET] = { "StNam_Full" },
		[S_UNIT] = { "SubAddress", "Unit" }, [S_CITY] = { "Post_City", "Inc_Muni" },
		[S_STATE] = { "State" }, [S_ZIP] = { "Zip_Code" }, [S_ZIP4] = { "Plus_4" },
		[S_LAT] = { "Latitude" }, [S_LON] = { "Longitude" },
	},
	.street_parts = { "St_PreMod", "St_PreDir", "St_PreTyp", "St_PreSep", "St_Name",
			  "St_PosTyp", "St_PosDir", "St_PosMod" },
};

struct loader {
	struct refdb *db;
	struct csv csv;
	int cols[N_SRC][2];			/* field index, or -1 */
	int parts[N_STREET_PARTS];
	ref_normalise norm;
	void *ctx;
};

static int map_header(struct loader *ld, const struct src_format *fmt)
{
	bool have_parts = false;

	for (int s = 0; s < N_SRC; s++)
		for (int k = 0; k < 2; k++)
			ld->cols[s][k] = csv_find(&ld->csv, fmt->names[s][k]);
	for (int p = 0; p < N_STREET_PARTS; p++) {
		ld->parts[p] = csv_find(&ld->csv, fmt->street_parts[p]);
		have_parts = have_parts || ld->parts[p] >= 0;
	}
	if (ld->cols[S_NUMBER][0] < 0 && ld->cols[S_NUMBER][1] < 0)
		return -1;
	if (ld->cols[S_STREET][0] < 0 && !have_parts)
		return -1;
	return ld->cols[S_ZIP][0] < 0 ? -1 : 0;
}

/* a field of the current row, "" if absent or NAD's "Not stated" */
static const char *row_field(const struct loader *ld, int idx)
{
	const char *f;

	if (idx < 0 || (size_t)idx >= ld->csv.n_fields)
		return "";
	f = ld->csv.fields[idx];
	return strcasecmp(f, "Not stated") == 0 ? "" : f;
}

static const char *row_col(const struct loader *ld, enum src_col s)
{
	const char *f = row_field(ld, ld->cols[s][0]);

	return *f ? f : row_field(ld, ld->cols[s][1]);
}

/* the street, or the NAD street parts joined with spaces */
static const char *row_street(const struct loader *ld, char *buf, size_t len)
{
	const char *st = row_col(ld, S_STREET);
	size_t n = 0;

	if (*st)
		return st;
	buf[0] = '\0';
	for (int p = 0; p < N_STREET_PARTS; p++) {
		const char *part = row_field(ld, ld->parts[p]);
		size_t plen = strlen(part);
		if (!plen)
			continue;
		if (n + plen + 2 > len)
			return "";
		if (n)
			buf[n++] = ' ';
		memcpy(buf + n, part, plen + 1);
		n += plen;
	}
	return buf;
}

/* "94107", "94107-2282" or "941072282" → zip5 (+ zip4); -1 otherwise */
static int split_postcode(const char *pc, char zip5[6], char zip4[5])
{
	size_t len = strlen(pc);

	if (len != 5 && len != 9 && len != 10)
		return -1;
	memcpy(zip5, pc, 5);
	zip5[5] = '\0';
	zip4[0] = '\0';
	if (!refdb_is_digits(zip5, 5))
		return -1;
	if (len == 5)
		return 0;
	pc += len == 10 ? 6 : 5;
	if ((len == 10 && pc[-1] != '-') || !refdb_is_digits(pc, 4))
		return -1;
	memcpy(zip4, pc, 5);
	return 0;
}

static double parse_coord(const char *s, double limit)
{
	double v;
	return parse_double(s, -limit, limit, &v) == 0 ? v : NAN;
}

struct norm_out {
	char line[FIELD_MAX], number[FIELD_MAX / 4], street[FIELD_MAX], unit[FIELD_MAX / 2];
};

/* the current row as an address: 0, or -1 to skip it (bad row, rejected, out of memory) */
static int add_row(struct loader *ld)
{
	char street_buf[FIELD_MAX], zip5[6], zip4[5];
	const char *street = row_street(ld, street_buf, sizeof(street_buf));
	const char *number = row_col(ld, S_NUMBER), *z4 = row_col(ld, S_ZIP4);
	struct norm_out n;
	struct ref_address a;
	char state[3] = "";

	if (!*number || !*street || split_postcode(row_col(ld, S_ZIP), zip5, zip4) < 0)
		return -1;
	if (!zip4[0] && refdb_is_digits(z4, 4))
		memcpy(zip4, z4, 5);
	if (ld->norm(number, street, row_col(ld, S_UNIT), n.line, sizeof(n.line), n.number,
		     sizeof(n.number), n.street, sizeof(n.street), n.unit, sizeof(n.unit),
		     ld->ctx) != 0 || !n.line[0] || !n.number[0] || !n.street[0])
		return -1;
	if (strlen(row_col(ld, S_STATE)) == 2)
		memcpy(state, row_col(ld, S_STATE), 3);
	a = (struct ref_address){
		.primary_line = n.line, .primary_number = n.number, .street = n.street,
		.unit = n.unit, .city = row_col(ld, S_CITY), .state = state, .zip5 = zip5,
		.zip4 = zip4, .lat = parse_coord(row_col(ld, S_LAT), 90),
		.lon = parse_coord(row_col(ld, S_LON), 180),
	};
	return refdb_add(ld->db, &a) == 0 ? 0 : -1;
}

static long load_rows(struct loader *ld, char *err, size_t errlen, const char *path)
{
	long added = 0;

	for (;;) {
		enum csv_result rc = csv_next(&ld->csv);
		if (rc == CSV_END)
			break;
		if (rc == CSV_FAIL) {
			snprintf(err, errlen, "%s: %s", path, csv_error_text(ld->csv.error));
			return -1;
		}
		if (rc == CSV_ROW && add_row(ld) == 0)
			added++;
		else
			ld->db->skipped++;
	}
	return added;
}

static long load_csv(struct refdb *db, const char *path, const struct src_format *fmt,
		     ref_normalise norm, void *ctx, char *err, size_t errlen)
{
	struct loader ld = { .db = db, .norm = norm ? norm : refdb_normalise_plain, .ctx = ctx };
	long added = -1;
	FILE *f;

	if (db->frozen) {
		snprintf(err, errlen, "%s: index already frozen", path);
		return -1;
	}
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (csv_init_file(&ld.csv, f, CSV_MAX_FIELDS, CSV_MAX_ROW) < 0)
		snprintf(err, errlen, "%s: out of memory", path);
	else if (csv_next(&ld.csv) != CSV_ROW || map_header(&ld, fmt) < 0)
		snprintf(err, errlen, "%s: header lacks a number, street or ZIP column", path);
	else
		added = load_rows(&ld, err, errlen, path);
	csv_release(&ld.csv);
	fclose(f);
	return added;
}

long refdb_load_openaddresses(struct refdb *db, const char *path, ref_normalise norm,
			      void *ctx, char *err, size_t errlen)
{
	return load_csv(db, path, &oa_format, norm, ctx, err, errlen);
}

long refdb_load_nad(struct refdb *db, const char *path, ref_normalise norm, void *ctx,
		    char *err, size_t errlen)
{
	return load_csv(db, path, &nad_format, norm, ctx, err, errlen);
}

int refdb_normalise_plain(const char *number, const char *street, const char *unit,
			  char *primary_line, size_t pl_len, char *num_out, size_t nl,
			  char *street_out, size_t sl, char *unit_out, size_t ul, void *ctx)
{
	int len;

	if (refdb_fold_copy(number, num_out, nl) <= 0 ||
	    refdb_fold_copy(street, street_out, sl) <= 0 ||
	    refdb_fold_copy(unit, unit_out, ul) < 0)
		return -1;
	len = snprintf(primary_line, pl_len, "%s %s%s%s", num_out, street_out,
		       unit_out[0] ? " " : "", unit_out);
	return len < 0 || (size_t)len >= pl_len ? -1 : 0;
}
