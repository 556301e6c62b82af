// SPDX-License-Identifier: AGPL-3.0-or-later
/* Streaming multipart bodies to disk (http/body_file.h), over MHD's post processor. */
#include "http/body_file.h"
#include "core/log.h"
#include "store/assets.h"
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PP_BUFFER 65536	/* MHD's buffer for part headers and non-file values */

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *content_type,
			       const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	struct body_file *bf = cls;
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (!key)
		return MHD_YES;
	if (filename) {
		if (bf->has_file && (off == 0 || strcmp(key, bf->field) != 0)) {
			bf->bad_part = true;	/* one file per request */
			return MHD_NO;
		}
		if (!bf->has_file) {
			bf->has_file = true;
			bf->field = arena_strdup(bf->arena, key);
			bf->filename = arena_strdup(bf->arena, filename);
		}
		if (bf->size + size > bf->limit) {
			bf->too_large = true;
			return MHD_NO;
		}
		if (size && (assets_write_all(bf->fd, data, size) < 0 ||
			     EVP_DigestUpdate(bf->md, data, size) != 1)) {
			bf->io_error = true;
			return MHD_NO;
		}
		bf->size += size;
		return MHD_YES;
	}
	/* a value part: kept as a string, appended to as chunks arrive */
	bf->fields_bytes += size;
	if (bf->fields_bytes > BODY_FILE_FIELDS_MAX) {
		bf->bad_part = true;
		return MHD_NO;
	}
	const char *old = off ? json_string_value(json_object_get(bf->fields, key)) : NULL;
	size_t ol = old ? strlen(old) : 0;
	char *v = arena_alloc(bf->arena, ol + size + 1);
	memcpy(v, old ? old : "", ol);
	memcpy(v + ol, data, size);
	v[ol + size] = '\0';
	json_object_set_new(bf->fields, key, json_stringn(v, ol + size));
	return MHD_YES;
}

struct body_file *body_file_open(struct arena *a, void *connection, const char *data_dir,
				 unsigned long long limit)
{
	struct body_file *bf = arena_calloc(a, sizeof(*bf));
	bf->arena = a;
	bf->fd = -1;
	bf->limit = limit;
	bf->fields = json_object();
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/assets", data_dir ? data_dir : ".");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		log_msg(LOG_ERROR, "upload body: cannot create %s: %s", dir, strerror(errno));
		json_decref(bf->fields);
		return NULL;
	}
	int w = snprintf(bf->path, sizeof(bf->path), "%s/.tmp-body-XXXXXX", dir);
	bf->fd = w > 0 && (size_t)w < sizeof(bf->path) ? mkostemp(bf->path, O_CLOEXEC) : -1;
	if (bf->fd < 0) {
		log_msg(LOG_ERROR, "upload body: no temporary file in %s: %s", dir,
			strerror(errno));
		json_decref(bf->fields);
		return NULL;
	}
	bf->md = EVP_MD_CTX_new();
	if (!bf->md || EVP_DigestInit_ex(bf->md, EVP_sha256(), NULL) != 1)
		bf->io_error = true;
	/* NULL when the Content-Type is not one MHD's parser reads */
	bf->pp = MHD_create_post_processor(connection, PP_BUFFER, on_part, bf);
	if (!bf->pp)
		bf->not_multipart = true;
	return bf;
}

void body_file_feed(struct body_file *bf, const char *data, size_t n)
{
	if (!bf->pp || bf->too_large || bf->bad_part || bf->io_error)
		return;	/* the rest is read and dropped: the answer is an error already */
	if (MHD_post_process(bf->pp, data, n) != MHD_YES && !bf->too_large && !bf->bad_part &&
	    !bf->io_error)
		bf->not_multipart = true;
}

int body_file_finish(struct body_file *bf)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (bf->pp) {
		MHD_destroy_post_processor(bf->pp);
		bf->pp = NULL;
	}
	if (bf->io_error || fsync(bf->fd) < 0 || EVP_DigestFinal_ex(bf->md, md, &len) != 1) {
		bf->io_error = true;
		return -1;
	}
	for (unsigned i = 0; i < len && i < 32; i++)
		snprintf(bf->sha256 + 2 * i, 3, "%02x", md[i]);
	return 0;
}

void body_file_discard(struct body_file *bf)
{
	if (!bf)
		return;
	if (bf->pp)
		MHD_destroy_post_processor(bf->pp);
	bf->pp = NULL;
	if (bf->fd >= 0)
		close(bf->fd);
	bf->fd = -1;
	if (bf->path[0])
		unlink(bf->path);
	bf->path[0] = '\0';
	EVP_MD_CTX_free(bf->md);
	bf->md = NULL;
	json_decref(bf->fields);
	bf->fields = NULL;
}
