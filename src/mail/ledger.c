// SPDX-License-Identifier: AGPL-3.0-or-later
/* Charging mailed pieces by the price list (see ledger.h). */
#include "mail/ledger.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/paths.h"
#include "mail/price_list.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char configured[4096];

void ledger_configure(const char *path)
{
	snprintf(configured, sizeof(configured), "%s", path ? path : "");
}

const char *ledger_price_list_path(char *buf, size_t len)
{
	const char *env = getenv("FRANK_PRICE_LIST");
	if (configured[0])
		return configured;
	if (env && *env)
		return env;
	return share_file(share_dir_from_env(), SHARE_PRICE_LIST, buf, len);
}

static void *list_load(const char *path, char *msg, size_t len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(msg, len, "cannot open %s", path);
		return NULL;
	}
	char *text = malloc(PRICE_LIST_MAX_BYTES + 1);
	size_t n = text ? fread(text, 1, PRICE_LIST_MAX_BYTES + 1, f) : 0;
	bool bad = ferror(f) || !text || n > PRICE_LIST_MAX_BYTES;
	fclose(f);
	json_t *list = bad ? NULL : price_list_parse(text, n, msg, len);
	if (bad)
		snprintf(msg, len, "cannot read %s (at most 1 MiB)", path);
	free(text);
	return list;
}

static void list_free(void *p)
{
	json_decref(p);
}

static struct file_snapshots lists = FILE_SNAPSHOTS_INIT("price list", list_load, list_free);

const json_t *ledger_price_list(struct file_snapshot **ref, bool *missing, char *msg, size_t len)
{
	char buf[4096];
	const char *path = ledger_price_list_path(buf, sizeof(buf));
	*ref = NULL;
	*missing = true;
	if (!path) {
		snprintf(msg, len, "the share directory's path is too long");
		return NULL;
	}
	return file_snapshot_get(&lists, path, ref, missing, msg, len);
}

int ledger_charge_begin(struct ledger_charge *c, const char *kind, const char *id,
			long long now_ms)
{
	char msg[256];
	bool missing;
	memset(c, 0, sizeof(*c));
	c->e = (struct store_ledger_entry){ .type = LEDGER_CHARGE, .object_id = id,
					    .object_kind = kind, .created_ms = now_ms };
	c->list = ledger_price_list(&c->ref, &missing, msg, sizeof(msg));
	if (!c->list && !missing)
		log_msg(LOG_ERROR, "%s %s mailed without a charge: %s", kind, id, msg);
	c->e.skip = !c->list;
	return ids_new("led_", c->e.id, sizeof(c->e.id));
}

void ledger_charge_price(struct ledger_charge *c, const json_t *piece, bool mailed_now)
{
	long long cents;
	char items[LEDGER_DESCRIPTION_MAX - 40];
	if (!c->list || !mailed_now) {
		c->e.skip = true;
		return;
	}
	if (price_list_price(c->list, c->e.object_kind, piece, &cents, items, sizeof(items)) &&
	    items[0])
		snprintf(c->e.description, sizeof(c->e.description), "%s mailed: %s",
			 c->e.object_kind, items);
	else
		snprintf(c->e.description, sizeof(c->e.description),
			 "%s mailed: the price list has no price for it", c->e.object_kind);
	c->e.amount_cents = -cents;
}

void ledger_charge_end(struct ledger_charge *c)
{
	file_snapshot_release(c->ref);
	c->ref = NULL;
}

int ledger_credit(struct store *s, const char *account_id, enum store_mode mode,
		  long long cents, const char *description, long long now_ms,
		  struct store_ledger_entry *out, struct api_error *err)
{
	if (cents <= 0 || cents > LEDGER_CREDIT_MAX_CENTS)
		return api_fail(err, ERR_INVALID, "amount must be more than 0 and at most 1000000.00");
	if (description && strlen(description) > LEDGER_DESCRIPTION_MAX)
		return api_fail(err, ERR_INVALID, "description must be at most %d characters",
				LEDGER_DESCRIPTION_MAX);
	*out = (struct store_ledger_entry){ .type = LEDGER_CREDIT, .amount_cents = cents,
					    .created_ms = now_ms };
	snprintf(out->description, sizeof(out->description), "%s",
		 description && *description ? description : "credit");
	if (ids_new("led_", out->id, sizeof(out->id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	struct store_change ch = { .op = STORE_LEDGER,
				   .sc = { .account_id = account_id, .mode = mode },
				   .ledger = out };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	return store_apply_sync(s, &set, err) < 0 ? -1 : 0;
}
