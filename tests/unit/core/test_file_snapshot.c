// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Data files re-read when they change (core/file_snapshot.h): the first use loads, an
 * unchanged file is not parsed again, a replaced file is, a file that does not parse keeps
 * the previous version in force, and a reader's version outlives a reload.
 */
#include "core/file_snapshot.h"
#include "test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int loads;

/* a file of one number; "bad" does not parse */
static void *load(const char *path, char *msg, size_t len)
{
	FILE *f = fopen(path, "r");
	char buf[32] = "";
	if (!f || !fgets(buf, sizeof(buf), f) || strncmp(buf, "bad", 3) == 0) {
		if (f)
			fclose(f);
		snprintf(msg, len, "not a number");
		return NULL;
	}
	fclose(f);
	loads++;
	return strdup(buf);
}

static struct file_snapshots files = FILE_SNAPSHOTS_INIT("test file", load, free);

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

int main(void)
{
	char dir[] = "/tmp/frank-snap-XXXXXX", path[64], msg[128];
	struct file_snapshot *r1, *r2, *r3;
	bool missing;
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/data", dir);
	CHECK(file_snapshot_get(&files, path, &r1, &missing, msg, sizeof(msg)) == NULL,
	      "no file, no data");
	CHECK(missing, "and it says the file is missing");
	put(path, "1");
	const char *v1 = file_snapshot_get(&files, path, &r1, &missing, msg, sizeof(msg));
	CHECK(v1 && strcmp(v1, "1") == 0, "the first use loads");
	const char *again = file_snapshot_get(&files, path, &r2, &missing, msg, sizeof(msg));
	CHECK(again == v1 && loads == 1, "an unchanged file is not parsed again");
	file_snapshot_release(r2);
	put(path, "22");	/* another size: changed even within the same second */
	const char *v2 = file_snapshot_get(&files, path, &r2, &missing, msg, sizeof(msg));
	CHECK(v2 && strcmp(v2, "22") == 0 && loads == 2, "a replaced file is read again");
	CHECK(strcmp(v1, "1") == 0, "the first reader's version is still whole");
	file_snapshot_release(r1);
	put(path, "bad!");
	const char *v3 = file_snapshot_get(&files, path, &r3, &missing, msg, sizeof(msg));
	CHECK(v3 == v2, "a file that does not parse leaves the previous version in force");
	file_snapshot_release(r3);
	unlink(path);
	v3 = file_snapshot_get(&files, path, &r3, &missing, msg, sizeof(msg));
	CHECK(v3 == v2, "a deleted file too");
	file_snapshot_release(r3);
	file_snapshot_release(r2);
	rmdir(dir);
	return test_done();
}
