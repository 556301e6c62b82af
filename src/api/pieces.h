// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What every mail piece (letter, postcard, self-mailer, check, snap pack, booklet) does on
 * create, shared by their resource files: account settings, `to`/`from` as an address id or
 * an inline address (created in the same transaction), send_date and the cancellation
 * window, use_type, merge_variables, content sources (HTML, template, remote URL, upload),
 * expected_delivery_date, and the private render input that the render job reads.
 */
#ifndef FRANK_API_PIECES_H
#define FRANK_API_PIECES_H
#include <stdbool.h>
#include <jansson.h>
#include "api/list.h"
#include "api/resource.h"
#include "mail/settings.h"

#define PIECE_MAX_CHANGES 8
#define PIECE_INPUT_KIND "piece_input"

struct piece {
	struct req *rq;
	const struct resource *res;
	char id[40];			/* the piece's id */
	struct account_settings settings;
	json_t *obj;			/* validated fields, then the object as served */
	json_t *input;			/* private: {"piece_id","sources":{field: source}} */
	long long send_ms;
	struct store_change *changes[PIECE_MAX_CHANGES];
	size_t n_changes;
	const json_t *response;		/* answered instead of obj (another API's shape) */
	bool design_only;		/* set before piece_begin: a design checked without a
					 * recipient (a campaign's creative): no address
					 * verification, no strict merge-variable render */
};

/* Lob's mail_type values; the list parameters of postcards and self-mailers (spec) */
extern const char *const piece_mail_types[];
/* Lob's use_type and print_speed enums, the same for every product */
extern const char *const piece_use_types[];
extern const char *const piece_print_speeds[];
extern const struct list_filter piece_list_filters[];

/*
 * Field-table fragments: the fields every mail piece has, in the order each product's table
 * (spec: <product>_editable) lists them: who and what first (description, metadata, to,
 * from), the product's content and options, then how it mails (mail_type ... billing_group_id),
 * the product's extras, print_speed last. A product's table is these fragments around its
 * own rows (api/letters.c ...); the flags that differ between products are arguments.
 */
#define PIECE_FIELDS_HEAD(from_flags) \
	{ "description", FT_STRING, F_NULLABLE, .max = 255 }, \
	{ "metadata", FT_METADATA, 0, .max = 0 }, \
	{ "to", FT_JSON, F_REQUIRED, .json = piece_any_field }, \
	{ "from", FT_JSON, (from_flags), .json = piece_any_field }
#define PIECE_FIELDS_MAILING(mail_types, use_type_flags) \
	{ "mail_type", FT_STRING, 0, .enum_vals = (mail_types), .dflt = "usps_first_class" }, \
	{ "merge_variables", FT_JSON, F_NULLABLE, .json = piece_merge_variables_field }, \
	{ "send_date", FT_STRING, 0, .max = 40 }, \
	{ "use_type", FT_STRING, (use_type_flags), .enum_vals = piece_use_types }, \
	{ "billing_group_id", FT_STRING, 0, .max = 40 }
#define PIECE_FIELD_PRINT_SPEED \
	{ "print_speed", FT_STRING, F_NULLABLE, .enum_vals = piece_print_speeds }

/* the asset extension of an uploaded file's sniffed type (net/sniff.h): pdf, png, jpg or
 * html; NULL for a type a piece cannot take */
const char *piece_upload_ext(const char *type);

/* starts a piece of res: a new id, the account's settings, obj validated from the body */
int piece_begin(struct piece *p, struct req *rq, const struct resource *res,
		struct api_error *err);

/*
 * The address in obj[field] (an adr_ id or an inline object) as an address object, which
 * replaces it in obj. An inline address is validated as POST /v1/addresses would (messages
 * prefixed "to."), stored in the same transaction, and emits address.created.
 * us_only: a non-US address answers `foreign_kind` (e.g. ERR_FOREIGN_RETURN_ADDRESS).
 */
int piece_address(struct piece *p, const char *field, bool required, struct api_error *err);
bool piece_address_is_us(const json_t *address);

/* send_date given (validated: after now, within 180 days) or now + the product's window */
int piece_send_date(struct piece *p, struct api_error *err);
/* use_type given, or the account's default; else mail_use_type_can_not_be_null */
int piece_use_type(struct piece *p, struct api_error *err);
/* billing_group_id, when given, names a billing group of the account (404 otherwise) */
int piece_billing_group(struct piece *p, struct api_error *err);
/*
 * The content in obj[field]: HTML (≤ 10,000 characters), a tmpl_ id (its published
 * version's HTML is copied; template_field/version_field record the ids, e.g.
 * "template_id"/"template_version_id"), a remote URL, or an uploaded file (stored as an asset
 * before the piece is). Recorded in the render input; obj[field] itself is removed.
 */
int piece_source(struct piece *p, const char *field, bool required, const char *template_field,
		 const char *version_field, struct api_error *err);
/* records a USPS barcode (IMpb tracking number, IMb tracking code) as this piece's */
int piece_track_code(struct piece *p, const char *code, struct api_error *err);
/* "YYYY-MM-DD" from the send date, mail_type and destination */
void piece_expected_delivery(struct piece *p, char out[11]);
/* url: the signed link of the proof the render job will store ("<dir>/<id>.pdf") */
int piece_future_url(struct piece *p, const char *dir, struct api_error *err);
/*
 * The piece as Lob serves it at create: id, carrier, empty tracking_events and thumbnails,
 * expected_delivery_date, dates, status "processed", object — with obj's fields — in the
 * order of `order` (NULL-terminated; fields not named are dropped). A new arena object.
 */
json_t *piece_finish(struct piece *p, const char *const *order);
/* queues the piece (with its created event), its input and inline addresses; answers obj */
int piece_commit(struct piece *p, struct api_error *err);
/*
 * The changes piece_commit queues (the piece first, its input, inline addresses, barcodes,
 * its render job), for callers that commit many pieces in one transaction (a campaign's
 * send): all has room for PIECE_MAX_CHANGES + 3. How many, or -1 with *err.
 */
int piece_changes(struct piece *p, struct store_change **all, struct api_error *err);

/* FT_JSON hooks for field tables */
json_t *piece_merge_variables_field(const struct field *f, const json_t *v, void *ctx,
				    struct api_error *err);
json_t *piece_any_field(const struct field *f, const json_t *v, void *ctx,
			struct api_error *err);

/* resource present hook: asset links (url, thumbnails) signed afresh on every read */
const char *piece_present(struct req *rq, const char *json);

/* whether a piece may be cancelled now (not in the mail, send_date ahead): marks obj
 * deleted, or -1 with not_deletable */
int piece_cancel_check(json_t *obj, const char *kind, long long now_ms, struct api_error *err);
/* the cancel as a res_mutate_fn: piece_cancel_check, the .deleted event, {"id","deleted"} */
int piece_cancel_apply(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
		       struct api_error *err);
/* DELETE of a piece: cancels it while its send_date has not passed, else not_deletable */
int piece_cancel(struct req *rq, struct api_error *err);
#endif
