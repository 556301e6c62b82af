// SPDX-License-Identifier: AGPL-3.0-or-later
/* The kinds of mail pieces the dashboard shows, and their routes (pieces.h). */
#include "dashboard/pieces.h"
#include "dashboard/pages.h"
#include <string.h>

static const struct piece_kind kinds[] = {
	{ "letters", "letter", "ltr_", "Letters", "letter", true, true },
	{ "postcards", "postcard", "psc_", "Postcards", "postcard", false, true },
	{ "self_mailers", "self_mailer", "sfm_", "Self-mailers", "self-mailer", false, true },
	{ "checks", "check", "chk_", "Checks", "check", false, true },
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

const struct piece_kind *piece_kind_of_path(const char *path)
{
	static const char base[] = "/dashboard/";
	if (strncmp(path, base, sizeof(base) - 1) != 0)
		return NULL;
	path += sizeof(base) - 1;
	for (size_t i = 0; i < N_KINDS; i++) {
		size_t n = strlen(kinds[i].path);
		if (strncmp(path, kinds[i].path, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return &kinds[i];
	}
	return NULL;
}

const struct piece_kind *piece_kind_of_id(const char *id)
{
	for (size_t i = 0; id && i < N_KINDS; i++)
		if (strncmp(id, kinds[i].prefix, strlen(kinds[i].prefix)) == 0)
			return &kinds[i];
	return NULL;
}

json_t *choice_options(const struct choice *c, const char *current)
{
	json_t *a = json_array();
	for (; c->value; c++)
		json_array_append_new(a, json_pack("{sssssb}", "value", c->value, "label", c->label,
						   "selected", strcmp(c->value, current) == 0));
	return a;
}

/* the same three rows for every kind: list, piece, cancel; and sending a letter */
#define KIND_ROWS(p)                                                                      \
	{ HTTP_GET, "/dashboard/" p, dash_pieces_list, NULL, 0, DASH_SCOPE_VIEWER, 0 },    \
	{ HTTP_GET, "/dashboard/" p "/{id}", dash_piece_show, NULL, 0, DASH_SCOPE_VIEWER, 0 },  \
	{ HTTP_POST, "/dashboard/" p "/{id}/cancel", dash_piece_cancel, NULL, 0,               \
	  DASH_SCOPE_MEMBER, R_BODY }

const struct route dash_piece_routes[] = {
	/* before /dashboard/letters/{id}: the first row that matches a path serves it */
	{ HTTP_GET, "/dashboard/letters/new", dash_letter_new_form, NULL, 0, DASH_SCOPE_MEMBER, 0 },
	{ HTTP_POST, "/dashboard/letters/new", dash_letter_new_submit, NULL, 0, DASH_SCOPE_MEMBER,
	  R_BODY },
	KIND_ROWS("letters"),
	KIND_ROWS("postcards"),
	KIND_ROWS("self_mailers"),
	KIND_ROWS("checks"),
	{ .pattern = NULL }
};
