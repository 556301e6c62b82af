// SPDX-License-Identifier: AGPL-3.0-or-later
/* The Mailer ID, domestic pieces and IMb serial uniqueness (see postal_identity.h). */
#include "mail/postal_identity.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include <string.h>

#define DAY_MS (24LL * 3600 * 1000)

const char postal_placeholder_message[] =
	"the Mailer ID is the placeholder " POSTAL_MAILER_ID_PLACEHOLDER ", which USPS never "
	"assigns: live mail needs the mailer's own USPS Mailer ID (frankd --mailer-id MID, or "
	"FRANK_MAILER_ID)";

bool postal_mailer_id_is_placeholder(const char *mid)
{
	return !mid || !*mid || strcmp(mid, POSTAL_MAILER_ID_PLACEHOLDER) == 0;
}

bool postal_mailer_id_valid(const char *mid)
{
	size_t n = mid ? strlen(mid) : 0;
	return (n == 6 || n == 9) && strspn(mid, "0123456789") == n && (mid[0] == '9') == (n == 9);
}

int postal_require_mailer_id(const char *mid, struct api_error *err)
{
	if (postal_mailer_id_is_placeholder(mid))
		return api_fail(err, ERR_INVALID, "%s", postal_placeholder_message);
	return 0;
}

long long postal_imb_serials(const char *mid)
{
	return mid && strlen(mid) == 6 ? 1000000000LL : 1000000LL;
}

long long postal_imb_serial(const char *mid, long long drawn)
{
	return drawn % postal_imb_serials(mid);
}

bool postal_address_domestic(const json_t *address)
{
	const char *c = json_string_value(json_object_get(address, "address_country"));
	return !c || !*c || strcmp(c, "US") == 0 || strcmp(c, "UNITED STATES") == 0;
}

/* when a piece's code is free again: 45 days after the later of its send date and Mailed */
static long long held_until(const json_t *piece)
{
	long long at = 0, t;
	const char *send = json_string_value(json_object_get(piece, "send_date"));
	const char *created = json_string_value(json_object_get(piece, "date_created"));
	if (time_parse_iso(send ? send : created ? created : "", &t) == 0)
		at = t;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(piece, "tracking_events"), i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *when = json_string_value(json_object_get(e, "time"));
		if (name && strcmp(name, "Mailed") == 0 && when && time_parse_iso(when, &t) == 0 &&
		    t > at)
			at = t;
	}
	return at + POSTAL_IMB_UNIQUE_DAYS * DAY_MS;
}

int postal_imb_code_free(struct store *s, const char *code, long long now_ms,
			 struct api_error *err)
{
	struct store_tracked holder;
	int rc = store_tracking_lookup(s, code, &holder, err);
	if (rc != 0 || holder.mode != MODE_LIVE)
		return rc < 0 ? -1 : 0;
	struct arena *a = arena_new();
	struct store_scope sc = { .account_id = holder.account_id, .mode = holder.mode,
				  .kind = holder.kind };
	char *json = NULL;
	if (!a)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	rc = store_object_get(s, &sc, holder.object_id, a, &json, err);
	json_t *piece = rc == 0 ? arena_own_json(a, json_loads(json, 0, NULL)) : NULL;
	long long until = piece ? held_until(piece) : 0;
	if (rc == 0 && until > now_ms) {
		char free_at[25];
		/* the code's Mailer ID: 9 digits when it starts with 9, else 6 (imb.md) */
		int mid_len = code[5] == '9' ? 9 : 6;
		time_format_iso(until, free_at);
		api_fail(err, ERR_SERVICE_UNAVAILABLE,
			 "IMb tracking code %.20s would repeat within %d days (%s %.40s holds it "
			 "until %s): Mailer ID %.*s has only %lld serials per %d days; set a Mailer ID "
			 "with room (--mailer-id; a 6-digit one has 1,000,000,000)", code,
			 POSTAL_IMB_UNIQUE_DAYS, holder.kind, holder.object_id, free_at, mid_len,
			 code + 5, mid_len == 9 ? 1000000LL : 1000000000LL, POSTAL_IMB_UNIQUE_DAYS);
		rc = -1;
	} else if (rc > 0) {
		rc = 0;		/* canceled: never mailed */
	}
	arena_free(a);
	return rc;
}
