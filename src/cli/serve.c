/* `nrm serve`: the HTTP server until SIGINT or SIGTERM. */
#include "cli/cli.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "api/api.h"
#include "secure/password.h"
#include "store/db.h"
#include "store/user.h"
#include "case/case.h"
#include "mail/mail.h"
#include "secure/audit.h"
#include "work/work.h"

/* Splits "HOST:PORT" (IPv6 as "[::1]:PORT"). */
static int parse_listen(const char *s, char *host, size_t cap, int *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon)
		return -1;
	const char *h = s;
	size_t hl = (size_t)(colon - s);
	if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']')
		h++, hl -= 2;
	if (hl == 0 || hl >= cap)
		return -1;
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || p < 0 || p > 65535)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (strcmp(host, "localhost") == 0)
		snprintf(host, cap, "127.0.0.1");
	*port = (int)p;
	return 0;
}

/* A whole number from lo to hi, or -1. */
static long parse_count(const char *s, long lo, long hi)
{
	char *end;
	long v = s && *s ? strtol(s, &end, 10) : -1;
	return s && *s && !*end && v >= lo && v <= hi ? v : -1;
}

/* The limits of the options (NULL: the default); a message and EXIT_USAGE when one is wrong. */
static int parse_limits(const char *const vals[6], struct http_limits *l)
{
	static const char *const names[] = {"client-rate", "client-burst", "client-requests", "client-connections",
					    "header-timeout"};
	static const long defaults[] = {100, 500, 16, 64, 10}, his[] = {1000000, 1000000, 100000, 100000, 3600};
	long v[5];
	for (int i = 0; i < 5; i++) {
		v[i] = vals[i] ? parse_count(vals[i], i == 4 ? 1 : 0, his[i]) : defaults[i];
		if (v[i] < 0)
			return cli_error("serve", EXIT_USAGE, "--%s must be a whole number from %d to %ld", names[i],
					 i == 4 ? 1 : 0, his[i]);
	}
	if (vals[5] && !http_proxy_list_valid(vals[5]))
		return cli_error("serve", EXIT_USAGE, "--trusted-proxy must be addresses or networks (ADDR/BITS), "
				 "separated by commas");
	*l = (struct http_limits){.rate = (double)v[0], .burst = (double)v[1], .max_requests = (unsigned)v[2],
				  .max_conns = (unsigned)v[3], .header_ms = (unsigned)v[4] * 1000,
				  .trusted_proxies = vals[5]};
	return 0;
}

/* The PEM text of a TLS file, or NULL with a message. */
static char *read_pem(const char *path, const char *opt)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	if (!f) {
		cli_error("serve", EXIT_USAGE, "--%s: cannot read %s", opt, path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024)
		buf_append(&b, chunk, n);
	fclose(f);
	if (!b.len || !strstr(b.p, "-----BEGIN ")) {
		buf_free(&b);
		cli_error("serve", EXIT_USAGE, "--%s: %s is not a PEM file", opt, path);
		return NULL;
	}
	return buf_take(&b);
}

