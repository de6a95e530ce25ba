/* Black-box API tests: a real `nrm serve` on an ephemeral loopback port with a temporary
 * database, spoken to over real HTTP with libcurl. */
#ifndef NRM_TEST_HARNESS_H
#define NRM_TEST_HARNESS_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

struct server {
	pid_t pid;
	int port;
	char dir[256];
	char db[300];
	char log[300];
	char smtp[64]; /* "smtp://127.0.0.1:PORT": the next (re)start sends mail there */
	const char *args[24]; /* more options of `nrm serve` (NULL-terminated); see server_start_with */
};

/* Copies the demo template database (NRM_TEST_TEMPLATE, made by tests/run.sh; or a fresh
 * `nrm init --demo`) into a temporary folder and starts the server on it, its request rate per
 * client raised far above what a person sends (the limits as shipped: server_start_with). Aborts
 * the test on failure. */
void server_start(struct server *s);
/* The same, `nrm serve` given the options args (NULL-terminated, at most 23; the strings must
 * outlive the server). */
void server_start_with(struct server *s, const char *const *args);
/* Stops the server and starts it again on the same database, its clock set to `now`
 * ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", through NRM_NOW; NULL: the real time). Clients
 * must log in again (client_init takes the new port). */
void server_restart(struct server *s, const char *now);
/* Stops the server (SIGTERM), asserts it exited cleanly, removes the folder. */
void server_stop(struct server *s);
/* The nrm binary under test (NRM_BIN or build/nrm). */
const char *nrm_bin(void);
/* Runs `nrm ARGS...` (NULL-terminated), stdin from `input` (may be NULL); returns the exit
 * status, stderr text into err (may be NULL). */
int nrm_run(const char *input, char *err, size_t errcap, const char *arg, ...);
/* The same with standard output kept in out (outcap bytes with the NUL) and no input. */
int nrm_run_out(char *out, size_t outcap, char *err, size_t errcap, const char *arg, ...);

struct client {
	void *curl;
	int port;
	char csrf[128];
	char jar[320];
};

struct reply {
	long status;
	json_t *json;   /* parsed body, or NULL */
	char *body;     /* raw body, NUL-terminated */
	size_t len;
	char *headers;  /* raw response headers */
};

void client_init(struct client *c, const struct server *s);
void client_free(struct client *c);
/* Logs in; asserts 200 and keeps the CSRF token. An account that must set up a second factor
 * first (a role that reads personal data, not a demo user) sets one up (client_enrol): for the
 * tests of other things; tests/api/accounts.c tests the second factor itself. */
void client_login(struct client *c, const char *user, const char *password);
/* Sets up a second factor for the logged-in client, the code computed as an app does; the
 * secret (base32) into secret[64] when not NULL. */
void client_enrol(struct client *c, char *secret);
/* A client of s logged in as demo user `user` (password "demo"). */
struct client client_as(const struct server *s, const char *user);
/* A request that must answer `status` (the test stops otherwise); the reply. */
struct reply client_must(struct client *c, const char *method, const char *path, const char *json, long status);
/* A request that must be refused with status, error key and field (NULL: any field). */
void client_refused(struct client *c, const char *method, const char *path, const char *json, long status,
		    const char *key, const char *field);
/* Sends a request; body is a JSON text (or NULL). CSRF header is added when known. */
struct reply client_req(struct client *c, const char *method, const char *path, const char *body);
/* Same, with raw bytes, a content type and extra header lines (NULL-terminated array). */
struct reply client_raw(struct client *c, const char *method, const char *path, const void *body, size_t len,
			const char *const *headers);
/* Same as client_req without asserting anything, for threads and for a server that may be
 * killed meanwhile: status 0 (and no body) when no answer came. */
struct reply client_try(struct client *c, const char *method, const char *path, const char *body);
/* The session of `from` (its cookie and CSRF token) in `to` too: one login (an Argon2id
 * hash, slow on purpose) for several connections. */
void client_share(struct client *to, const struct client *from);
/* printf-style path. */
struct reply client_get(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_free(struct reply *r);
/* Writes a reply's body to path (a file the test reads back); fails the test when it cannot. */
void reply_save(const struct reply *r, const char *path);

/* Looks up a value by a dotted path ("error.field", "items.0.slug"). */
json_t *jpath(json_t *j, const char *path);
const char *jstr(json_t *j, const char *path);
long long jint(json_t *j, const char *path);

/* Runs SQL against the test database with the sqlite3 library; returns the first column of
 * the first row as an integer (or -1). */
long long db_int(const struct server *s, const char *sql);
/* The same for text: the first column of the first row, malloc'd ("" for NULL); NULL when the
 * query fails or has no row. */
char *db_string(const struct server *s, const char *sql);

/* A local SMTP sink (tests/tools/smtp_sink.py, python3-aiosmtpd) writing what it receives
 * into its folder. */
struct smtp_sink {
	pid_t pid;
	int port;
	char dir[256];
};
void smtp_sink_start(struct smtp_sink *k);
/* Waits (up to 30 s) until at least n messages arrived; returns how many did. */
int smtp_sink_wait(struct smtp_sink *k, int n);
/* Message i (1-based) as the sink's e-mail parser read it (a new reference), or NULL. */
json_t *smtp_sink_message(struct smtp_sink *k, int i);
void smtp_sink_stop(struct smtp_sink *k);

/* The whole of a file, malloc'd and NUL-terminated (its length in *len unless len is NULL);
 * NULL when it cannot be read. */
char *file_read(const char *path, size_t *len);
/* Writes text to path, replacing it; fails the test when it cannot. */
void file_write(const char *path, const char *text);



/* The id of the body of `kind` in county (NULL: national), and of its first seat whose
 * status is `status` ("overdue", "filled", "vacant"); -1 when none. */
long long body_id(struct client *c, const char *kind, const char *county);
long long seat_with(struct client *c, const char *kind, const char *county, const char *status);
#endif
