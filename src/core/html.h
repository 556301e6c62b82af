// SPDX-License-Identifier: AGPL-3.0-or-later
/* Text into HTML: every value the dashboard writes outside its templates goes through here. */
#ifndef FRANK_CORE_HTML_H
#define FRANK_CORE_HTML_H
#include "core/arena.h"

/* s with & < > " ' escaped, in the arena (NULL s: ""); safe in text and quoted attributes */
const char *html_escape(struct arena *a, const char *s);
/* s percent-encoded for a query value (RFC 3986 unreserved kept), in the arena */
const char *url_encode(struct arena *a, const char *s);
#endif
