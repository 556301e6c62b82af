// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A 321certified-style mailing is a Lob letter with an extra service (certified or
 * registered), seen in another shape: this module turns the stored letter (and, for mailings
 * created through /api/v1, a small side record with the class, reference and cost) into the
 * mailing, its tracking view and its status; and a mailing's address into a Lob address.
 * Pure JSON in, JSON out: no store, no HTTP.
 *
 * The side record (kind "c321_mailing", id MAILING_SIDE_PREFIX + the letter's hex):
 * {"id","letter_id","mail_class","reference","pages","duplex","sheets","price_date",
 *  "cost_cents":{"postage","service_fee","total"}}.
 */
#ifndef FRANK_C321_MAILING_H
#define FRANK_C321_MAILING_H
#include <stdbool.h>
#include <jansson.h>
#include "c321/pricing.h"

#define MAILING_SIDE_KIND "c321_mailing"
#define MAILING_SIDE_PREFIX "mlg_"

/*
 * The mailing's status: "failed" (the letter could not be rendered), the latest tracking
 * event's name in snake case ("mailed", "in_transit", "delivered", "returned_to_sender",
 * "issue", …), else "label_generated". Static storage.
 */
const char *mailing_status(const json_t *letter);
/* true for a status mailing_status can answer (list filters) */
bool mailing_status_known(const char *status);

/* the class: the side record's, else the tracking number's STC, else the extra service's */
const struct mail_class *mailing_class(const json_t *letter, const json_t *side);

/*
 * The mailing (new reference): id (the letter's), tracking_number, status, mail_class, cost
 * (dollars; null for letters not priced by /api/v1), label_url, from, to, reference,
 * created_at. side may be NULL.
 */
json_t *mailing_view(const json_t *letter, const json_t *side);

/* a Lob address (address_line1, …) in this API's shape {name, company, street1, …} (new) */
json_t *mailing_address_view(const json_t *lob_address);

/* {"name","street1","street2","city","state","zip"[,"company"]} → a Lob US address (new) */
json_t *mailing_lob_address(const json_t *address);

/*
 * The tracking view (new reference): tracking_number, mailing_id, status, mail_class, events
 * (oldest first: status, name, event, description, notes, location, time), delivered_at and
 * return_receipt ({available, url}, or null when the class has none).
 */
json_t *mailing_tracking_view(const json_t *letter, const json_t *side);

/* the letter's latest Delivered tracking event (borrowed), or NULL */
const json_t *mailing_delivery_event(const json_t *letter);

/*
 * What address verification (Lob's us_verification object) says for sending certified mail:
 * true for a confirmed delivery point, and — since Frank may have no delivery-point data —
 * for an unconfirmed address whose street, city, state and ZIP agree (footnote AA without a
 * failed DPV lookup). messages (new array) explains each footnote; why gets the reason an
 * address is refused.
 */
bool mailing_address_valid(const json_t *verification, json_t *messages, char *why,
			   size_t whylen);

/* cents as a JSON number of dollars (new), e.g. 890 → 8.9 */
json_t *mailing_dollars(long long cents);
#endif
