// SPDX-License-Identifier: AGPL-3.0-or-later
/* Atomic run files with their SHA-256 (see manifest_file.h). */
#include "production/manifest_file.h"
#include "store/assets.h"
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool manifest_name_safe(const char *id)
{
	size_t n = id ? strnlen(id, 65) : 0;
	return n >= 1 && n <= 64 &&
	       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

int manifest_file_open(struct manifest_file *mf, const char *dir, const char *name,
		       struct api_error *err)
{
	memset(mf, 0, sizeof *mf);
	if (strlen(name) >= sizeof mf->name ||
	    (size_t)snprintf(mf->dir, sizeof mf->dir, "%s", dir) >= sizeof mf->dir ||
	    (size_t)snprintf(mf->tmp, sizeof mf->tmp, "%s/.tmp-XXXXXX", dir) >= sizeof mf->tmp)
		return api_fail(err, ERR_INTERNAL, "the output path for %s is too long", name);
	memcpy(mf->name, name, strlen(name) + 1);
	int fd = mkostemp(mf->tmp, O_CLOEXEC);
	if (fd < 0)
		return api_fail(err, ERR_INTERNAL, "cannot create %s in the run folder: %s", name,
				strerror(errno));
	mf->f = fdopen(fd, "wb");
	mf->sha = EVP_MD_CTX_new();
	if (!mf->f || !mf->sha || !EVP_DigestInit_ex(mf->sha, EVP_sha256(), NULL)) {
		if (!mf->f)
			close(fd);
		manifest_file_abort(mf);
		return api_fail(err, ERR_INTERNAL, "out of memory starting %s", name);
	}
	return 0;
}

void manifest_file_write(struct manifest_file *mf, const void *data, size_t len)
{
	if (mf->failed || len == 0)
		return;
	if (fwrite(data, 1, len, mf->f) != len || !EVP_DigestUpdate(mf->sha, data, len))
		mf->failed = true;
	mf->bytes += len;
}

void manifest_file_puts(struct manifest_file *mf, const char *s)
{
	manifest_file_write(mf, s, strlen(s));
}

void manifest_file_abort(struct manifest_file *mf)
{
	if (mf->f) {
		fclose(mf->f);
		mf->f = NULL;
		unlink(mf->tmp);
	}
	EVP_MD_CTX_free(mf->sha);
	mf->sha = NULL;
}

int manifest_file_commit(struct manifest_file *mf, const char *kind, const char *lot_id,
			 json_t *files_out, struct api_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 1], final[PATH_MAX];
	bool ok = !mf->failed && fflush(mf->f) == 0 && fsync(fileno(mf->f)) == 0 &&
		  EVP_DigestFinal_ex(mf->sha, md, &md_len);
	int saved = errno;
	ok = fclose(mf->f) == 0 && ok;
	mf->f = NULL;
	if (ok && (size_t)snprintf(final, sizeof final, "%s/%s", mf->dir, mf->name) >= sizeof final)
		ok = false;
	if (!ok || rename(mf->tmp, final) != 0 || assets_fsync_dir(mf->dir) != 0) {
		if (!ok)
			errno = saved;
		unlink(mf->tmp);
		manifest_file_abort(mf);
		return api_fail(err, ERR_INTERNAL, "cannot write %s in the run folder: %s",
				mf->name, strerror(errno));
	}
	manifest_file_abort(mf);
	for (unsigned i = 0; i < md_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * md_len] = '\0';
	json_t *entry = lot_id ? json_pack("{s:s, s:s, s:s, s:I, s:s}", "kind", kind, "name",
					   mf->name, "lot", lot_id, "bytes",
					   (json_int_t)mf->bytes, "sha256", hex)
			       : json_pack("{s:s, s:s, s:I, s:s}", "kind", kind, "name", mf->name,
					   "bytes", (json_int_t)mf->bytes, "sha256", hex);
	/* append_new drops the entry when it fails */
	if (!entry || json_array_append_new(files_out, entry) < 0)
		return api_fail(err, ERR_INTERNAL, "out of memory listing %s", mf->name);
	return 0;
}

int manifest_file_put(const char *dir, const char *name, const void *data, size_t len,
		      const char *kind, json_t *files_out, struct api_error *err)
{
	struct manifest_file mf;
	if (manifest_file_open(&mf, dir, name, err) < 0)
		return -1;
	manifest_file_write(&mf, data, len);
	return manifest_file_commit(&mf, kind, NULL, files_out, err);
}

void manifest_csv_field(struct manifest_file *mf, const char *s, bool last)
{
	if (s && s[strcspn(s, "\",\r\n")]) {
		manifest_file_write(mf, "\"", 1);
		for (const char *q; (q = strchr(s, '"')); s = q + 1) {
			manifest_file_write(mf, s, (size_t)(q - s) + 1);
			manifest_file_write(mf, "\"", 1);
		}
		manifest_file_puts(mf, s);
		manifest_file_write(mf, "\"", 1);
	} else if (s) {
		manifest_file_puts(mf, s);
	}
	manifest_file_write(mf, last ? "\r\n" : ",", last ? 2 : 1);
}
