// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Account settings (a Frank extension; Lob keeps these in its dashboard): cancellation
 * windows per product, US address strictness, merge-variable strictness, the default
 * use_type, and the test-mode tracking simulation. One object per account, read by every
 * mail-piece create; served at /v1/_frank/settings and by `frank settings`. All but the
 * simulation govern live mail too, so only a live key changes them (settings_live_field).
 */
#ifndef FRANK_MAIL_SETTINGS_H
#define FRANK_MAIL_SETTINGS_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"
#include "core/mail_product.h"
#include "store/store.h"

#define SETTINGS_KIND "account_settings"
#define CANCEL_WINDOW_MAX_MIN (3 * 24 * 60)	/* Lob: from 0 minutes up to 3 days */
#define CANCEL_WINDOW_DEFAULT_MIN 5

struct account_settings {
	unsigned cancel_minutes[PRODUCT_KIND_COUNT];	/* indexed by settings_product() */
	enum { STRICT_RELAXED, STRICT_NORMAL, STRICT_STRICT } us_address_strictness;
	bool merge_variables_strict;
	const char *default_use_type;	/* "marketing", "operational" or NULL (static strings) */
	bool simulate_tracking;		/* test mode: walk test pieces through a journey */
	double simulation_speed;	/* 1: real USPS pace; 1440: a day per minute */
	/* shares (0 to 1) of simulated journeys that are re-routed, returned, or hit an issue */
	double reroute_share, return_share, issue_share;
};

/* the index of a mail product's cancellation window (its enum product_kind), or -1 */
int settings_product(const char *kind);

void settings_defaults(struct account_settings *s);
/* the stored JSON (NULL: none stored) over the defaults; 0, or -1 if it does not parse */
int settings_from_json(const char *json, struct account_settings *s);
/* the object as served (new reference) */
json_t *settings_to_json(const struct account_settings *s, const char *account_id);
/*
 * applies a partial update {"cancellation_windows":{"letter":60},...} with Lob-style
 * validation messages; 0 or -1 with *err
 */
int settings_apply(struct account_settings *s, const json_t *changes, struct api_error *err);
/*
 * The first setting in changes that governs live mail (when pieces lock, which addresses and
 * merge variables are accepted, the default use_type), or NULL when changes touch only
 * test-mode settings (tracking_simulation) or none. Settings are account-wide: only a live
 * key may change these.
 */
const char *settings_live_field(const json_t *changes);
/* the settings object's id for an account: "acs_" + the account id's hex (40 bytes) */
void settings_id(const char *account_id, char out[48]);
/* reads an account's settings (defaults when none are stored); 0 or -1 */
int settings_load(struct store *st, const char *account_id, struct account_settings *s,
		  struct api_error *err);
/* stores an account's settings, waiting for the commit (the CLI); 0 or -1 */
int settings_save(struct store *st, const char *account_id, const struct account_settings *s,
		  long long now_ms, struct api_error *err);
#endif
