/* `nrm serve`: the HTTP server until SIGINT or SIGTERM. */
#include "cli/cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "api/api.h"
#include "secure/password.h"
#include "store/db.h"
#include "store/user.h"
#include "case/case.h"
#include "mail/mail.h"
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

int cmd_serve(int argc, char **argv)
{
	const char *db = "nrm.db", *listen = "127.0.0.1:8080", *web = NULL, *smtp = NULL, *from = NULL;
	bool secure = false;
	const struct cli_opt opts[] = {{"db", &db, NULL},	   {"listen", &listen, NULL}, {"web", &web, NULL},
				       {"secure-cookies", NULL, &secure}, {"smtp", &smtp, NULL},      {"mail-from", &from, NULL},
				       {NULL, NULL, NULL}};
	int rc = cli_parse("serve", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	char host[128];
	int port;
	if (parse_listen(listen, host, sizeof host, &port))
		return cli_error("serve", EXIT_USAGE, "--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
	struct cli_db d;
	if ((rc = cli_db_open("serve", db, &d)))
		return rc;
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
	/* Each serving thread opens its own connection; this one was for the checks. */
	store_close(d.db);
	d.db = NULL;
	if ((smtp && strncmp(smtp, "smtp://", 7) != 0 && strncmp(smtp, "smtps://", 8) != 0) || (smtp && !from) ||
	    (from && (!strchr(from, '@') || strpbrk(from, " <>\r\n")))) {
		store_close(d.db);
		d.db = NULL;
		cli_db_close(&d);
		return cli_error("serve", EXIT_USAGE, "--smtp must be smtp://HOST:PORT (or smtps://) with --mail-from ADDRESS");
	}
	char *webdir = cli_resource_dir(web, "web");
	if (web && !webdir) {
		rc = cli_error("serve", EXIT_USAGE, "web folder %s not found", web);
		goto done;
	}

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
	struct api_config cfg = {.db_path = db, .web_dir = webdir, .secure_cookies = secure, .form = d.form,
				 .labels = d.labels, .stats = d.stats, .keys = &d.keys, .mail_from = smtp ? from : NULL};
	struct http_server *srv;
	int bound;
	if ((rc = api_start(&cfg, host, port, &srv, &bound))) {
		rc = cli_error("serve", rc == NRM_EINVAL ? EXIT_USAGE : EXIT_RUNTIME, "cannot listen on %s", listen);
		goto done;
	}
	/* Time brings notifications too: tasks past due, nomination deadlines. */
	struct nrm_ctx sweep = {.form = d.form, .keys = &d.keys, .labels = d.labels, .stats = d.stats,
				.mail_from = cfg.mail_from};
	if (work_sweeper_start(db, &sweep, 600)) {
		http_server_stop(srv);
		rc = cli_error("serve", EXIT_RUNTIME, "cannot start the sweep for due notifications");
		goto done;
	}
	char url[200];
	snprintf(url, sizeof url, strchr(host, ':') ? "listening on http://[%s]:%d" : "listening on http://%s:%d", host,
		 bound);
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
	cli_db_close(&d);
	return rc;
}
