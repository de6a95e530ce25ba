/* `nrm user add|list|disable|passwd`: account management at the server's console. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "core/role.h"
#include "secure/audit.h"
#include "secure/password.h"
#include "store/org.h"
#include "store/user.h"

/* Reads one line from stdin (without echo on a terminal) into out. */
static int read_password(char *out, size_t cap)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	if (tty) {
		fprintf(stderr, "Password: ");
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(out, (int)cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return -1;
	size_t n = strcspn(out, "\r\n");
	if (out[n] == '\0' && n + 1 == cap) {
		sodium_memzero(out, cap);
		return -1; /* longer than the buffer: refuse rather than cut it */
	}
	out[n] = '\0';
	return 0;
}

static int open_db(const char *db, struct store **s)
{
	struct nrm_err err = {0};
	int rc = store_open(db, s, &err);
	return rc ? cli_error("user", cli_exit_of(rc), "%s", err.msg) : 0;
}

static int user_add(int argc, char **argv)
{
	const char *db = "nrm.db", *username = NULL, *role = NULL, *county = NULL, *inst = NULL, *name = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"username", &username, NULL}, {"role", &role, NULL},
				       {"county", &county, NULL}, {"institution", &inst, NULL}, {"name", &name, NULL},
				       {NULL, NULL, NULL}};
	int rc = cli_parse("user add", argc, argv, opts);
	if (rc)
		return rc;
	if (!username || !role)
		return cli_error("user add", EXIT_USAGE, "--username and --role are required");
	int r = role_parse(role);
	if (r < 0)
		return cli_error("user add", EXIT_USAGE, "unknown role %s", role);
	struct store *s;
	if ((rc = open_db(db, &s)))
		return rc;
	int64_t cid = 0, iid = inst ? strtoll(inst, NULL, 10) : 0, id;
	json_t *row = NULL;
	struct nrm_err err = {0};
	char pw[300], hash[PASSWORD_HASH_LEN];
	if (county && store_county_id(s, county, &cid)) {
		rc = cli_error("user add", EXIT_USAGE, "unknown county %s", county);
		goto done;
	}
	if (inst && (iid <= 0 || store_institution_get(s, iid, &row))) {
		rc = cli_error("user add", EXIT_USAGE, "unknown institution %s", inst);
		goto done;
	}
	if (row && !cid)
		cid = json_integer_value(json_object_get(row, "county_id"));
	enum role_scope sc = role_scope((enum role)r);
	if ((sc == SCOPE_COUNTY && !cid) || (sc == SCOPE_INSTITUTION && !iid)) {
		rc = cli_error("user add", EXIT_USAGE, "role %s needs --%s", role, sc == SCOPE_COUNTY ? "county" : "institution");
		goto done;
	}
	for (const char *c = username; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '_')) {
			rc = cli_error("user add", EXIT_USAGE,
				       "username may contain only lower-case letters, digits, '.', '-' and '_'");
			goto done;
		}
	if (read_password(pw, sizeof pw)) {
		rc = cli_error("user add", EXIT_USAGE, "no password (of at most 256 characters) on standard input");
		goto done;
	}
	if (secure_password_acceptable(pw, &err)) {
		rc = cli_error("user add", EXIT_USAGE, "%s", err.msg);
		goto done;
	}
	if (secure_password_hash(pw, hash) || store_begin(s)) {
		rc = cli_error("user add", EXIT_RUNTIME, "cannot store the user");
		goto done;
	}
	rc = store_user_add(s, username, name ? name : username, role, cid, iid, hash, &id);
	if (!rc) {
		json_t *after = json_pack("{s:s, s:s}", "username", username, "role", role);
		rc = secure_audit_id(s, NULL, "create", "user", id, NULL, after, NULL);
		json_decref(after);
	}
	if (!rc)
		rc = store_commit(s);
	if (rc) {
		store_rollback(s);
		rc = cli_error("user add", rc == NRM_EEXIST ? EXIT_USAGE : EXIT_RUNTIME,
			       rc == NRM_EEXIST ? "user %s exists already" : "cannot store user %s", username);
		goto done;
	}
	printf("added user %s (%s)\n", username, role);
