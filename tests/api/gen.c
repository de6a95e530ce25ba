/* bench/gen, the generator of issue 15's measurements (bench/README.md, "Generator"): the same
 * seed gives the same cases, another seed others, and what it writes is what nrm reads — a
 * generated case's page and its personal data, decrypted, through the API. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* The generator beside the nrm under test: build/bench/gen for build/nrm. */
static const char *gen_bin(void)
{
	static char path[1024];
	char bin[900];
	snprintf(bin, sizeof bin, "%s", nrm_bin());
	snprintf(path, sizeof path, "%s/bench/gen", dirname(bin));
	return path;
}

/* Runs the generator with args (NULL-terminated) on a fixed day; its standard output into
 * out (a file). Returns its exit status. */
static int gen(const char *out, const char *arg, ...)
{
	const char *argv[16] = {gen_bin()};
	int n = 1;
	va_list ap;
	va_start(ap, arg);
	for (const char *a = arg; a && n < 15; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600), null = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(null, 2);
		setenv("NRM_NOW", "2026-06-30", 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Adds n cases of seed to the server's database and restarts it on them; the generator's
 * summary line (a new reference). */
static json_t *generate(struct server *s, const char *n, const char *seed)
{
	char out[400];
	snprintf(out, sizeof out, "%s/gen.out", s->dir);
	cr_assert_eq(gen(out, "--db", s->db, "--cases", n, "--seed", seed, NULL), 0, "gen --db failed");
	server_restart(s, NULL);
	char *text = file_read(out, NULL);
	json_t *j = json_loads(text ? text : "", 0, NULL);
	free(text);
	cr_assert_not_null(j, "gen printed no JSON line");
	return j;
}

/* Every case the Authority's secretariat sees, newest first, following the cursors. */
static json_t *all_cases(struct client *c)
{
	json_t *all = json_array();
	char after[256] = "";
	for (;;) {
		struct reply r = client_get(c, "/api/v1/cases?limit=100%s%s", *after ? "&after=" : "", after);
		cr_assert_eq(r.status, 200, "%s", r.body);
		json_array_extend(all, jpath(r.json, "items"));
		const char *next = jstr(r.json, "next");
		bool more = next && *next;
		if (more)
			snprintf(after, sizeof after, "%s", next);
		reply_free(&r);
		if (!more)
			break;
	}
	return all;
}

static json_t *personal(struct client *c, const char *code)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/cases/%s/personal", code);
	struct reply r = client_req(c, "POST", path, "{\"reason\":\"kontroll i të dhënave të gjeneruara\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *f = json_incref(jpath(r.json, "fields"));
	reply_free(&r);
	return f;
}

Test(gen, the_same_seed_gives_the_same_cases, .timeout = 300)
{
	struct server a, b;
	server_start(&a);
	server_start(&b);
	json_t *sa = generate(&a, "150", "7"), *sb = generate(&b, "150", "7");
	cr_expect_eq(jint(sa, "cases"), 150);
	cr_expect_gt(jint(sa, "events"), 150, "every case has its creation event, and some more");
	cr_expect_gt(jint(sa, "referrals"), 0);
	cr_expect_gt(jint(sa, "meetings"), 0);
	cr_expect_eq(jint(sa, "referrals"), jint(sb, "referrals"));
	cr_expect_eq(jint(sa, "merged"), jint(sb, "merged"));
	cr_expect_eq(jint(sa, "events"), jint(sb, "events"));
	struct client ca = client_as(&a, "authority.secretariat"), cb = client_as(&b, "authority.secretariat");
	json_t *la = all_cases(&ca), *lb = all_cases(&cb);
	size_t n = 150 - (size_t)jint(sa, "merged"); /* lists leave out the cases merged into another */
	cr_assert_eq(json_array_size(la), n);
	cr_assert_eq(json_array_size(lb), n);
	static const char *const same[] = {"code", "stage", "status", "identified_on", "sex", "is_child", "age_band",
					   "holder", "county", "fields"};
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(la, i), *y = json_array_get(lb, i);
		for (size_t k = 0; k < sizeof same / sizeof *same; k++)
			cr_assert(json_equal(json_object_get(x, same[k]), json_object_get(y, same[k])), "case %zu differs in %s",
				  i, same[k]);
	}
	/* The whole of some cases: their pages and their personal data. */
	for (size_t i = 0; i < n; i += 37) {
		const char *code = jstr(json_array_get(la, i), "code");
		struct reply pa = client_get(&ca, "/api/v1/cases/%s", code), pb = client_get(&cb, "/api/v1/cases/%s", code);
		cr_assert_eq(pa.status, 200);
		cr_assert_eq(pb.status, 200);
		cr_expect(json_equal(jpath(pa.json, "fields"), jpath(pb.json, "fields")), "%s: fields differ", code);
		json_t *fa = personal(&ca, code), *fb = personal(&cb, code);
		cr_expect(json_equal(fa, fb), "%s: personal fields differ", code);
		json_decref(fa);
		json_decref(fb);
		reply_free(&pa);
		reply_free(&pb);
	}
	json_decref(la);
	json_decref(lb);
	json_decref(sa);
	json_decref(sb);
	client_free(&ca);
	client_free(&cb);
	server_stop(&a);
	server_stop(&b);
}

Test(gen, another_seed_gives_other_cases_and_the_csv_is_as_deterministic)
{
	char dir[] = "/tmp/nrm-gen-test-XXXXXX", p1[64], p2[64], p3[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(p1, sizeof p1, "%s/a.csv", dir);
	snprintf(p2, sizeof p2, "%s/b.csv", dir);
	snprintf(p3, sizeof p3, "%s/c.csv", dir);
	cr_assert_eq(gen(p1, "--csv", "-", "--cases", "300", "--seed", "5", NULL), 0);
	cr_assert_eq(gen(p2, "--csv", "-", "--cases", "300", "--seed", "5", NULL), 0);
	cr_assert_eq(gen(p3, "--csv", "-", "--cases", "300", "--seed", "6", NULL), 0);
	char *a = file_read(p1, NULL), *b = file_read(p2, NULL), *c = file_read(p3, NULL);
	cr_assert(a && b && c);
	size_t rows = 0;
	for (const char *p = a; *p; p++)
		rows += *p == '\n';
	cr_expect_eq(rows, 301, "a header and 300 rows");
	cr_expect_str_eq(a, b, "the same seed wrote other rows");
	cr_expect_str_neq(a, c, "another seed wrote the same rows");
	free(a);
	free(b);
	free(c);
	unlink(p1);
	unlink(p2);
	unlink(p3);
	rmdir(dir);
}

/* The field of column `name` in row `row` (1 = the first case) of a CSV the generator wrote,
 * into out; the generator quotes only JSON cells, which these are not. */
static void csv_cell(const char *csv, int row, const char *name, char *out, size_t cap)
{
	const char *line = csv;
	int col = 0;
	const char *h = strstr(csv, name);
	cr_assert_not_null(h);
	for (const char *p = csv; p < h; p++)
		col += *p == ',';
	for (int i = 0; i < row; i++)
		line = strchr(line, '\n') + 1;
	for (int i = 0; i < col; i++)
		line = strchr(line, ',') + 1;
	size_t n = strcspn(line, ",\n");
	cr_assert_lt(n, cap);
	memcpy(out, line, n);
	out[n] = '\0';
}

Test(gen, a_generated_case_reads_back_through_the_api_decrypted, .timeout = 180)
{
	struct server s;
	server_start(&s);
	json_t *sum = generate(&s, "60", "3");
	size_t merged = (size_t)jint(sum, "merged");
	json_decref(sum);
	char csv[400];
	snprintf(csv, sizeof csv, "%s/same.csv", s.dir);
	cr_assert_eq(gen(csv, "--csv", "-", "--cases", "60", "--seed", "3", NULL), 0);
	char *text = file_read(csv, NULL), first[128], last[128], day[32];
	csv_cell(text, 1, "prs_FirstName", first, sizeof first);
	csv_cell(text, 1, "prs_SecondName", last, sizeof last);
	csv_cell(text, 1, "al_identification_date", day, sizeof day);
	free(text);
	struct client c = client_as(&s, "authority.secretariat");
	json_t *list = all_cases(&c);
	/* Lists leave out the cases merged into another. */
	cr_assert_eq(json_array_size(list), 60 - merged);
	/* The oldest case is the generator's first (which no later one was merged into). */
	const char *code = jstr(json_array_get(list, 59 - merged), "code");
	struct reply r = client_get(&c, "/api/v1/cases/%s", code);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "identified_on"), day);
	cr_expect_null(strstr(r.body, last), "the case page shows a personal field");
	cr_expect_gt(json_array_size(jpath(r.json, "personal_fields")), 2);
	reply_free(&r);
	json_t *f = personal(&c, code);
	cr_expect_str_eq(jstr(f, "prs_FirstName"), first);
	cr_expect_str_eq(jstr(f, "prs_SecondName"), last);
	json_decref(f);
	/* Its history: the creation event at least. */
	r = client_get(&c, "/api/v1/cases/%s/events", code);
	cr_expect_eq(r.status, 200);
	cr_expect_geq(json_array_size(jpath(r.json, "items")), 1, "%s", r.body);
	reply_free(&r);
	json_decref(list);
	client_free(&c);
	server_stop(&s);
}
