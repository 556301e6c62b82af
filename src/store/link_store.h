// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Short links' reads (docs/internals/links.md). Links, QR codes' links (qr_link), custom
 * domains and clicks (link_click) are objects rows written like any other; these are the
 * reads the generic calls cannot make: a redirect's lookup across accounts by the whole short
 * link, a domain name's owner, and the QR code analytics (links of pieces with their scans).
 */
#ifndef FRANK_STORE_LINK_STORE_H
#define FRANK_STORE_LINK_STORE_H
#include <stdbool.h>
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#define LINK_KIND "link"
#define QR_LINK_KIND "qr_link"
#define DOMAIN_KIND "domain"
#define LINK_CLICK_KIND "link_click"
#define QR_SCANS_MAX 1000	/* scans listed per piece (number_of_scans counts them all) */

/* what a redirect needs */
struct link_target {
	char id[40], account_id[40], kind[16];
	enum store_mode mode;
	const char *redirect;	/* arena */
	const char *resource_id;	/* the piece of a QR code's link (arena), or NULL */
};

/* the live link (of either kind) whose short_link is exactly this: 0, 1 none, -1 */
int store_link_resolve(struct store *s, const char *short_link, struct arena *a,
		       struct link_target *out, struct api_error *err);

/* 1 when a live domain object has this name (any account), 0 not, -1 error */
int store_domain_taken(struct store *s, const char *domain, struct api_error *err);
/* the error_redirect_link of the live domain of this name: 0 (*url_out in the arena), 1 no
 * such domain or no link, -1 error */
int store_domain_error_link(struct store *s, const char *domain, struct arena *a,
			    const char **url_out, struct api_error *err);

struct qr_query {
	const char *account_id;
	enum store_mode mode;
	long long created_gt, created_gte, created_lt, created_lte;	/* LLONG_MIN: unset */
	int scanned;			/* -1 any, 0 never scanned, 1 scanned at least once */
	const char *resource_ids;	/* a JSON array of piece ids, or NULL: all */
	unsigned limit, offset;
	bool want_total;
};

struct qr_row {
	const char *resource_id;
	long long created_ms;
	long long scans;		/* every scan */
	const char *scans_json;		/* [{"ip_location","scan_date"}…], newest first, at most
					 * QR_SCANS_MAX */
};

/*
 * The account's QR codes' links, the most recently scanned first (never scanned ones after,
 * newest first), with their scans: rows in the arena. *total with want_total. 0 or -1.
 */
int store_qr_analytics(struct store *s, const struct qr_query *q, struct arena *a,
		       struct qr_row **rows, size_t *n, long long *total, struct api_error *err);
#endif
