// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Writing a part to its file: a temp file in the output directory, fsync, rename over the
 * final name, fsync of the directory, so a reader (a RIP's hot folder) never sees half a
 * file. The bytes are hashed (SHA-256, OpenSSL) and counted as they are written, for
 * files_out (printfile_internal.h).
 */
#include "production/printfile_internal.h"
#include "store/assets.h"
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* an fz_output that writes to a file descriptor and hashes on the way */
struct sink {
	int fd;
	EVP_MD_CTX *md;
	long long bytes;
};

static void sink_write(fz_context *ctx, void *state, const void *data, size_t n)
{
	struct sink *s = state;
	const unsigned char *p = data;
	if (EVP_DigestUpdate(s->md, p, n) != 1)
		fz_throw(ctx, FZ_ERROR_GENERIC, "SHA-256 failed");
	while (n > 0) {
		ssize_t w = write(s->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fz_throw(ctx, FZ_ERROR_GENERIC, "%s", strerror(w < 0 ? errno : EIO));
		p += w;
		n -= (size_t)w;
		s->bytes += w;
	}
}

static int64_t sink_tell(fz_context *ctx, void *state)
{
	(void)ctx;
	return ((struct sink *)state)->bytes;
}

/* the document into s; 0, or -1 with *err */
static int write_doc(struct pf_job *j, struct sink *s, const char *tmp, struct api_error *err)
{
	fz_context *ctx = j->ctx;
	fz_output *out = NULL;
	int rc = 0;
	fz_var(out);
	fz_var(rc);
	fz_try(ctx) {
		pdf_write_options opts = pdf_default_write_options;
		opts.do_compress = 1; /* Frank's own streams; grafted ones are copied as they are */
		out = fz_new_output(ctx, 1 << 16, s, sink_write, NULL, NULL);
		out->tell = sink_tell;
		pdf_write_document(ctx, j->out, out, &opts);
		fz_close_output(ctx, out);
	}
	fz_always(ctx)
		fz_drop_output(ctx, out);
	fz_catch(ctx)
		rc = pf_fail(j, err, ERR_INTERNAL, "%s could not be written: %s", tmp,
			     fz_caught_message(ctx));
	if (rc == 0 && fsync(s->fd) != 0)
		rc = pf_fail(j, err, ERR_INTERNAL, "%s could not be written: %s", tmp,
			     strerror(errno));
	return rc;
}

static int hex_digest(EVP_MD_CTX *md, char hex[65])
{
	unsigned char d[32];
	unsigned int len = 0;
	if (EVP_DigestFinal_ex(md, d, &len) != 1 || len != 32)
		return -1;
	for (unsigned i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return 0;
}

int pf_save(struct pf_job *j, const char *out_dir, const char *name, json_t *files_out,
	    struct api_error *err)
{
	j->piece_id = NULL;
	char tmp[4096], final[4096], hex[65] = "";
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", out_dir, name) >= sizeof tmp ||
	    (size_t)snprintf(final, sizeof final, "%s/%s", out_dir, name) >= sizeof final)
		return pf_fail(j, err, ERR_INTERNAL, "the output directory's path is too long");
	struct sink s = { .fd = mkostemp(tmp, O_CLOEXEC), .md = EVP_MD_CTX_new() };
	if (s.fd < 0 || !s.md) {
		int e = errno;
		EVP_MD_CTX_free(s.md);
		if (s.fd >= 0) {
			close(s.fd);
			unlink(tmp);
		}
		return pf_fail(j, err, ERR_INTERNAL, "cannot create a file in %s: %s", out_dir,
			       strerror(e));
	}
	int rc = 0;
	/* mkstemp's 0600 would hide the file from a RIP or a sync running as another user */
	if (fchmod(s.fd, 0644) != 0)
		rc = pf_fail(j, err, ERR_INTERNAL, "cannot chmod %s: %s", tmp, strerror(errno));
	else if (EVP_DigestInit_ex(s.md, EVP_sha256(), NULL) != 1)
		rc = pf_fail(j, err, ERR_INTERNAL, "SHA-256 is not available");
	else
		rc = write_doc(j, &s, tmp, err);
	if (rc == 0 && hex_digest(s.md, hex) < 0)
		rc = pf_fail(j, err, ERR_INTERNAL, "SHA-256 failed");
	EVP_MD_CTX_free(s.md);
	/* the bytes are on disk before the name is (rename), the name before we say so */
	if (close(s.fd) != 0 && rc == 0)
		rc = pf_fail(j, err, ERR_INTERNAL, "%s could not be closed: %s", tmp,
			     strerror(errno));
	if (rc == 0 && rename(tmp, final) != 0)
		rc = pf_fail(j, err, ERR_INTERNAL, "cannot put %s in place: %s", final,
			     strerror(errno));
	if (rc < 0) {
		unlink(tmp);
		return -1;
	}
	if (assets_fsync_dir(out_dir) != 0)
		return pf_fail(j, err, ERR_INTERNAL, "cannot sync %s: %s", out_dir,
		               strerror(errno));
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "kind", "print", "name",
			      name, "lot", j->lot_id, "pieces", (json_int_t)j->count, "pages",
			      (json_int_t)j->pages, "sheets", (json_int_t)j->sheets, "bytes",
			      (json_int_t)s.bytes, "sha256", hex);
	if (!o || json_array_append_new(files_out, o) != 0)
		return pf_fail(j, err, ERR_INTERNAL, "out of memory");
	return 0;
}