done:
	sodium_memzero(pw, sizeof pw);
	json_decref(row);
	store_close(s);
	return rc;
}

static int user_list(int argc, char **argv)
{
	const char *db = "nrm.db";
	const struct cli_opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("user list", argc, argv, opts);
	struct store *s;
	if (rc || (rc = open_db(db, &s)))
		return rc;
	json_t *rows;
	int64_t after = 0;
	printf("%-28s %-22s %-12s %s\n", "USERNAME", "ROLE", "COUNTY", "STATE");
	do {
		if (store_users(s, 0, after, 500, &rows)) {
			store_close(s);
			return cli_error("user list", EXIT_RUNTIME, "cannot read users");
		}
		size_t i;
		json_t *u;
		json_array_foreach(rows, i, u) {
			const char *county = json_string_value(json_object_get(u, "county"));
			printf("%-28s %-22s %-12s %s\n", json_string_value(json_object_get(u, "username")),
			       json_string_value(json_object_get(u, "role")), county ? county : "-",
			       json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active");
			after = json_integer_value(json_object_get(u, "id"));
		}
		i = json_array_size(rows);
		json_decref(rows);
		if (i < 500)
			break;
	} while (1);
	store_close(s);
	return EXIT_OK;
}

static int user_change(const char *cmd, int argc, char **argv, bool passwd)
{
	const char *db = "nrm.db", *username = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"username", &username, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse(cmd, argc, argv, opts);
	if (rc)
		return rc;
	if (!username)
		return cli_error(cmd, EXIT_USAGE, "--username is required");
	struct store *s;
	if ((rc = open_db(db, &s)))
		return rc;
	json_t *u = NULL;
	char pw[300], hash[PASSWORD_HASH_LEN];
	struct nrm_err err = {0};
	if (store_user_by_name(s, username, &u)) {
		rc = cli_error(cmd, EXIT_USAGE, "no user %s", username);
		goto done;
	}
	int64_t id = json_integer_value(json_object_get(u, "id"));
	if (passwd) {
		if (read_password(pw, sizeof pw)) {
			rc = cli_error(cmd, EXIT_USAGE, "no password (of at most 256 characters) on standard input");
			goto done;
		}
		if (secure_password_acceptable(pw, &err)) {
			rc = cli_error(cmd, EXIT_USAGE, "%s", err.msg);
			goto done;
		}
		if (secure_password_hash(pw, hash)) {
			rc = cli_error(cmd, EXIT_RUNTIME, "cannot hash the password");
			goto done;
		}
	}
	if ((rc = store_begin(s)) ||
	    (rc = passwd ? store_user_set_password(s, id, hash) : store_user_set_disabled(s, id, 1)) ||
	    (rc = store_sessions_delete_user(s, id)) ||
	    (rc = secure_audit_id(s, NULL, passwd ? "password" : "disable", "user", id, NULL, NULL, NULL)) ||
	    (rc = store_commit(s))) {
		store_rollback(s);
		rc = cli_error(cmd, EXIT_RUNTIME, "cannot update user %s", username);
		goto done;
	}
	printf(passwd ? "password of %s changed\n" : "user %s disabled\n", username);
done:
	sodium_memzero(pw, sizeof pw);
	json_decref(u);
	store_close(s);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 1)
		return cli_error("user", EXIT_USAGE, "expected add, list, disable or passwd (see nrm --help)");
	const char *sub = argv[0];
	if (strcmp(sub, "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return user_list(argc - 1, argv + 1);
	if (strcmp(sub, "disable") == 0)
		return user_change("user disable", argc - 1, argv + 1, false);
	if (strcmp(sub, "passwd") == 0)
		return user_change("user passwd", argc - 1, argv + 1, true);
	return cli_error("user", EXIT_USAGE, "unknown subcommand %s (expected add, list, disable or passwd)", sub);
}
