/* Argon2id password hashing. */
#include "secure/password.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each hash takes 64 MiB for 0.2 s: at most this many at once, so a flood of logins cannot
 * exhaust the server's memory; the rest are told to try again (503). */
#define MAX_HASHING 4
static atomic_int hashing;

static int enter(void)
{
	if (atomic_fetch_add(&hashing, 1) >= MAX_HASHING) {
		atomic_fetch_sub(&hashing, 1);
		return NRM_EBUSY;
	}
	return 0;
}

static void leave(void)
{
	atomic_fetch_sub(&hashing, 1);
}

int secure_init(void)
{
	return sodium_init() < 0 ? NRM_EIO : 0;
}

int secure_password_hash(const char *pw, char out[PASSWORD_HASH_LEN])
{
	/* 6 passes over 64 MiB: about 0.2 s on an office PC, far too slow to guess at. */
	if (enter())
		return NRM_EBUSY;
	int rc = crypto_pwhash_str(out, pw, strlen(pw), 6, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 ? NRM_ENOMEM : 0;
	leave();
	return rc;
}

int secure_password_hash_demo(const char *pw, char out[PASSWORD_HASH_LEN])
{
	if (strcmp(pw, SECURE_DEMO_PASSWORD) != 0)
		return secure_password_hash(pw, out);
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != 0
		       ? NRM_ENOMEM
		       : 0;
}

int secure_password_verify(const char *hash, const char *pw)
{
	if (enter())
		return NRM_EBUSY;
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? 0 : NRM_EAUTH;
	leave();
	return rc;
}

/* The known-weak passwords, sorted, for bsearch; loaded once before serving. */
static char **weak;
static size_t nweak;

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void weak_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int secure_password_list_load(const char *path, size_t *n, struct nrm_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return nrm_fail_file(err, NRM_EIO, path, "cannot be read");
	char line[512], **list = NULL;
	size_t count = 0, cap = 0;
	int rc = 0;
	while (!rc && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 4096;
			char **grown = realloc(list, cap * sizeof *list);
			if (!grown) {
				rc = NRM_ENOMEM;
				break;
			}
			list = grown;
		}
		if (!(list[count] = strdup(line)))
			rc = NRM_ENOMEM;
		else
			count++;
	}
	fclose(f);
	if (rc) {
		weak_free(list, count);
		return nrm_fail(err, rc, nrm_key_of_code(rc), NULL, NULL);
	}
	qsort(list, count, sizeof *list, cmp);
	weak_free(weak, nweak);
	weak = list;
	nweak = count;
	*n = count;
	return 0;
}

size_t secure_password_list_size(void)
{
	return nweak;
}

static bool listed(const char *s)
{
	return nweak && bsearch(&s, weak, nweak, sizeof *weak, cmp) != NULL;
}

static bool edge(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch > ' ' && ch < '0') || (ch > '9' && ch < 'A') || (ch > 'Z' && ch < 'a') ||
	       (ch > 'z' && ch <= '~') || ch == ' ';
}

/* Lower-cases pw (ASCII letters) into out, then whether it, or it without the digits and
 * symbols around it ("Password2024!" → "password"), is on the list. */
static bool is_weak(const char *pw)
{
	char low[PASSWORD_MAX_LEN + 1];
	size_t n = strlen(pw), k;
	for (k = 0; k < n; k++)
		low[k] = pw[k] >= 'A' && pw[k] <= 'Z' ? (char)(pw[k] - 'A' + 'a') : pw[k];
	low[n] = '\0';
	bool same = true;
	for (k = 1; k < n; k++)
		same = same && low[k] == low[0];
	if (same || listed(low))
		return true;
	char *b = low, *e = low + n;
	while (b < e && edge(*b))
		b++;
	while (e > b && edge(e[-1]))
		e--;
	*e = '\0';
	return b == e || listed(b);
}

/* Whether pw contains name, ignoring the case of ASCII letters. */
static bool contains(const char *pw, const char *name)
{
	size_t m = strlen(name);
	if (m < 3)
		return false;
	for (const char *p = pw; *p; p++) {
		size_t k = 0;
		while (k < m && p[k]) {
			char a = p[k], b = name[k];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			if (a != b)
				break;
			k++;
		}
		if (k == m)
			return true;
	}
	return false;
}

int secure_password_acceptable(const char *pw, const char *username, const char *field, struct nrm_err *err)
{
	size_t n = strlen(pw);
	char b[24];
	if (n < PASSWORD_MIN_LEN)
		return nrm_fail(err, NRM_EINVAL, KEY_password_short, field, "min", nrm_num(b, PASSWORD_MIN_LEN), NULL);
	if (n > PASSWORD_MAX_LEN)
		return nrm_fail(err, NRM_EINVAL, KEY_password_long, field, "max", nrm_num(b, PASSWORD_MAX_LEN), NULL);
	if (username && contains(pw, username))
		return nrm_fail(err, NRM_EINVAL, KEY_password_has_username, field, NULL);
	if (is_weak(pw))
		return nrm_fail(err, NRM_EINVAL, KEY_password_weak, field, NULL);
	return 0;
}
