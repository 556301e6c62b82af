// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Authentication: Basic / Bearer / X-API-Key → key hash → stored key (an account's, or an
 * operator's for "frankop_…" keys). Keys are never stored.
 */
#include "http/auth.h"
#include "core/ids.h"
#include "http/app.h"
#include "store/operator_store.h"
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define KEY_MAX 128

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int copy_key(const char *s, size_t n, char *out, size_t outlen)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= outlen)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static int basic_user(const char *b64, char *out, size_t outlen)
{
	unsigned char dec[3 * KEY_MAX / 4 + 8];
	size_t n = strlen(b64);
	while (n > 0 && (b64[n - 1] == ' ' || b64[n - 1] == '\t'))
		n--;
	if (n == 0 || n % 4 != 0 || n > 4 * (sizeof(dec) - 8) / 3)
		return -1;
	int len = EVP_DecodeBlock(dec, (const unsigned char *)b64, (int)n);
	if (len < 0)
		return -1;
	if (b64[n - 1] == '=')
		len--;
	if (b64[n - 2] == '=')
		len--;
	const unsigned char *colon = memchr(dec, ':', (size_t)len);
	size_t user_len = colon ? (size_t)(colon - dec) : (size_t)len;
	if (memchr(dec, '\0', user_len))
		return -1;
	return copy_key((const char *)dec, user_len, out, outlen);
}

int auth_extract_key(const struct req_headers *h, char *out, size_t outlen)
{
	if (h->authorization && *h->authorization) {
		const char *v = skip_spaces(h->authorization);
		if (strncasecmp(v, "Basic ", 6) == 0)
			return basic_user(skip_spaces(v + 6), out, outlen);
		if (strncasecmp(v, "Bearer ", 7) == 0) {
			v = skip_spaces(v + 7);
			return copy_key(v, strlen(v), out, outlen);
		}
		return -1;
	}
	if (h->x_api_key && *h->x_api_key) {
		const char *v = skip_spaces(h->x_api_key);
		return copy_key(v, strlen(v), out, outlen);
	}
	return 1;
}

/* an operator key: no account, every account (the production routes find the piece) */
static int operator_authenticate(struct req *rq, const char *hash, struct api_error *err)
{
	struct operator_key k;
	int rc = operator_key_lookup(rq->app->store, hash, &k, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return api_fail(err, ERR_INVALID_API_KEY, "Your operator key is not valid.");
	rq->key = (struct key_info){ .type = KEY_TYPE_OPERATOR, .mode = MODE_LIVE,
				     .created_ms = k.created_ms };
	snprintf(rq->key.id, sizeof(rq->key.id), "%s", k.id);
	snprintf(rq->key.prefix, sizeof(rq->key.prefix), "%.15s", k.prefix);
	rq->operator_id = arena_strdup(rq->arena, k.operator_id);
	rq->scope.account_id = rq->key.account_id;	/* "": operators have no account */
	rq->scope.mode = MODE_LIVE;
	return 0;
}

int auth_authenticate(struct req *rq, struct api_error *err)
{
	char key[KEY_MAX], hash[65];
	int rc = auth_extract_key(&rq->h, key, sizeof(key));
	if (rc == 1)
		return api_fail(err, ERR_UNAUTHORIZED,
				"Missing authentication. Send your API key as the Basic auth "
				"username, as a Bearer token or in X-API-Key.");
	if (rc < 0)
		return api_fail(err, ERR_UNAUTHORIZED,
				"Malformed Authorization header: use Basic auth with the API key "
				"as the username and an empty password.");
	ids_sha256_hex(key, strlen(key), hash);
	if (strncmp(key, OPERATOR_KEY_PREFIX, strlen(OPERATOR_KEY_PREFIX)) == 0)
		return operator_authenticate(rq, hash, err);
	rc = store_key_lookup(rq->app->store, hash, &rq->key);
	if (rc < 0)
		return api_fail(err, ERR_INTERNAL, "key lookup failed");
	if (rc > 0)
		/* Lob's whole sentence: clients match on it */
		return api_fail(err, ERR_INVALID_API_KEY, "Your API key is not valid. Please sign up "
				"on lob.com to get a valid api key.");
	rq->scope.account_id = rq->key.account_id;
	rq->scope.mode = rq->key.mode;
	return 0;
}
