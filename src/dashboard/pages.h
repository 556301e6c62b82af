// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The dashboard's route tables, one per group of pages (each group's file defines its rows),
 * all under route_profile_dashboard; src/api/routes.c lists them. A row's scope is the least
 * role that may use it (DASH_SCOPE_* in http/route.h); every form is a POST with the
 * session's _csrf, checked by the router before the handler runs.
 */
#ifndef FRANK_DASHBOARD_PAGES_H
#define FRANK_DASHBOARD_PAGES_H
#include "http/route.h"

/* signing in and out, switching account and mode, the overview, static files, "/" */
extern const struct route dash_core_routes[];
/* the account's people and their roles */
extern const struct route dash_team_routes[];
/* mail pieces: lists, search, a piece with its proof, tracking and events, cancel */
extern const struct route dash_piece_routes[];
/* templates (editor, preview, versions), addresses, address verification */
extern const struct route dash_template_routes[];
/* webhooks, API keys, settings, certified mail, campaigns and uploads */
extern const struct route dash_account_routes[];
/* the mail room: due pieces, print runs, lots, marks, failed renders, scans, audit log */
extern const struct route dash_mailroom_routes[];

int dash_static(struct req *rq, struct api_error *err);
#endif