int cmd_serve(int argc, char **argv)
{
	const char *db = "nrm.db", *listen = "127.0.0.1:8080", *web = NULL, *smtp = NULL, *from = NULL;
	const char *cert = NULL, *key = NULL, *lims[6] = {NULL}, *free_mb = NULL;
	bool secure = false;
	const struct cli_opt opts[] = {{"db", &db, NULL},
				       {"listen", &listen, NULL},
				       {"web", &web, NULL},
				       {"secure-cookies", NULL, &secure},
				       {"smtp", &smtp, NULL},
				       {"mail-from", &from, NULL},
				       {"tls-cert", &cert, NULL},
				       {"tls-key", &key, NULL},
				       {"client-rate", &lims[0], NULL},
				       {"client-burst", &lims[1], NULL},
				       {"client-requests", &lims[2], NULL},
				       {"client-connections", &lims[3], NULL},
				       {"header-timeout", &lims[4], NULL},
				       {"trusted-proxy", &lims[5], NULL},
				       {"min-free-space", &free_mb, NULL},
				       {NULL, NULL, NULL}};
	int rc = cli_parse("serve", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	char host[128];
	int port;
	if (parse_listen(listen, host, sizeof host, &port))
		return cli_error("serve", EXIT_USAGE, "--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
	struct http_limits limits;
	if ((rc = parse_limits(lims, &limits)))
		return rc;
	long min_free = free_mb ? parse_count(free_mb, 0, 1L << 30) : 256;
	if (min_free < 0)
		return cli_error("serve", EXIT_USAGE, "--min-free-space must be a whole number of megabytes");
	if (!cert != !key)
		return cli_error("serve", EXIT_USAGE, "--tls-cert and --tls-key go together");
	if (cert && !http_tls_supported())
		return cli_error("serve", EXIT_USAGE, "this libmicrohttpd was built without TLS");
	/* Held shared for as long as the server runs: `nrm restore` takes it exclusively, so it
	 * never replaces the file under a server, nor a server starts while it does. Never closed
	 * before exit: closing any descriptor of the database would drop SQLite's own locks. */
	int lock = open(db, O_RDONLY | O_CLOEXEC);
	if (lock >= 0 && flock(lock, LOCK_SH | LOCK_NB) != 0) {
		close(lock);
		return cli_error("serve", EXIT_RUNTIME, "%s is being restored from a backup; start again when that is done", db);
	}
	char *cert_pem = NULL, *key_pem = NULL;
	if (cert && (!(cert_pem = read_pem(cert, "tls-cert")) || !(key_pem = read_pem(key, "tls-key")))) {
		free(cert_pem);
		if (lock >= 0)
			close(lock);
		return EXIT_USAGE;
	}
	struct cli_db d;
	if ((rc = cli_db_open("serve", db, &d))) {
		free(cert_pem);
		free(key_pem);
		if (lock >= 0)
			close(lock);
		return rc;
	}
	/* A demo database says at start that its demo users log in without a second factor. */
	int64_t exempt = 0;
	if (store_users_totp_exempt(d.db, &exempt) == 0 && exempt > 0) {
		char n[24];
		http_log("warn", "demo database: demo users log in without a second factor; any other account whose role "
				 "reads personal data must set one up",
			 "exempt_users", nrm_num(n, exempt), NULL);
	}
	if (secure_password_list_size() == 0)
		http_log("warn", "the list of known-weak passwords (data/passwords/weak.txt) was not found: new passwords "
				 "are checked for length and username only",
			 NULL);
	/* The head of the audit trail as the server finds it, signed, outside the database (then
	 * daily: work_sweeper_start). */
	char anchors[4200];
	struct nrm_err aerr = {0};
	secure_audit_anchor_dir(db, anchors, sizeof anchors);
	if (secure_audit_anchor_write(d.db, &d.keys, anchors, &aerr) != 0) {
		free(cert_pem);
		free(key_pem);
		cli_db_close(&d);
		close(lock);
		return cli_fail("serve", &aerr);
	}
	/* Each serving thread opens its own connection; this one was for the checks. */
	store_close(d.db);
	d.db = NULL;
	if ((smtp && strncmp(smtp, "smtp://", 7) != 0 && strncmp(smtp, "smtps://", 8) != 0) || (smtp && !from) ||
	    (from && (!strchr(from, '@') || strpbrk(from, " <>\r\n")))) {
		store_close(d.db);
		d.db = NULL;
		cli_db_close(&d);
		free(cert_pem);
		free(key_pem);
		return cli_error("serve", EXIT_USAGE, "--smtp must be smtp://HOST:PORT (or smtps://) with --mail-from ADDRESS");
	}
	json_t *contract = NULL;
	char *webdir = cli_resource_dir(web, "web");
	if (web && !webdir) {
		rc = cli_error("serve", EXIT_USAGE, "web folder %s not found", web);
		goto done;
	}
	/* What each route takes and answers, for the OpenAPI document (data/api/schemas.json). */
	char *datadir = cli_resource_dir(NULL, "data");
	struct nrm_err serr = {0};
	if (!datadir || cli_load_json(datadir, "api/schemas.json", &contract, &serr)) {
		free(datadir);
		rc = datadir ? cli_fail("serve", &serr) : cli_error("serve", EXIT_RUNTIME, "the data folder was not found");
		goto done;
	}
	free(datadir);

	/* Signals go to sigwait below, not to the server's threads. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* libcurl is set up once, before any thread that may send mail starts. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct mail_config mail = {.url = smtp, .from = from, .db_path = db};
	if (smtp && mail_worker_start(&mail)) {
		rc = cli_error("serve", EXIT_RUNTIME, "cannot start the mail sender");
		goto done;
	}
	/* Under TLS the session cookie is Secure whatever --secure-cookies says. */
	struct api_config cfg = {.db_path = db, .web_dir = webdir, .secure_cookies = secure || cert, .form = d.form,
				 .labels = d.labels, .stats = d.stats, .match = d.match, .keys = &d.keys,
				 .mail_from = smtp ? from : NULL, .contract = contract,
				 .limits = limits, .tls_cert = cert_pem, .tls_key = key_pem,
				 .min_free_bytes = (int64_t)min_free * 1024 * 1024};
	struct http_server *srv;
	int bound;
	if ((rc = api_start(&cfg, host, port, &srv, &bound))) {
		rc = cli_error("serve", rc == NRM_EINVAL ? EXIT_USAGE : EXIT_RUNTIME,
			       cert ? "cannot listen on %s (or the TLS certificate and key do not fit)" : "cannot listen on %s",
			       listen);
		goto done;
	}
	/* Time brings notifications too: tasks past due, nomination deadlines. */
	struct nrm_ctx sweep = {.form = d.form, .keys = &d.keys, .labels = d.labels, .stats = d.stats, .match = d.match,
				.mail_from = cfg.mail_from};
	if (work_sweeper_start(db, &sweep, 600)) {
		http_server_stop(srv);
		rc = cli_error("serve", EXIT_RUNTIME, "cannot start the sweep for due notifications");
		goto done;
	}
	char url[200];
	snprintf(url, sizeof url, strchr(host, ':') ? "listening on %s://[%s]:%d" : "listening on %s://%s:%d",
		 cert ? "https" : "http", host, bound);
	http_log("info", url, NULL);
	int sig;
	sigwait(&set, &sig);
	http_log("info", "shutting down", NULL);
	http_server_stop(srv);
	rc = EXIT_OK;
done:
	work_sweeper_stop();
	mail_worker_stop();
	free(webdir);
	json_decref(contract);
	/* The key's text is wiped before it is let go. */
	if (key_pem)
		sodium_memzero(key_pem, strlen(key_pem));
	free(key_pem);
	free(cert_pem);
	cli_db_close(&d);
	close(lock);
	return rc;
}
