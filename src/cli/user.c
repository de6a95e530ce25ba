/* `nrm user add|list|disable|passwd`: account management at the server's console. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/role.h"
#include "secure/password.h"
#include "store/db.h"
#include "user/user.h"

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

/* The database and the console operator acting on it. */
struct console {
	struct store *db;
	struct principal op;
	struct nrm_ctx ctx;
};

static int console_open(const char *cmd, const char *db, struct console *k)
{
	struct nrm_err err = {0};
	memset(k, 0, sizeof *k);
	/* What writes audit rows needs the key file; a list reads none. */
	int rc = strcmp(cmd, "user list") != 0 ? cli_key_check(cmd, db) : 0;
	if (rc)
		return rc;
	if (store_open(db, &k->db, &err))
		return cli_fail(cmd, &err);
	user_operator(&k->op);
	k->ctx = (struct nrm_ctx){.db = k->db, .me = &k->op, .today = clock_today()};
	return 0;
}

static int user_add(int argc, char **argv)
{
	const char *db = "nrm.db", *username = NULL, *role = NULL, *county = NULL, *inst = NULL, *name = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"username", &username, NULL}, {"role", &role, NULL},
				       {"county", &county, NULL}, {"institution", &inst, NULL}, {"name", &name, NULL},
				       {NULL, NULL, NULL}};
	int rc = cli_parse("user add", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (!username || !role)
		return cli_error("user add", EXIT_USAGE, "--username and --role are required");
	char *end = NULL;
	long long iid = inst ? strtoll(inst, &end, 10) : 0;
	if (inst && (*end || iid <= 0))
		return cli_error("user add", EXIT_USAGE, "--institution must be the id of an institution");
	struct console k;
	if ((rc = console_open("user add", db, &k)))
		return rc;
	char pw[PASSWORD_MAX_LEN + 2];
	struct nrm_err err = {0};
	json_t *in = NULL, *out = NULL;
	if (read_password(pw, sizeof pw)) {
		rc = cli_error("user add", EXIT_USAGE, "no password (of at most %d characters) on standard input",
			       PASSWORD_MAX_LEN);
		goto done;
	}
	in = json_pack("{s:s, s:s, s:s, s:s?, s:s}", "username", username, "name", name ? name : username, "role", role,
		       "county", county, "password", pw);
	if (iid)
		json_object_set_new(in, "institution", json_integer(iid));
	if ((rc = user_create(&k.ctx, in, &out, &err))) {
		rc = cli_fail("user add", &err);
		goto done;
	}
	printf("added user %s (%s)\n", username, role);
done:
	sodium_memzero(pw, sizeof pw);
	json_decref(in);
	json_decref(out);
	store_close(k.db);
	return rc;
}

static int user_list_page(struct console *k, int64_t after, json_t **rows, struct nrm_err *err)
{
	return user_list(&k->ctx, 0, after, 500, rows, err);
}

static int list_users(int argc, char **argv)
{
	const char *db = "nrm.db";
	const struct cli_opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("user list", argc, argv, opts);
	struct console k;
	if (rc)
		return CLI_EXIT(rc);
	if ((rc = console_open("user list", db, &k)))
		return rc;
	json_t *rows;
	int64_t after = 0;
	struct nrm_err err = {0};
	printf("%-28s %-22s %-12s %s\n", "USERNAME", "ROLE", "COUNTY", "STATE");
	for (;;) {
		if ((rc = user_list_page(&k, after, &rows, &err)))
			break;
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
	}
	store_close(k.db);
	return rc ? cli_fail("user list", &err) : EXIT_OK;
}

static int user_change(const char *cmd, int argc, char **argv, bool passwd)
{
	const char *db = "nrm.db", *username = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"username", &username, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse(cmd, argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (!username)
		return cli_error(cmd, EXIT_USAGE, "--username is required");
	struct console k;
	if ((rc = console_open(cmd, db, &k)))
		return rc;
	json_t *in = NULL, *out = NULL;
	char pw[PASSWORD_MAX_LEN + 2];
	struct nrm_err err = {0};
	int64_t id;
	if ((rc = user_find(&k.ctx, username, &id, &err))) {
		rc = cli_fail(cmd, &err);
		goto done;
	}
	if (passwd && read_password(pw, sizeof pw)) {
		rc = cli_error(cmd, EXIT_USAGE, "no password (of at most %d characters) on standard input", PASSWORD_MAX_LEN);
		goto done;
	}
	in = passwd ? json_pack("{s:s}", "password", pw) : json_pack("{s:b}", "disabled", 1);
	if ((rc = user_update(&k.ctx, id, in, &out, &err))) {
		rc = cli_fail(cmd, &err);
		goto done;
	}
	printf(passwd ? "password of %s changed\n" : "user %s disabled\n", username);
done:
	sodium_memzero(pw, sizeof pw);
	json_decref(in);
	json_decref(out);
	store_close(k.db);
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
		return list_users(argc - 1, argv + 1);
	if (strcmp(sub, "disable") == 0)
		return user_change("user disable", argc - 1, argv + 1, false);
	if (strcmp(sub, "passwd") == 0)
		return user_change("user passwd", argc - 1, argv + 1, true);
	return cli_error("user", EXIT_USAGE, "unknown subcommand %s (expected add, list, disable or passwd)", sub);
}
