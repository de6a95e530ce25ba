/* secure/: password hashing, tokens, and the hash-chained audit trail. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secure/audit.h"
#include "secure/password.h"
#include "secure/totp.h"
#include "secure/token.h"
#include "store/db.h"

static char dir[64], path[128];
static void setup(void)
{
	cr_assert_eq(secure_init(), 0);
	snprintf(dir, sizeof dir, "/tmp/nrm-unit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	/* The chain is keyed by the key file beside the database. */
	char key[160];
	snprintf(key, sizeof key, "%s.key", path);
	FILE *f = fopen(key, "w");
	cr_assert_not_null(f);
	for (int i = 0; i < 32; i++)
		fputc(i * 7, f);
	fclose(f);
	chmod(key, 0600);
}
static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
TestSuite(secure, .init = setup, .fini = teardown, .timeout = 60);

Test(secure, passwords_hash_with_argon2id_and_verify)
{
	char h[PASSWORD_HASH_LEN];
	cr_assert_eq(secure_password_hash("correct horse", h), 0);
	cr_expect_eq(strncmp(h, "$argon2id$", 10), 0);
	cr_expect_eq(secure_password_verify(h, "correct horse"), 0);
	cr_expect_eq(secure_password_verify(h, "correct horsE"), NRM_EAUTH);
	struct nrm_err err = {0};
	cr_expect_eq(secure_password_acceptable("short", NULL, "password", &err), NRM_EINVAL);
	cr_expect_str_eq(err.field, "password");
	cr_expect_str_eq(nrm_key_name(err.key), "password_short");
	cr_expect_eq(secure_password_acceptable("long enough pw", NULL, "password", NULL), 0);
}

/* Each of a few concurrent callers hashes its own password and checks it, right and wrong. */
struct hasher {
	char pw[32];
	int made, right, wrong;
};

static void *hash_one(void *arg)
{
	struct hasher *h = arg;
	char hash[PASSWORD_HASH_LEN];
	h->made = secure_password_hash(h->pw, hash);
	h->right = secure_password_verify(hash, h->pw);
	h->wrong = secure_password_verify(hash, "not the password");
	return NULL;
}

/* The nice values of this process's threads other than the caller's, from /proc. */
static int niced_threads(int nice)
{
	DIR *d = opendir("/proc/self/task");
	cr_assert_not_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		char stat[300], line[1024];
		snprintf(stat, sizeof stat, "/proc/self/task/%s/stat", e->d_name);
		FILE *f = fopen(stat, "r");
		if (!f)
			continue;
		char *p = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
		fclose(f);
		/* After "pid (comm)": state is field 3, nice field 19. */
		int field = 2;
		for (char *t = p ? strtok(p + 1, " ") : NULL; t; t = strtok(NULL, " "))
			if (++field == 19 && atoi(t) == nice)
				n++;
	}
	closedir(d);
	return n;
}

