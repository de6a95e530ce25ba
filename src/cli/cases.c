/* Opening a database the way every command that works with cases does — its form, labels
 * and key, the reasons an older nrm left in clear sealed — and, for `nrm import` and
 * `nrm export`, the user they act as (--as; whoever runs nrm at the server's console is
 * trusted, as for `nrm user`). */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/statdef.h"
#include "match/match.h"
#include "secure/perm.h"
#include "store/user.h"
#include "user/user.h"

int cli_key_check(const char *cmd, const char *db)
{
	struct crypt_keys *k = malloc(sizeof *k);
	struct nrm_err err = {0};
	char key[4096];
	snprintf(key, sizeof key, "%s.key", db);
	if (!k)
		return cli_error(cmd, EXIT_RUNTIME, "out of memory");
	int rc = crypt_load_keys(key, k, &err);
	crypt_keys_wipe(k);
	free(k);
	return rc ? cli_fail(cmd, &err) : 0;
}

int cli_db_open(const char *cmd, const char *path, struct cli_db *d)
{
	struct nrm_err err = {0};
	char key[4096];
	memset(d, 0, sizeof *d);
	snprintf(key, sizeof key, "%s.key", path);
	int rc;
	if ((rc = store_open(path, &d->db, &err)))
		return cli_fail(cmd, &err);
	if ((rc = case_form_load(d->db, &d->form, &err))) {
		rc = cli_fail(cmd, &err);
		/* A form stored by an nrm older than its bindings (schema 3) is replaced by hand, since
		 * it may hold the county's own revisions of the shipped one. */
		if (err.key == KEY_form_binding || err.key == KEY_stats_missing)
			fprintf(stderr, "nrm %s: the case form in %s was stored by an older nrm; load the current one with:"
					" nrm forms load --db %s [--data DIR]\n",
				cmd, path, path);
		goto fail;
	}
	if ((rc = case_statdef_load(d->db, d->form, &d->stats, &err))) {
		rc = cli_fail(cmd, &err);
		if (err.key == KEY_stats_missing)
			fprintf(stderr, "nrm %s: %s was written by an older nrm; load the definitions of the figures with:"
					" nrm forms load --db %s [--data DIR]\n",
				cmd, path, path);
		goto fail;
	}
	if ((rc = case_labels_load(d->db, d->form, &d->labels, &err)) || (rc = case_match_load(d->db, &d->match, &err)) ||
	    (rc = crypt_load_keys(key, &d->keys, &err))) {
		rc = cli_fail(cmd, &err);
		goto fail;
	}
	if (!d->match)
		fprintf(stderr, "nrm %s: approximate matching of persons is off until its definitions are loaded: nrm forms"
				" load --db %s [--data DIR]\n",
			cmd, path);
	if ((rc = cli_audit_upgrade(cmd, d->db, &d->keys, path)))
		goto fail;
	struct principal op;
	user_operator(&op);
	struct nrm_ctx ctx = {.db = d->db, .me = &op, .today = clock_today(), .form = d->form, .keys = &d->keys,
			      .stats = d->stats, .match = d->match};
	int sealed = 0;
	if ((rc = case_seal_legacy(&ctx, &sealed, &err))) {
		rc = cli_error(cmd, EXIT_RUNTIME, "cannot seal the reasons an older nrm stored in clear");
		goto fail;
	}
	if (sealed)
		fprintf(stderr, "nrm %s: sealed %d reasons an older nrm had stored in clear\n", cmd, sealed);
	int figured = 0;
	if ((rc = case_figures_backfill(&ctx, &figured))) {
		rc = cli_error(cmd, EXIT_RUNTIME, "cannot work out the dated facts of the cases an older nrm stored");
		goto fail;
	}
	if (figured)
		fprintf(stderr, "nrm %s: worked out the dated facts of %d cases an older nrm stored\n", cmd, figured);
	int64_t encoded = 0, queued = 0;
	if ((rc = case_similar_backfill(&ctx, &encoded, &queued))) {
		rc = cli_error(cmd, EXIT_RUNTIME, "cannot encode the cases for approximate matching");
		goto fail;
	}
	if (encoded)
		fprintf(stderr,
			"nrm %s: encoded %lld cases for approximate matching and compared them: %lld new pairs of likely"
			" duplicates for the Authority to review\n",
			cmd, (long long)encoded, (long long)queued);
	int64_t listed = 0;
	if ((rc = case_list_refresh(d->db, d->form, &listed))) {
		rc = cli_error(cmd, EXIT_RUNTIME, "cannot keep the fields the case lists show");
		goto fail;
	}
	if (listed)
		fprintf(stderr, "nrm %s: kept the fields the lists show of %lld cases\n", cmd, (long long)listed);
	return 0;
fail:
	cli_db_close(d);
	return rc;
}

void cli_db_close(struct cli_db *d)
{
	labels_free(d->labels);
	statdef_free(d->stats);
	match_def_free(d->match);
	form_free(d->form);
	crypt_keys_wipe(&d->keys);
	if (d->db)
		store_close(d->db);
	memset(d, 0, sizeof *d);
}

int cli_cases_open(const char *cmd, const char *db, const char *username, struct cli_cases *cc)
{
	json_t *u = NULL;
	memset(cc, 0, sizeof *cc);
	int rc = cli_db_open(cmd, db, &cc->d);
	if (rc)
		return rc;
	if (store_user_by_name(cc->d.db, username, &u)) {
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
	cc->db = cc->d.db;
	cc->form = cc->d.form;
	cc->keys = &cc->d.keys;
	cc->ctx = (struct nrm_ctx){.db = cc->d.db, .form = cc->d.form, .keys = &cc->d.keys, .labels = cc->d.labels, .stats = cc->d.stats,
				   .match = cc->d.match,
				   .me = &cc->me, .today = clock_today()};
	return 0;
fail:
	json_decref(u);
	cli_db_close(&cc->d);
	memset(cc, 0, sizeof *cc);
	return rc;
}

void cli_cases_close(struct cli_cases *cc)
{
	cli_db_close(&cc->d);
	memset(cc, 0, sizeof *cc);
}
