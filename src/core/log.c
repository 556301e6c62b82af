// SPDX-License-Identifier: AGPL-3.0-or-later
/* JSON-lines log writer. */
#include "core/log.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

int log_set_level_name(const char *name)
{
	for (int i = 0; i <= LOG_ERROR; i++) {
		if (strcmp(name, level_names[i]) == 0) {
			min_level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void log_set_level(enum log_level level)
{
	min_level = level;
}

static json_t *line_start(enum log_level level, const char *when)
{
	json_t *line = json_object();
	json_object_set_new(line, "time", json_string(when));
	json_object_set_new(line, "level", json_string(level_names[level]));
	return line;
}

void log_json(enum log_level level, json_t *fields)
{
	char when[25];
	if (level < min_level || !fields) {
		json_decref(fields);
		return;
	}
	time_format_iso(clock_now_ms(), when);
	json_t *line = line_start(level, when);
	json_object_update(line, fields);
	json_decref(fields);
	char *text = json_dumps(line, JSON_COMPACT);
	json_decref(line);
	if (!text) {	/* a field built unchecked (json_string_nocheck): say so, never drop it */
		line = line_start(level, when);
		json_object_set_new(line, "msg", json_string("log line not encodable as JSON"));
		text = json_dumps(line, JSON_COMPACT);
		json_decref(line);
	}
	if (!text)
		return;
	size_t n = strlen(text);
	text[n] = '\n';	/* json_dumps leaves room: we overwrite the NUL and write n+1 */
	ssize_t w = write(STDERR_FILENO, text, n + 1);
	(void)w;
	free(text);
}

json_t *log_text(const char *s)
{
	if (!s)
		return json_null();
	size_t n = strlen(s);
	if (utf8_valid(s, n))
		return json_stringn(s, n);
	size_t cap = 4 * n + 1;	/* every byte may become \xHH */
	char *safe = malloc(cap);
	if (!safe)
		return json_null();
	utf8_sanitize(safe, cap, s, n, false);
	json_t *j = json_string(safe);
	free(safe);
	return j;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[1024], safe[1024];
	va_list ap;
	if (level < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utf8_sanitize(safe, sizeof(safe), msg, strlen(msg), true);
	log_json(level, json_pack("{ss}", "msg", safe));
}
