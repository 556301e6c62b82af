// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The asset store: content addressing, the on-disk layout, idempotent puts, key
 * validation (no path ever built from a bad key), extensions, and concurrent writers of
 * the same bytes.
 */
#include "store/assets.h"
#include "core/ids.h"
#include "test.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/frank-test-assets-XXXXXX";

static void test_put_open(void)
{
	static const unsigned char pdf[] = "%PDF-1.4 hello";
	char key[ASSET_KEY_MAX], hex[65], path[512];
	struct api_error err;
	struct asset_file f;
	CHECK_INT(assets_put(dir, pdf, sizeof(pdf) - 1, "pdf", key, &err), 0, "put a PDF");
	ids_sha256_hex(pdf, sizeof(pdf) - 1, hex);
	CHECK(strncmp(key, hex, 64) == 0 && strcmp(key + 64, ".pdf") == 0, "key is sha256hex.pdf");
	CHECK(assets_key_valid(key), "the key is valid");
	snprintf(path, sizeof(path), "%s/assets/%.2s/%s.pdf", dir, hex, hex + 2);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (size_t)st.st_size == sizeof(pdf) - 1,
	      "stored at assets/ab/cdef….pdf");
	CHECK((st.st_mode & 0777) == 0600, "file mode 0600");
	CHECK_INT(assets_open(dir, key, &f, &err), 0, "open it");
	char buf[64] = "";
	CHECK(read(f.fd, buf, sizeof(buf)) == (ssize_t)(sizeof(pdf) - 1) &&
		      memcmp(buf, pdf, sizeof(pdf) - 1) == 0 && f.size == sizeof(pdf) - 1,
	      "the same bytes back");
	close(f.fd);
	char again[ASSET_KEY_MAX];
	CHECK_INT(assets_put(dir, pdf, sizeof(pdf) - 1, "pdf", again, &err), 0, "put again");
	CHECK_STR(again, key, "same bytes, same key");
	CHECK_INT(assets_put(dir, pdf, sizeof(pdf) - 1, "png", again, &err), 0,
		  "same bytes, another extension");
	CHECK(strcmp(again, key) != 0 && strcmp(again + 64, ".png") == 0, "a separate key");
	CHECK_INT(assets_put(dir, (const unsigned char *)"", 0, "pdf", again, &err), 0,
		  "an empty file can be stored");
	CHECK_INT(assets_open(dir, again, &f, &err), 0, "and opened");
	CHECK_INT(f.size, 0, "size 0");
	close(f.fd);
	/* no temp files left behind */
	snprintf(path, sizeof(path), "ls -a %s/assets/%.2s | grep -c '^.tmp-' > /dev/null", dir, hex);
	CHECK(system(path) != 0, "no temp files left");
}

static void test_bad_input(void)
{
	char key[ASSET_KEY_MAX];
	struct api_error err;
	struct asset_file f;
	static const char *const bad_ext[] = { "", "PDF", "p.f", "../x", "toolongext", "p/f" };
	for (size_t i = 0; i < sizeof(bad_ext) / sizeof(bad_ext[0]); i++)
		CHECK(assets_put(dir, (const unsigned char *)"x", 1, bad_ext[i], key, &err) < 0 &&
			      err.kind == ERR_INVALID, "extension \"%s\" refused", bad_ext[i]);
	CHECK(assets_put(dir, (const unsigned char *)"x", 1, NULL, key, &err) < 0, "no extension");
	char good[80];
	memset(good, 'a', 64);
	memcpy(good + 64, ".pdf", 5);
	CHECK(assets_key_valid(good), "64 hex + .pdf is a key");
	static const char *const bad_keys[] = {
		"", "abc.pdf", "../../etc/passwd",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.pdf",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pdf/",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.toolongext",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pdf",
		"gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg.pdf",
	};
	for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
		CHECK(!assets_key_valid(bad_keys[i]), "not a key: %s", bad_keys[i]);
		CHECK(assets_open(dir, bad_keys[i], &f, &err) < 0 && err.kind == ERR_NOT_FOUND,
		      "open refuses it with not_found");
	}
	CHECK(!assets_key_valid(NULL), "NULL is not a key");
	CHECK(assets_open(dir, good, &f, &err) < 0 && err.kind == ERR_NOT_FOUND,
	      "a valid key with no file is not_found");
	CHECK_STR(assets_content_type(good), "application/pdf", "pdf type");
	CHECK_STR(assets_content_type("x.png"), "image/png", "png type");
	CHECK_STR(assets_content_type("x.bin"), "application/octet-stream", "unknown type");
}

struct writer {
	unsigned char data[4096];
	char key[ASSET_KEY_MAX];
	int rc;
};

static void *write_same(void *p)
{
	struct writer *w = p;
	struct api_error err;
	w->rc = assets_put(dir, w->data, sizeof(w->data), "png", w->key, &err);
	return NULL;
}

static void test_concurrent(void)
{
	pthread_t t[8];
	static struct writer w[8];
	for (int i = 0; i < 8; i++) {
		for (size_t j = 0; j < sizeof(w[i].data); j++)
			w[i].data[j] = (unsigned char)(j * 7);
		pthread_create(&t[i], NULL, write_same, &w[i]);
	}
	int ok = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ok += w[i].rc == 0 && strcmp(w[i].key, w[0].key) == 0;
	}
	CHECK_INT(ok, 8, "8 concurrent writers of the same bytes all succeed with one key");
	struct asset_file f;
	struct api_error err;
	CHECK(assets_open(dir, w[0].key, &f, &err) == 0 && f.size == 4096, "one whole file");
	if (f.fd >= 0)
		close(f.fd);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_put_open();
	test_bad_input();
	test_concurrent();
	char cmd[100];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return test_done();
}
