// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Postal identity: the USPS Mailer ID (--mailer-id) that every IMb and certified IMpb
 * carries, the placeholder it has until the operator sets one, which pieces carry an IMb
 * at all (domestic ones), and the uniqueness USPS asks of IMb serials: an IMb tracking code
 * must not repeat within 45 days per Mailer ID (production.md, imb.md). A 6-digit Mailer ID
 * has 9-digit serials (1,000,000,000 per 45 days); a 9-digit one 6-digit serials, so at
 * most 1,000,000 pieces in any 45 days (about 22,000 a day): beyond that the render fails
 * rather than reuse a code (docs/internals/postal_identity.md).
 */
#ifndef FRANK_MAIL_POSTAL_IDENTITY_H
#define FRANK_MAIL_POSTAL_IDENTITY_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"
#include "store/store.h"

/* frankd's default Mailer ID: well-formed, but no mailer's (USPS never assigns it) */
#define POSTAL_MAILER_ID_PLACEHOLDER "999999999"
/* USPS: an IMb tracking code stays unique for 45 days from its mailing */
#define POSTAL_IMB_UNIQUE_DAYS 45

/* what an operator reads when live mail meets the placeholder */
extern const char postal_placeholder_message[];

/* true for the placeholder (and for no Mailer ID at all) */
bool postal_mailer_id_is_placeholder(const char *mid);
/* a USPS Mailer ID's shape: 6 digits not starting with 9, or 9 digits starting with 9 */
bool postal_mailer_id_valid(const char *mid);
/* for live production (cutting a run): 0, or -1 with a 422 carrying the message above */
int postal_require_mailer_id(const char *mid, struct api_error *err);

/* the distinct IMb serials of a Mailer ID: 10^9 for 6 digits, 10^6 for 9 digits */
long long postal_imb_serials(const char *mid);
/* a serial drawn from the never-repeating sequence, as the IMb's serial field */
long long postal_imb_serial(const char *mid, long long drawn);

/* a US address (address_country absent, "US" or "UNITED STATES"): the only pieces with an IMb */
bool postal_address_domestic(const json_t *address);

/*
 * May code (a 20-digit IMb tracking code) go on a new piece at now_ms? 0 yes; -1 with *err
 * (ERR_SERVICE_UNAVAILABLE: the render is retried, then fails) when a live piece holds it
 * and was (or will be) mailed less than POSTAL_IMB_UNIQUE_DAYS before now_ms — its send
 * date or its Mailed event, whichever is later. Canceled pieces and test pieces hold nothing:
 * neither is in the mail stream.
 */
int postal_imb_code_free(struct store *s, const char *code, long long now_ms,
			 struct api_error *err);
#endif
