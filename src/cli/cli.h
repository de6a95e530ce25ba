/* Command-line subcommands and their shared helpers (option parsing, resource folders). */
#ifndef NRM_CLI_CLI_H
#define NRM_CLI_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "case/case.h"
#include "core/ctx.h"
#include "core/date.h"
#include "core/err.h"
#include "core/labels.h"
#include "store/db.h"

/* Exit codes of the outside contract. */
enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* One option of a subcommand: "--name VALUE" (value != NULL) or a flag "--name" (flag != NULL). */
struct cli_opt {
	const char *name;
	const char **value;
	bool *flag;
};

/* Parses argv against opts (NULL-terminated by name). Prints a one-line message and returns
 * EXIT_USAGE on an unknown option, a missing value or a stray argument; 0 otherwise. With
 * --help it prints cmd's usage and returns CLI_HELPED: callers exit 0 without doing more. */
#define CLI_HELPED 100
int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts);
/* The usage of a subcommand ("import", "user add", ...), or NULL. */
const char *cli_usage(const char *cmd);
/* Whether argv asks for help (--help or -h anywhere). */
bool cli_wants_help(int argc, char **argv);
/* Prints cmd's usage on standard output; returns EXIT_OK. */
int cli_help(const char *cmd);
/* The exit code of a subcommand whose cli_parse returned rc (help is a success). */
#define CLI_EXIT(rc) ((rc) == CLI_HELPED ? EXIT_OK : (rc))
/* Prints "nrm CMD: message" on stderr; returns code. */
int cli_error(const char *cmd, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Exit code for an error code: bad input → 2, else 1. */
int cli_exit_of(int rc);

/* The folder `name` ("data", "web") shipped with nrm: the one given, else beside the binary
 * (../name), else ./name, else /usr/share/nrm/name. Returns a malloc'd path or NULL. */
char *cli_resource_dir(const char *given, const char *name);
/* Loads DIR/file as a JSON object; *out is a new reference. */
int cli_load_json(const char *dir, const char *file, json_t **out, struct nrm_err *err);

/* Prints "nrm CMD: <err's message>" and returns the exit code of err's code. */
int cli_fail(const char *cmd, const struct nrm_err *err);
/* Writes data to path (NULL: standard output); EXIT_OK, or EXIT_RUNTIME with a message. */
int cli_write_out(const char *cmd, const char *path, const char *data, size_t len);

/* Loads the organisation reference data of data_dir into s (inside the caller's transaction). */
int refdata_load(struct store *s, const char *data_dir, struct nrm_err *err);
/* Adds the demo users and demo memberships, agreements and guests (inside the caller's
 * transaction). */
int demo_load(struct store *s, const char *password, struct nrm_err *err);
/* Adds the demo cases of data_dir/demo/cases.json (cli/demo_cases.c), their personal fields
 * sealed with the key at key_path (inside the caller's transaction, after the form is
 * stored). */
int demo_cases(struct store *s, const char *data_dir, const char *key_path, struct nrm_err *err);
/* Adds the demo meetings, tasks and letters of data_dir/demo/meetings.json
 * (cli/demo_meetings.c) through the meeting operations, each in its own transaction. */
int demo_meetings(struct store *s, const char *data_dir, struct nrm_err *err);
/* Demo entries of the registers of prevention and cooperation (data/demo/registers.json,
 * cli/demo_registers.c), through the register operations as the demo users named. */
int demo_registers(struct store *s, const char *data_dir, const char *key_path, struct nrm_err *err);
/* Demo reads of personal data (data/demo/cases.json "reads", cli/demo_cases.c), each its own
 * transaction, after the demo cases are committed. */
int demo_case_reads(struct store *s, const char *data_dir, const char *key_path, struct nrm_err *err);
/* Demo reports (data/demo/reports.json, cli/demo_reports.c), through the report operations. */
int demo_reports(struct store *s, const char *data_dir, const char *key_path, struct nrm_err *err);
/* Shared by the demo loaders (cli/demo_util.c): "today-N" / "today+N" as a date (false when
 * s is not written so); v with every such string replaced (a new reference); the context of
 * demo user `as` (p and c filled, c->me = p). */
bool demo_day(int32_t today, const char *s, char out[DATE_LEN]);
json_t *demo_dated(int32_t today, json_t *v);
int demo_acting(struct store *s, const char *as, int32_t today, const struct form *f, const struct labels *l,
		struct principal *p, struct nrm_ctx *c);

/* A database opened for work with cases: its form, labels and personal-data key. */
struct cli_db {
	struct store *db;
	struct form *form;
	struct labels *labels;
	struct statdef *stats;
	struct match_def *match; /* NULL: approximate matching off (a database before schema 22 not yet loaded) */
	struct crypt_keys keys;
};
/* Checks the key file of database db (path.key: owner, mode, format) as every command that
 * writes audit rows must before it starts; prints why not and returns the exit code. */
int cli_key_check(const char *cmd, const char *db);
/* Opens path with its form, labels and key (path.key), and seals the reasons an older nrm
 * stored in clear. On failure prints why and returns the exit code; *d is then empty. */
int cli_db_open(const char *cmd, const char *path, struct cli_db *d);
void cli_db_close(struct cli_db *d);

/* What `import` and `export` share: the database and the user they act as (--as; the console
 * is trusted, as for `nrm user`). db, form, keys and ctx point into d. */
struct cli_cases {
	struct cli_db d;
	struct store *db;
	struct form *form;
	struct crypt_keys *keys;
	struct principal me;
	struct nrm_ctx ctx;
};
/* Opens db with its form and key file (db.key) and loads `username`, who must exist and be
 * enabled. On failure prints why and returns the exit code. */
int cli_cases_open(const char *cmd, const char *db, const char *username, struct cli_cases *out);
void cli_cases_close(struct cli_cases *cc);
/* The import of cases (cli/import.c) from fp, named `file` in messages, as cc's user (for the
 * institution inst, or NULL: the user's own); dry: check every row and write nothing. Prints
 * what it did or why not; returns the exit code. */
int cli_import_run(struct cli_cases *cc, FILE *fp, const char *file, const char *inst, bool dry);

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_key(int argc, char **argv);
/* Brings a trail written before keyed chaining under the key k (secure_audit_upgrade) unless
 * anchors exist beside db; says what it did on stderr. 0, or the exit code of a failure. */
int cli_audit_upgrade(const char *cmd, struct store *s, const struct crypt_keys *k, const char *db);
int cmd_forms(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_registers(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_scorecard(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);

/* HTCDS 2.0 values (cli/htcds.c): the code lists stored from data/htcds/fields.json (*out a
 * new reference), and one field of a case written the HTCDS way into o, with Albania's codes
 * that have no HTCDS value of their own kept in detail (field → [codes]). */
int htcds_load(struct store *s, json_t **out, struct nrm_err *err);
void htcds_put(json_t *doc, const struct form *f, json_t *fd, const char *name, json_t *v, json_t *o, json_t *detail);

#endif
