/* The manual page man/nrm.1 against the program: every subcommand and option that `nrm --help`
 * and `nrm CMD --help` print is in the page, and the page names none that the program lacks;
 * the page renders through man(1) and groff without a warning. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PAGE "man/nrm.1"

TestSuite(manual, .timeout = 60);

/* The standard output of a shell command (malloc'd), and its exit status into *status. */
static char *command_out(const char *cmd, int *status)
{
	FILE *f = popen(cmd, "r");
	cr_assert_not_null(f, "%s", cmd);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	*status = pclose(f);
	return buf;
}

/* Every option (--name, -h) in text into the set (an object used as a set). */
static void options_of(const char *text, json_t *set)
{
	for (const char *p = text; *p; p++) {
		bool start = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '-');
		if (!start || p[0] != '-')
			continue;
		size_t n = p[1] == '-' ? 2 : 1;
		while (islower((unsigned char)p[n]) || (p[n] == '-' && islower((unsigned char)p[n + 1])))
			n++;
		if (n > 2 || (n == 2 && p[1] == 'h' && !isalnum((unsigned char)p[2]))) {
			char opt[64];
			snprintf(opt, sizeof opt, "%.*s", (int)n, p);
			json_object_set_new(set, opt, json_true());
		}
		p += n - 1;
	}
}

/* The command a usage line names ("user add", "serve"): the words of lower-case letters after
 * "nrm " up to the first argument (an option, [..], {..}, or a capitalised placeholder). */
static void command_of(const char *line, json_t *set)
{
	const char *p = strstr(line, "nrm ");
	if (!p)
		return;
	p += 4;
	char cmd[80] = "";
	size_t n = 0;
	while (*p) {
		size_t w = 0;
		while (islower((unsigned char)p[w]) || p[w] == '-')
			w++;
		if (w == 0 || p[0] == '-' || !(p[w] == ' ' || p[w] == '\0' || p[w] == '\n'))
			break;
		n += (size_t)snprintf(cmd + n, sizeof cmd - n, "%s%.*s", n ? " " : "", (int)w, p);
		p += w;
		while (*p == ' ')
			p++;
	}
	if (n)
		json_object_set_new(set, cmd, json_true());
}

/* What the program's help says: its commands (usage lines) and options. */
static void help_of(json_t *commands, json_t *options)
{
	char out[16384], err[4096];
	cr_assert_eq(nrm_run_out(out, sizeof out, err, sizeof err, "--help", NULL), 0, "%s", err);
	char *all = strdup(out);
	json_t *tops = json_object();
	for (char *save1 = NULL, *line = strtok_r(all, "\n", &save1); line; line = strtok_r(NULL, "\n", &save1))
		if (strncmp(line, "  nrm ", 6) == 0 || strncmp(line, "nrm ", 4) == 0)
			command_of(line, commands);
	free(all);
	options_of(out, options);
	const char *cmd;
	json_t *v;
	json_object_foreach(commands, cmd, v) {
		char top[40];
		snprintf(top, sizeof top, "%.*s", (int)strcspn(cmd, " "), cmd);
		json_object_set_new(tops, top, json_true());
	}
	json_object_foreach(tops, cmd, v) {
		char help[16384];
		cr_assert_eq(nrm_run_out(help, sizeof help, err, sizeof err, cmd, "--help", NULL), 0, "%s: %s", cmd, err);
		char *copy = strdup(help);
		for (char *save2 = NULL, *line = strtok_r(copy, "\n", &save2); line; line = strtok_r(NULL, "\n", &save2))
			if (strncmp(line, "nrm ", 4) == 0)
				command_of(line, commands);
		free(copy);
		options_of(help, options);
	}
	json_decref(tops);
}

/* What the page says: the commands of its sections (.SS "nrm ...") and every option it renders. */
static void page_of(json_t *commands, json_t *options)
{
	int status;
	char *text = command_out("MANWIDTH=2000 MAN_KEEP_FORMATTING=0 man -l " PAGE " 2>&1 | col -b", &status);
	cr_assert_eq(status, 0, "%s", text);
	options_of(text, options);
	free(text);
	char *src = file_read(PAGE, NULL);
	cr_assert_not_null(src);
	for (char *save3 = NULL, *line = strtok_r(src, "\n", &save3); line; line = strtok_r(NULL, "\n", &save3)) {
		if (strncmp(line, ".SS \"nrm ", 9) != 0)
			continue;
		/* \- is a hyphen in roff */
		char plain[512];
		size_t n = 0;
		for (const char *p = line + 5; *p && n + 1 < sizeof plain; p++)
			if (!(p[0] == '\\' && p[1] == '-'))
				plain[n++] = *p;
		plain[n] = '\0';
		command_of(plain, commands);
	}
	free(src);
}

static char *missing(json_t *from, json_t *in)
{
	json_t *gone = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(from, k, v)
		if (!json_object_get(in, k))
			json_array_append_new(gone, json_string(k));
	char *text = json_dumps(gone, JSON_COMPACT);
	json_decref(gone);
	return text;
}

Test(manual, the_page_names_every_subcommand_and_option_of_the_help_and_no_other)
{
	json_t *hc = json_object(), *ho = json_object(), *pc = json_object(), *po = json_object();
	help_of(hc, ho);
	page_of(pc, po);
	/* What the help says is found: the test reads what it means to. */
	cr_assert(json_object_get(hc, "user totp-reset") && json_object_get(hc, "import cases") &&
		  json_object_get(hc, "restore") && json_object_get(ho, "--no-demo-cases") &&
		  json_object_get(ho, "--client-connections"),
		  "the help read as expected");
	cr_assert_geq(json_object_size(hc), 20);
	char *a = missing(hc, pc), *b = missing(pc, hc), *c = missing(ho, po), *d = missing(po, ho);
	cr_expect_str_eq(a, "[]", "commands of the help missing from " PAGE);
	cr_expect_str_eq(b, "[]", "commands of " PAGE " the help does not know");
	cr_expect_str_eq(c, "[]", "options of the help missing from " PAGE ": %s", c);
	cr_expect_str_eq(d, "[]", "options of " PAGE " the help does not know: %s", d);
	free(a);
	free(b);
	free(c);
	free(d);
	json_decref(hc);
	json_decref(ho);
	json_decref(pc);
	json_decref(po);
}

Test(manual, the_page_renders_without_a_warning)
{
	int status;
	char *out = command_out("groff -man -ww -z " PAGE " 2>&1", &status);
	cr_expect_eq(status, 0);
	cr_expect_str_eq(out, "", "groff's warnings");
	free(out);
	out = command_out("LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l " PAGE " 2>&1 >/dev/null", &status);
	cr_expect_eq(status, 0);
	cr_expect_str_eq(out, "", "man's warnings");
	free(out);
}
