// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * JSON-lines logging to stderr: one object per line with "time", "level", "msg" and any
 * extra fields. Thread-safe (each line is one write).
 */
#ifndef FRANK_LOG_H
#define FRANK_LOG_H
#include <jansson.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* "debug" | "info" | "warn" | "error"; 0 or -1 */
int log_set_level_name(const char *name);
void log_set_level(enum log_level level);
/* printf-style message, made valid UTF-8 (core/utf8.h) so the line is always written */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* writes fields (stolen reference) with time and level added; used for the access log */
void log_json(enum log_level level, json_t *fields);
/* a JSON string for a log field from any bytes (a client's path): made valid UTF-8 */
json_t *log_text(const char *s);
#endif
