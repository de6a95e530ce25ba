/* What `nrm import` and `nrm export` share: the database, its case form and keys, and the
 * user they act as (--as; whoever runs nrm at the server's console is trusted, as for
 * `nrm user`). */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "secure/perm.h"
#include "store/user.h"

int cli_cases_open(const char *cmd, const char *db, const char *username, struct cli_cases *cc)
{
	struct nrm_err err = {0};
	json_t *u = NULL;
	memset(cc, 0, sizeof *cc);
	int rc = store_open(db, &cc->db, &err);
	if (rc)
		return cli_error(cmd, cli_exit_of(rc), "%s", err.msg);
	if (store_user_by_name(cc->db, username, &u)) {
		rc = cli_error(cmd, EXIT_USAGE, "no user %s", username);
		goto fail;
	}
	int role = role_parse(json_string_value(json_object_get(u, "role")));
	if (role < 0 || json_is_true(json_object_get(u, "disabled"))) {
		rc = cli_error(cmd, EXIT_USAGE, role < 0 ? "user %s has an unknown role" : "user %s is disabled", username);
		goto fail;
	}
	secure_principal_of(u, &cc->me);
	json_decref(u);
	u = NULL;
	if ((rc = case_form_load(cc->db, &cc->form, &err))) {
		rc = cli_error(cmd, cli_exit_of(rc), "%s", err.msg);
		goto fail;
	}
	char key[4096];
	snprintf(key, sizeof key, "%s.key", db);
	if ((rc = crypt_load_keys(key, &cc->keys, &err))) {
		rc = cli_error(cmd, EXIT_USAGE, "%s", err.msg);
		goto fail;
	}
	cc->ctx = (struct nrm_ctx){.db = cc->db, .form = cc->form, .keys = &cc->keys, .me = &cc->me,
				   .today = clock_today()};
	return 0;
fail:
	json_decref(u);
	form_free(cc->form);
	store_close(cc->db);
	memset(cc, 0, sizeof *cc);
	return rc;
}

void cli_cases_close(struct cli_cases *cc)
{
	form_free(cc->form);
	crypt_keys_wipe(&cc->keys);
	if (cc->db)
		store_close(cc->db);
	memset(cc, 0, sizeof *cc);
}