Test(secure, hashes_run_on_threads_of_their_own_at_a_lower_priority_for_concurrent_callers)
{
	struct hasher hs[3];
	pthread_t ts[3];
	int base = getpriority(PRIO_PROCESS, 0);
	for (int i = 0; i < 3; i++) {
		hs[i] = (struct hasher){.made = -1, .right = -1, .wrong = -1};
		snprintf(hs[i].pw, sizeof hs[i].pw, "password number %d", i);
		cr_assert_eq(pthread_create(&ts[i], NULL, hash_one, &hs[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(ts[i], NULL);
		cr_expect_eq(hs[i].made, 0, "caller %d", i);
		cr_expect_eq(hs[i].right, 0, "caller %d", i);
		cr_expect_eq(hs[i].wrong, NRM_EAUTH, "caller %d", i);
	}
	/* The hashing threads, one per core but one (at least one, at most 4: one at a time on 2
	 * cores, so that two hashes' 64 MiB never add up), run 10 nice steps below the process (at
	 * most 19); the caller keeps its own priority. (At nice 19 already, nothing tells them apart.) */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (base < 19) {
		cr_expect_eq(niced_threads(base + 10 > 19 ? 19 : base + 10), cores <= 2 ? 1 : cores - 1 > 4 ? 4 : (int)cores - 1);
		cr_expect_eq(getpriority(PRIO_PROCESS, 0), base);
	}
}

Test(secure, only_the_published_demo_password_is_hashed_at_the_minimum_cost)
{
	char cheap[PASSWORD_HASH_LEN], chosen[PASSWORD_HASH_LEN], full[PASSWORD_HASH_LEN];
	cr_assert_eq(secure_password_hash_demo("demo", cheap), 0);
	cr_assert_eq(secure_password_hash_demo("a chosen demo pw", chosen), 0);
	cr_assert_eq(secure_password_hash("demo", full), 0);
	cr_expect_neq(strstr(cheap, "$m=8,t=1,"), NULL, "%s", cheap);
	cr_expect_neq(strstr(chosen, "$m=65536,t=6,"), NULL, "%s", chosen);
	cr_expect_neq(strstr(full, "$m=65536,t=6,"), NULL, "%s", full);
	cr_expect_eq(secure_password_verify(cheap, "demo"), 0);
	cr_expect_eq(secure_password_verify(cheap, "demO"), NRM_EAUTH);
	cr_expect_eq(secure_password_verify(chosen, "a chosen demo pw"), 0);
}

Test(secure, a_new_password_is_long_not_common_and_not_the_username)
{
	size_t n = 0;
	struct nrm_err err = {0};
	cr_assert_eq(secure_password_list_load("data/passwords/weak.txt", &n, &err), 0, "%s", err.msg);
	cr_expect_gt(n, 3000u, "the list of John the Ripper and the curated Albanian words");
	static const struct {
		const char *pw, *key;
	} cases[] = {
		{"elevenchars", "password_short"},
		{"Password2024!!", "password_weak"},
		{"123qwertyuiop", "password_weak"},
		{"Fjalekalimi2025", "password_weak"},
		{"aaaaaaaaaaaaaaaa", "password_weak"},
		{"0123456789012", "password_weak"},
		{"xFIER.Caseworker9", "password_has_username"},
		{"a-correct-horse-battery", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		memset(&err, 0, sizeof err);
		int rc = secure_password_acceptable(cases[i].pw, "fier.caseworker", "new", &err);
		if (!cases[i].key) {
			cr_expect_eq(rc, 0, "%s: %s", cases[i].pw, err.msg);
			continue;
		}
		cr_expect_eq(rc, NRM_EINVAL, "%s", cases[i].pw);
		cr_expect_str_eq(nrm_key_name(err.key), cases[i].key, "%s", cases[i].pw);
		cr_expect_str_eq(err.field, "new");
	}
}

Test(secure, totp_codes_follow_rfc_6238_and_name_their_time_step)
{
	/* RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" gives 94287082 at T = 59 s
	 * (6 digits: 287082) and 07081804 at 1111111109 s. */
	static const char b32[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
	int64_t step = 0;
	cr_assert_eq(secure_totp_init(), 0);
	cr_expect_eq(secure_totp_check(b32, 59, "287082", &step), 0);
	cr_expect_eq(step, 1);
	cr_expect_eq(secure_totp_check(b32, 1111111109, "081804", &step), 0);
	cr_expect_eq(step, 37037036);
	cr_expect_eq(secure_totp_check(b32, 1111111109 + 90, "081804", &step), NRM_EAUTH, "two steps later: too late");
	cr_expect_eq(secure_totp_check(b32, 59, "28708", &step), NRM_EAUTH);
	cr_expect_eq(secure_totp_check(b32, 59, "28708a", &step), NRM_EAUTH);
	char code[TOTP_DIGITS + 1], secret[TOTP_SECRET_B32], r[RECOVERY_CODE_LEN];
	cr_assert_eq(secure_totp_secret(secret), 0);
	cr_expect_eq(strlen(secret), 32u);
	cr_assert_eq(secure_totp_code(secret, 1000000, code), 0);
	cr_expect_eq(secure_totp_check(secret, 1000000, code, &step), 0);
	secure_recovery_code(r);
	cr_expect_eq(strlen(r), 11u);
	cr_expect_eq(r[5], '-');
}

Test(secure, tokens_are_random_and_stored_hashed)
{
	char a[TOKEN_LEN], b[TOKEN_LEN], ha[TOKEN_HASH_LEN];
	secure_token(a);
	secure_token(b);
	cr_expect_eq(strlen(a), 43u);
	cr_expect_str_neq(a, b);
	secure_token_hash(a, ha);
	cr_expect_eq(strlen(ha), 64u);
	cr_expect_null(strstr(ha, a));
	cr_expect(secure_streq(a, a));
	cr_expect(!secure_streq(a, b));
	cr_expect(!secure_streq("abc", "abcd"));
}

Test(secure, the_audit_chain_detects_altered_and_removed_rows)
{
	struct store *s;
	cr_assert_eq(store_create(path, &s, NULL), 0);
	struct principal p = {.id = 7, .username = "fier.secretariat", .role = ROLE_COUNTY_SECRETARIAT};
	json_t *after = json_pack("{s:s}", "name", "Blerta");
	cr_assert_eq(store_begin(s), 0);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(secure_audit_id(s, &p, "create", "nomination", i + 1, NULL, after, NULL), 0);
	cr_assert_eq(store_commit(s), 0);
	json_decref(after);
	int64_t rows = 0, bad = 0;
	cr_expect_eq(secure_audit_verify(s, &rows, &bad), 0);
	cr_expect_eq(rows, 5);
	store_exec(s, "UPDATE audit SET after_json = '{\"name\":\"Mallory\"}' WHERE id = 3", "");
	cr_expect_eq(secure_audit_verify(s, &rows, &bad), NRM_ECONFLICT);
	cr_expect_eq(bad, 3);
	store_close(s);
}

Test(secure, removing_a_row_breaks_the_chain)
{
	struct store *s;
	cr_assert_eq(store_create(path, &s, NULL), 0);
	cr_assert_eq(store_begin(s), 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(secure_audit(s, NULL, "init", "database", NULL, NULL, NULL, NULL), 0);
	cr_assert_eq(store_commit(s), 0);
	store_exec(s, "DELETE FROM audit WHERE id = 2", "");
	int64_t rows = 0, bad = 0;
	cr_expect_eq(secure_audit_verify(s, &rows, &bad), NRM_ECONFLICT);
	cr_expect_eq(bad, 3);
	store_close(s);
}

Test(secure, null_and_empty_values_are_told_apart_by_the_chain)
{
	struct store *s;
	cr_assert_eq(store_create(path, &s, NULL), 0);
	cr_assert_eq(store_begin(s), 0);
	cr_assert_eq(secure_audit(s, NULL, "init", "database", NULL, NULL, NULL, ""), 0);
	cr_assert_eq(secure_audit(s, NULL, "init", "database", NULL, NULL, NULL, NULL), 0);
	cr_assert_eq(secure_audit(s, NULL, "init", "database", "", NULL, NULL, "x"), 0);
	cr_assert_eq(store_commit(s), 0);
	int64_t rows = 0, bad = 0;
	cr_expect_eq(secure_audit_verify(s, &rows, &bad), 0);
	store_exec(s, "UPDATE audit SET reason = NULL WHERE id = 1", "");
	cr_expect_eq(secure_audit_verify(s, &rows, &bad), NRM_ECONFLICT, "'' became NULL");
	cr_expect_eq(bad, 1);
	store_exec(s, "UPDATE audit SET reason = '' WHERE id = 1", "");
	store_exec(s, "UPDATE audit SET entity_id = NULL WHERE id = 3", "");
	cr_expect_eq(secure_audit_verify(s, &rows, &bad), NRM_ECONFLICT, "'' became NULL in another column");
	cr_expect_eq(bad, 3);
	store_exec(s, "UPDATE audit SET entity_id = '' WHERE id = 3", "");
	store_exec(s, "UPDATE audit SET reason = X'' WHERE id = 2", "");
	cr_expect_eq(secure_audit_verify(s, &rows, &bad), NRM_ECONFLICT, "a blob is not a NULL");
	cr_expect_eq(bad, 2);
	store_exec(s, "UPDATE audit SET reason = NULL WHERE id = 2", "");
	cr_expect_eq(secure_audit_verify(s, &rows, &bad), 0, "put back, the chain holds again");
	store_close(s);
}
