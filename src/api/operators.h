// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Operators: the people and scripts of the mail room (or a print partner), a role apart from
 * customer accounts. An operator sees production across every account and nothing else: its
 * keys ("frankop_" + 48 hex) work only on /v1/_frank/production/… (route_profile_operator), and
 * customer keys never work there. Made with `frank operator create`; more keys through
 * POST /v1/_frank/production/keys. docs/internals/operators.md.
 */
#ifndef FRANK_API_OPERATORS_H
#define FRANK_API_OPERATORS_H
#include <stdbool.h>
#include "core/err.h"
#include "http/auth.h"
#include "store/store.h"

#define OPERATOR_KEY_MAX 64	/* "frankop_" + 48 hex + NUL fits */

/*
 * A new operator with one key: the e-mail normalized, the password kept as argon2id. Writes
 * the operator's id (40 bytes) and the key (OPERATOR_KEY_MAX, shown once: only its SHA-256
 * is stored). 0, or -1 with *err (ERR_BAD_REQUEST for a bad e-mail or password, ERR_CONFLICT
 * when the e-mail is taken).
 */
int operators_create(struct store *s, const char *email, const char *password, long long now_ms,
		     char id_out[40], char key_out[OPERATOR_KEY_MAX], struct api_error *err);

/* another key for operator_id: the key (OPERATOR_KEY_MAX) and its id (40); 0 or -1 */
int operators_new_key(struct store *s, const char *operator_id, long long now_ms,
		      char key_out[OPERATOR_KEY_MAX], char key_id_out[40], struct api_error *err);
#endif
