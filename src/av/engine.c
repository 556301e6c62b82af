// SPDX-License-Identifier: AGPL-3.0-or-later
/* Loading the verification engine's data: ZIP reference data and optional known addresses. */
#include "av/refdb.h"
#include "av/usaddr.h"
#include "av/verify.h"
#include "av/zipdb.h"
#include "core/log.h"
#include <stdio.h>
#include <string.h>

/* refdb's normaliser: the Pub 28 parser turns a raw number/street/unit into Frank's forms */
static int normalise(const char *number, const char *street, const char *unit,
		     char *primary_line, size_t pl_len, char *num_out, size_t nl, char *street_out,
		     size_t sl, char *unit_out, size_t ul, void *ctx)
{
	struct us_address a;
	char line1[320], why[96];
	(void)ctx;
	snprintf(line1, sizeof(line1), "%s %s", number ? number : "", street ? street : "");
	if (us_address_parse(line1, unit, &a, why, sizeof(why)) < 0 || !a.primary_number[0])
		return -1;
	snprintf(primary_line, pl_len, "%s", a.primary_line);
	snprintf(num_out, nl, "%s", a.primary_number);
	snprintf(street_out, sl, "%s%s%s%s%s%s%s", a.street_predirection,
		 a.street_predirection[0] ? " " : "", a.street_name, a.street_suffix[0] ? " " : "",
		 a.street_suffix, a.street_postdirection[0] ? " " : "", a.street_postdirection);
	snprintf(unit_out, ul, "%s%s%s", a.secondary_designator,
		 a.secondary_number[0] ? " " : "", a.secondary_number);
	return 0;
}

/* OpenAddresses files start with their LON,LAT,NUMBER,STREET header; anything else is NAD */
static bool is_openaddresses(const char *path)
{
	char head[256] = "";
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool oa = fgets(head, sizeof(head), f) && strstr(head, "NUMBER") && strstr(head, "STREET") &&
		  strstr(head, "LON");
	fclose(f);
	return oa;
}

static int load_references(struct av_engine *av, const char *path, char *err, size_t errlen)
{
	av->refs = refdb_new();
	if (!av->refs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	long n = is_openaddresses(path)
			 ? refdb_load_openaddresses(av->refs, path, normalise, NULL, err, errlen)
			 : refdb_load_nad(av->refs, path, normalise, NULL, err, errlen);
	if (n < 0)
		return -1;
	if (refdb_freeze(av->refs) < 0) {
		snprintf(err, errlen, "out of memory indexing %s", path);
		return -1;
	}
	log_msg(LOG_INFO, "av: %ld reference addresses loaded from %s", n, path);
	return 0;
}

int av_engine_load(struct av_engine *av, const char *zip_path, const char *ref_path, char *err,
		   size_t errlen)
{
	memset(av, 0, sizeof(*av));
	av->zips = zipdb_load(zip_path, err, errlen);
	if (!av->zips)
		return -1;
	if (ref_path && *ref_path && load_references(av, ref_path, err, errlen) < 0) {
		av_engine_release(av);
		return -1;
	}
	return 0;
}

void av_engine_release(struct av_engine *av)
{
	zipdb_free(av->zips);
	refdb_free(av->refs);
	av->zips = NULL;
	av->refs = NULL;
}
