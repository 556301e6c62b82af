// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Byte responses. The transport copies resp_body when it queues the response, so a file is
 * read whole into the request's arena; RESPOND_FILE_MAX keeps that bounded.
 */
#include "http/response_file.h"
#include "store/assets.h"
#include <errno.h>
#include <unistd.h>

int respond_bytes(struct req *rq, int status, const char *type, const void *data, size_t len)
{
	rq->status = status;
	rq->resp_body = len ? data : "";
	rq->resp_len = len;
	rq->resp_type = type;
	return 0;
}

int respond_fd(struct req *rq, int fd, size_t size, const char *type, struct api_error *err)
{
	if (size > RESPOND_FILE_MAX)
		return api_fail(err, ERR_INTERNAL, "file of %zu bytes is over the %zu-byte limit",
				size, RESPOND_FILE_MAX);
	char *buf = arena_alloc(rq->arena, size ? size : 1);
	size_t got = 0;
	while (got < size) {
		ssize_t n = pread(fd, buf + got, size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return api_fail(err, ERR_INTERNAL, "short read (%zu of %zu bytes)", got, size);
		got += (size_t)n;
	}
	return respond_bytes(rq, 200, type, buf, size);
}

int respond_asset(struct req *rq, const char *data_dir, const char *key, struct api_error *err)
{
	struct asset_file f;
	if (assets_open(data_dir, key, &f, err) < 0)
		return -1;
	int rc = respond_fd(rq, f.fd, f.size, assets_content_type(key), err);
	close(f.fd);
	if (rc < 0)
		return -1;
	req_add_header(rq, "Cache-Control", "private");
	req_add_header(rq, "X-Content-Type-Options", "nosniff");
	return 0;
}
