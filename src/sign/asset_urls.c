// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Signing and checking asset URLs. The secret file is created with a temp file and link(2),
 * so two processes (or threads) starting at once agree on one secret: link fails with
 * EEXIST for the loser, which then reads the winner's file.
 */
#include "sign/asset_urls.h"
#include "core/timeutil.h"
#include "core/mail_product.h"
#include "store/assets.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPIRES_DIGITS_MAX 12	/* epoch seconds until year 33658 */
#define EXPIRES_MAX 999999999999LL

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static char cache_dir[PATH_MAX];
static unsigned char cache_secret[ASSET_SECRET_LEN];

static int read_secret(const char *path, unsigned char secret[ASSET_SECRET_LEN])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0)
		return -1;
	ssize_t n = -1;
	if (fstat(fd, &st) == 0 && st.st_size == ASSET_SECRET_LEN)
		n = read(fd, secret, ASSET_SECRET_LEN);
	close(fd);
	if (n != ASSET_SECRET_LEN) {
		errno = EINVAL;	/* wrong size: a damaged file, not one to overwrite */
		return -1;
	}
	return 0;
}

/* 0 created (or another creator won and its secret was read), -1 with errno */
static int create_secret(const char *data_dir, const char *path,
			 unsigned char secret[ASSET_SECRET_LEN])
{
	char tmp[PATH_MAX];
	int w = snprintf(tmp, sizeof(tmp), "%s/.asset_secret-XXXXXX", data_dir);
	if (w < 0 || (size_t)w >= sizeof(tmp))
		return -1;
	if (RAND_bytes(secret, ASSET_SECRET_LEN) != 1) {
		errno = EIO;
		return -1;
	}
	int fd = mkostemp(tmp, O_CLOEXEC);	/* mode 0600 */
	if (fd < 0)
		return -1;
	bool ok = write(fd, secret, ASSET_SECRET_LEN) == ASSET_SECRET_LEN && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	int linked = ok ? link(tmp, path) : -1;
	int link_errno = errno;
	unlink(tmp);
	if (linked < 0 && ok && link_errno == EEXIST)
		return read_secret(path, secret);	/* someone else created it first */
	if (linked < 0) {
		errno = link_errno;
		return -1;
	}
	int dfd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int asset_secret_get(const char *data_dir, unsigned char secret[ASSET_SECRET_LEN],
		     struct api_error *err)
{
	char path[PATH_MAX];
	int rc = 0;
	if (!data_dir)
		return api_fail(err, ERR_INTERNAL, "no data directory for asset links");
	pthread_mutex_lock(&cache_mu);
	if (cache_dir[0] && strcmp(cache_dir, data_dir) == 0) {
		memcpy(secret, cache_secret, ASSET_SECRET_LEN);
		pthread_mutex_unlock(&cache_mu);
		return 0;
	}
	int w = snprintf(path, sizeof(path), "%s/asset_secret", data_dir);
	if (w < 0 || (size_t)w >= sizeof(path) || strlen(data_dir) >= sizeof(cache_dir))
		rc = api_fail(err, ERR_INTERNAL, "data directory path too long");
	else if (read_secret(path, secret) < 0 &&
		 (errno != ENOENT || create_secret(data_dir, path, secret) < 0))
		rc = api_fail(err, ERR_INTERNAL, "cannot read or create %.150s: %s", path,
			      strerror(errno));
	if (rc == 0) {
		memcpy(cache_secret, secret, ASSET_SECRET_LEN);
		snprintf(cache_dir, sizeof(cache_dir), "%s", data_dir);
	}
	pthread_mutex_unlock(&cache_mu);
	return rc;
}

/* hex HMAC-SHA256(secret, key "\n" expires) */
static void sign(const unsigned char secret[ASSET_SECRET_LEN], const char *key,
		 const char *expires, char out[ASSET_SIGNATURE_HEX + 1])
{
	char msg[ASSET_KEY_MAX + EXPIRES_DIGITS_MAX + 2];
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	int n = snprintf(msg, sizeof(msg), "%s\n%s", key, expires);
	HMAC(EVP_sha256(), secret, ASSET_SECRET_LEN, (const unsigned char *)msg, (size_t)n, mac,
	     &maclen);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
	out[ASSET_SIGNATURE_HEX] = '\0';
}

/* "<base>/<prefix><name>?expires=…&signature=…" signing name (the key or the piece path) */
static int signed_link(const char *data_dir, const char *base_url, const char *prefix,
		       const char *name, long long expires_s, char *out, size_t outlen,
		       struct api_error *err)
{
	unsigned char secret[ASSET_SECRET_LEN];
	char expires[24], sig[ASSET_SIGNATURE_HEX + 1];
	if (expires_s <= 0)
		expires_s = clock_now_ms() / 1000 + ASSET_URL_TTL_S;
	if (expires_s > EXPIRES_MAX)
		return api_fail(err, ERR_INTERNAL, "link expiry %lld is out of range", expires_s);
	if (asset_secret_get(data_dir, secret, err) < 0)
		return -1;
	snprintf(expires, sizeof(expires), "%lld", expires_s);
	sign(secret, name, expires, sig);
	OPENSSL_cleanse(secret, sizeof(secret));
	size_t base = strlen(base_url);
	while (base > 0 && base_url[base - 1] == '/')
		base--;
	int w = snprintf(out, outlen, "%.*s/%s%s?expires=%s&signature=%s", (int)base, base_url,
			 prefix, name, expires, sig);
	if (w < 0 || (size_t)w >= outlen)
		return api_fail(err, ERR_INTERNAL, "link longer than %zu bytes", outlen);
	return 0;
}

int asset_url(const char *data_dir, const char *public_url, const char *key,
	      long long expires_s, char *out, size_t outlen, struct api_error *err)
{
	if (!assets_key_valid(key))
		return api_fail(err, ERR_INTERNAL, "not an asset key: %.80s", key ? key : "(null)");
	return signed_link(data_dir, public_url, "assets/", key, expires_s, out, outlen, err);
}

static int forbidden(struct api_error *err, const char *message)
{
	api_fail(err, ERR_UNAUTHORIZED, "%s", message);
	err->status = 403;
	return -1;
}

static bool digits(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool piece_file_path_valid(const char *path);

/* the signature of name for expires, checked for shape, value (constant time) and age */
static int verify_signed(const char *data_dir, const char *name, bool shape_ok,
			 const char *expires, const char *signature, long long now_s,
			 struct api_error *err)
{
	unsigned char secret[ASSET_SECRET_LEN];
	char want[ASSET_SIGNATURE_HEX + 1];
	if (!expires || !signature)
		return forbidden(err, "This link needs its expires and signature parameters.");
	/* shape first: only the signature's value is secret, not its length */
	if (!shape_ok || !digits(expires, EXPIRES_DIGITS_MAX) ||
	    strnlen(signature, ASSET_SIGNATURE_HEX + 1) != ASSET_SIGNATURE_HEX)
		return forbidden(err, "This link's signature is invalid.");
	if (asset_secret_get(data_dir, secret, err) < 0)
		return -1;
	sign(secret, name, expires, want);
	OPENSSL_cleanse(secret, sizeof(secret));
	if (CRYPTO_memcmp(want, signature, ASSET_SIGNATURE_HEX) != 0)
		return forbidden(err, "This link's signature is invalid.");
	long long exp = 0;
	for (const char *p = expires; *p; p++)
		exp = exp * 10 + (*p - '0');
	if (now_s > exp)
		return forbidden(err, "This link has expired; retrieve the object again for a new one.");
	return 0;
}

int asset_url_verify(const char *data_dir, const char *key, const char *expires,
		     const char *signature, long long now_s, struct api_error *err)
{
	return verify_signed(data_dir, key, assets_key_valid(key), expires, signature, now_s, err);
}

/* ---- piece files: Lob's link shape, /<kind>/<piece id>(.pdf|_thumb_<size>_<n>.png) ---- */

bool piece_file_path_valid(const char *path)
{
	/* each product's directory with its id's hex digits (snap packs and booklets share
	 * order-creatives and `ord_` + 26 hex, as the spec's signed_link); inserts' proofs
	 * (cards, buckslips: no mail product) under their own */
	static const char *const insert_dirs[] = { "cards/", "buckslips/" };
	const char *p = NULL;
	size_t hex = 0;
	for (size_t i = 0; i < mail_product_count() && !p; i++) {
		const struct mail_product *mp = mail_product_at(i);
		size_t n = strlen(mp->files_dir);
		if (strncmp(path, mp->files_dir, n) == 0 && path[n] == '/') {
			p = path + n + 1;
			hex = mp->id_hex;
		}
	}
	for (size_t i = 0; i < 2 && !p; i++)
		if (strncmp(path, insert_dirs[i], strlen(insert_dirs[i])) == 0) {
			p = path + strlen(insert_dirs[i]);
			hex = 16;
		}
	if (!p)
		return false;
	/* the piece id: 3-4 lowercase letters, '_', the hex digits */
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz");
	if (n < 3 || n > 4 || p[n] != '_' || strspn(p + n + 1, "0123456789abcdef") != hex)
		return false;
	const char *rest = p + n + 1 + hex;
	if (strcmp(rest, ".pdf") == 0)
		return true;
	static const char *const sizes[] = { "_thumb_small_", "_thumb_medium_", "_thumb_large_" };
	for (size_t i = 0; i < 3; i++) {
		size_t l = strlen(sizes[i]);
		if (strncmp(rest, sizes[i], l) == 0) {
			size_t d = strspn(rest + l, "0123456789");
			return d >= 1 && d <= 3 && strcmp(rest + l + d, ".png") == 0;
		}
	}
	return false;
}

int piece_file_url(const char *data_dir, const char *base_url, const char *path,
		   long long expires_s, char *out, size_t outlen, struct api_error *err)
{
	if (!piece_file_path_valid(path))
		return api_fail(err, ERR_INTERNAL, "not a piece file: %.80s", path ? path : "(null)");
	return signed_link(data_dir, base_url, "", path, expires_s, out, outlen, err);
}

int piece_file_verify(const char *data_dir, const char *path, const char *expires,
		      const char *signature, long long now_s, struct api_error *err)
{
	return verify_signed(data_dir, path, piece_file_path_valid(path), expires, signature, now_s,
			     err);
}

bool run_file_path_valid(const char *path)
{
	static const char dir[] = "print-runs/run_";
	if (!path || strncmp(path, dir, sizeof(dir) - 1) != 0)
		return false;
	const char *p = path + sizeof(dir) - 1;
	if (strspn(p, "0123456789abcdef") != 16 || p[16] != '/')
		return false;
	const char *name = p + 17;
	size_t n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
	return n >= 1 && n <= 128 && name[n] == '\0' && name[0] != '.';
}

int run_file_url(const char *data_dir, const char *base_url, const char *path,
		 long long expires_s, char *out, size_t outlen, struct api_error *err)
{
	if (!run_file_path_valid(path))
		return api_fail(err, ERR_INTERNAL, "not a print-run file: %.80s", path ? path : "(null)");
	return signed_link(data_dir, base_url, "", path, expires_s, out, outlen, err);
}

int run_file_verify(const char *data_dir, const char *path, const char *expires,
		    const char *signature, long long now_s, struct api_error *err)
{
	return verify_signed(data_dir, path, run_file_path_valid(path), expires, signature, now_s,
			     err);
}
