// SPDX-License-Identifier: AGPL-3.0-or-later
/* The frank CLI's arguments and the commands that live outside frank.c. */
#ifndef FRANK_CLI_COMMANDS_H
#define FRANK_CLI_COMMANDS_H
#include <stdbool.h>

struct cli_args {
	const char *data, *account, *mode, *type, *positional;
	const char *zip_data, *references, *file, *casing;
	/* frank render */
	const char *product, *input, *output, *merge, *to, *from, *options, *thumbs;
	/* frank user create, frank operator create (password: only to refuse it) */
	const char *email, *password;
	/* frank user grant */
	const char *role;
	/* frank production */
	const char *body, *mailer_id, *public_url;
	/* frank restore */
	bool force;
	/* frank accounts credit */
	const char *amount, *description;
	/* frank routes: machine output */
	bool json;
};

/* ledger_cmd.c: the account (checked) in an open store */
struct store;
int cmd_accounts_credit(struct cli_args *a, struct store *s, const char *account);
/* frank.c: the store of --data, NULL with the reason on stderr */
struct store *cli_open_store(const char *dir);
/* user_cmd.c */
int cmd_user_grant(struct cli_args *a);
/* routes_cmd.c */
int cmd_routes(struct cli_args *a);
/* render_cmd.c */
int cmd_render(struct cli_args *a);
int cmd_barcode(struct cli_args *a, int argc, char **argv);
/* scans_cmd.c */
int cmd_ingest_scans(struct cli_args *a);
/* operator_cmd.c */
int cmd_operator_create(struct cli_args *a);
/* production_cmd.c */
int cmd_production_cut(struct cli_args *a);
int cmd_production_list(struct cli_args *a);
int cmd_production_show(struct cli_args *a);
int cmd_production_build(struct cli_args *a);
int cmd_production_printed(struct cli_args *a);
int cmd_production_mailed(struct cli_args *a);
int cmd_production_spoiled(struct cli_args *a);
int cmd_production_informed_delivery(struct cli_args *a);
/* pieces_cmd.c */
int cmd_pieces_why(struct cli_args *a);
/* upload_cmd.c */
int cmd_upload(struct cli_args *a);
/* campaign_cmd.c */
int cmd_campaign_send(struct cli_args *a);
/* backup_cmd.c */
int cmd_backup(struct cli_args *a);
int cmd_restore(struct cli_args *a);
int cmd_check(struct cli_args *a);
/* migrate_cmd.c */
int cmd_migrate_store(struct cli_args *a);
#endif
