// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * GET /letters/{file}, /postcards/{file}, /self-mailers/{file}, /checks/{file}: a piece's
 * proof PDF and thumbnails at links shaped as Lob's (`…/letters/ltr_….pdf?expires=…&
 * signature=…`, `…_thumb_small_1.png`), which Lob's SDK models require. No API key: the
 * signature is the authorisation, checked before anything is read. The file → asset mapping
 * is in the piece's private render input. GET /print-runs/{run id}/{file}: a print run's
 * files (src/production/), signed the same way, read from DATA/print_runs/<run id>/.
 */
#include "core/jsonutil.h"
#include "http/app.h"
#include "sign/asset_urls.h"
#include "http/response_file.h"
#include "http/route.h"
#include "store/assets.h"
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* the value of name in the raw query (arena); a repeated name counts as absent */
static const char *query_value(struct req *rq, const char *name)
{
	const char *q = rq->query_string, *found = NULL;
	size_t nlen = strlen(name);
	int seen = 0;
	while (q && *q) {
		const char *end = strchr(q, '&');
		size_t len = end ? (size_t)(end - q) : strlen(q);
		if (len > nlen && strncmp(q, name, nlen) == 0 && q[nlen] == '=') {
			seen++;
			found = arena_strndup(rq->arena, q + nlen + 1, len - nlen - 1);
		}
		q = end ? end + 1 : NULL;
	}
	return seen == 1 ? found : NULL;
}

static int piece_file(struct req *rq, const char *dir, struct api_error *err)
{
	const char *file = rq->path_id;
	const char *path = arena_strfmt(rq->arena, "%s/%s", dir, file);
	if (piece_file_verify(rq->app->data_dir, path, query_value(rq, "expires"),
			      query_value(rq, "signature"), rq->now_ms / 1000, err) < 0)
		return -1;
	/* the piece id is the file name up to ".pdf" or "_thumb_" */
	size_t idlen = strcspn(file, ".");
	const char *thumb = strstr(file, "_thumb_");
	if (thumb && (size_t)(thumb - file) < idlen)
		idlen = (size_t)(thumb - file);
	const char *hex = memchr(file, '_', idlen);
	char *json = NULL;
	const char *input_id = arena_strfmt(rq->arena, "inp_%.*s",
					    hex ? (int)(idlen - (size_t)(hex + 1 - file)) : 0,
					    hex ? hex + 1 : "");
	int rc = store_object_get_unscoped(rq->app->store, "piece_input", input_id, rq->arena, &json,
					   err);
	if (rc < 0)
		return -1;
	json_t *in = rc == 0 ? arena_own_json(rq->arena, json_loads(json, 0, NULL)) : NULL;
	const char *key = json_string_value(json_object_get(json_object_get(in, "files"), file));
	if (!key)
		return api_fail(err, ERR_NOT_FOUND, "file not found");
	return respond_asset(rq, rq->app->data_dir, key, err);
}

/* GET /<files dir>/{file}: the directory is the route's first segment, a mail product's
 * files_dir (core/mail_product.h; snap packs and booklets share order-creatives) */
static int product_file(struct req *rq, struct api_error *err)
{
	const char *pattern = rq->route->pattern + 1;
	return piece_file(rq, arena_strndup(rq->arena, pattern, strcspn(pattern, "/")), err);
}

/* GET /print-runs/{run id}/{file}: a run's file at its signed link */
static int run_file(struct req *rq, struct api_error *err)
{
	char path[256], file[1400];
	snprintf(path, sizeof(path), "print-runs/%s/%s", rq->path_id, rq->path_sub);
	if (run_file_verify(rq->app->data_dir, path, query_value(rq, "expires"),
			    query_value(rq, "signature"), rq->now_ms / 1000, err) < 0)
		return -1;
	snprintf(file, sizeof(file), "%s/print_runs/%s/%s", rq->app->data_dir, rq->path_id,
		 rq->path_sub);
	int fd = open(file, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return api_fail(err, ERR_NOT_FOUND, "file not found");
	}
	const char *dot = strrchr(rq->path_sub, '.');
	const char *type = !dot ? "application/octet-stream"
			   : strcmp(dot, ".pdf") == 0  ? "application/pdf"
			   : strcmp(dot, ".csv") == 0  ? "text/csv"
			   : strcmp(dot, ".json") == 0 ? "application/json"
						       : "application/octet-stream";
	int rc = respond_fd(rq, fd, (size_t)st.st_size, type, err);
	close(fd);
	return rc;
}

const struct route piece_file_routes[] = {
	{ HTTP_GET, "/letters/{id}", product_file, NULL, 0, NULL, 0 },
	{ HTTP_GET, "/postcards/{id}", product_file, NULL, 0, NULL, 0 },
	{ HTTP_GET, "/self-mailers/{id}", product_file, NULL, 0, NULL, 0 },
	{ HTTP_GET, "/checks/{id}", product_file, NULL, 0, NULL, 0 },
	{ HTTP_GET, "/order-creatives/{id}", product_file, NULL, 0, NULL, 0 },
	/* inserts' proofs (api/inserts.c): no mail product, the same file links */
	{ HTTP_GET, "/cards/{id}", product_file, NULL, 0, NULL, 0 },
	{ HTTP_GET, "/buckslips/{id}", product_file, NULL, 0, NULL, 0 },
	{ HTTP_GET, "/print-runs/{id}/{sub}", run_file, NULL, 0, NULL, 0 },
	{ .pattern = NULL }
};
