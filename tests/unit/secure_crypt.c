/* secure/crypt: field encryption, normalisation, blind indexes. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secure/crypt.h"
#include "secure/password.h"

static struct crypt_keys keys;
static void setup(void)
{
	unsigned char master[32];
	cr_assert_eq(secure_init(), 0);
	for (size_t i = 0; i < sizeof master; i++)
		master[i] = (unsigned char)i;
	crypt_keys_from_master(master, &keys);
}
TestSuite(crypt, .init = setup);

static void norm_is(const char *in, const char *want)
{
	char *out = NULL;
	cr_assert_eq(crypt_normalise(in, &out), 0);
	cr_expect_str_eq(out, want, "normalise(%s)", in);
	free(out);
}

Test(crypt, normalisation_folds_case_and_albanian_diacritics)
{
	norm_is("Ëngjëll ÇELA", "engjell cela");
	norm_is("  engjell   cela ", "engjell cela");
	norm_is("Engjell-Çela", "engjell cela");
	norm_is("ÇÇË", "cce");
	norm_is("AB 123/45", "ab 123 45");
	norm_is("", "");
}

Test(crypt, blind_index_matches_variants_and_only_with_the_key)
{
	char a[65], b[65], c[65];
	const char *p1[] = {"Ëngjëll", "Çela", "2009-04-01"}, *p2[] = {"engjell", "CELA", "2009-04-01"},
		   *p3[] = {"engjell", "cela", "2009-04-02"};
	cr_assert_eq(crypt_blind(&keys, "name_dob", p1, 3, a), 0);
	cr_assert_eq(crypt_blind(&keys, "name_dob", p2, 3, b), 0);
	cr_assert_eq(crypt_blind(&keys, "name_dob", p3, 3, c), 0);
	cr_expect_str_eq(a, b);
	cr_expect_str_neq(a, c);
	cr_expect_eq(crypt_blind(&keys, "name", p1, 2, c), 0);
	cr_expect_str_neq(a, c, "kinds are separated");
	static struct crypt_keys other;
	unsigned char master[32] = {1};
	crypt_keys_from_master(master, &other);
	cr_assert_eq(crypt_blind(&other, "name_dob", p1, 3, c), 0);
	cr_expect_str_neq(a, c, "another key gives another hash");
	const char *d1[] = {"AB 123-45"}, *d2[] = {"ab12345"};
	cr_assert_eq(crypt_blind(&keys, "document", d1, 1, a), 0);
	cr_assert_eq(crypt_blind(&keys, "document", d2, 1, b), 0);
	cr_expect_str_eq(a, b, "document numbers ignore spaces and punctuation");
	const char *empty[] = {"---", "x"};
	cr_expect_eq(crypt_blind(&keys, "name", empty, 2, c), NRM_EINVAL);
}

Test(crypt, fields_are_bound_to_their_case_and_name)
{
	unsigned char *ct;
	size_t n;
	const char *name = "\"Blerta Lika\"";
	cr_assert_eq(crypt_seal(&keys, 7, "prs_FirstName", name, strlen(name), &ct, &n), 0);
	cr_expect_null(memmem(ct, n, "Blerta", 6), "no clear text");
	char *pt;
	size_t pn;
	cr_assert_eq(crypt_open(&keys, 7, "prs_FirstName", ct, n, &pt, &pn), 0);
	cr_expect_str_eq(pt, name);
	free(pt);
	cr_expect_eq(crypt_open(&keys, 8, "prs_FirstName", ct, n, &pt, &pn), NRM_EAUTH, "moved to another case");
	cr_expect_eq(crypt_open(&keys, 7, "prs_SecondName", ct, n, &pt, &pn), NRM_EAUTH, "moved to another field");
	ct[n - 1] ^= 1;
	cr_expect_eq(crypt_open(&keys, 7, "prs_FirstName", ct, n, &pt, &pn), NRM_EAUTH, "altered");
	free(ct);
	unsigned char *c1, *c2;
	size_t n1, n2;
	crypt_seal(&keys, 7, "f", "same", 4, &c1, &n1);
	crypt_seal(&keys, 7, "f", "same", 4, &c2, &n2);
	cr_expect_neq(memcmp(c1, c2, n1), 0, "fresh nonce every time");
	free(c1);
	free(c2);
}

Test(crypt, key_files_must_be_private_and_32_bytes)
{
	char path[] = "/tmp/nrm-key-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	unsigned char k[32] = {1};
	cr_assert_eq(write(fd, k, 32), 32);
	close(fd);
	struct crypt_keys out;
	struct nrm_err err = {0};
	chmod(path, 0600);
	cr_expect_eq(crypt_load_keys(path, &out, &err), 0);
	chmod(path, 0644);
	cr_expect_eq(crypt_load_keys(path, &out, &err), NRM_EINVAL);
	cr_expect_not_null(strstr(err.msg, "600"));
	cr_assert_eq(truncate(path, 16), 0);
	chmod(path, 0600);
	cr_expect_eq(crypt_load_keys(path, &out, &err), NRM_EINVAL);
	unlink(path);
	cr_expect_eq(crypt_load_keys("/nonexistent.key", &out, &err), NRM_ENOTFOUND);
}

Test(crypt, free_text_about_a_person_is_sealed_for_one_purpose)
{
	char *sealed = NULL, *back = NULL;
	cr_assert_eq(crypt_seal_text(&keys, "reason", "she asked for a shelter", &sealed), 0);
	cr_expect_eq(strncmp(sealed, "enc1:", 5), 0);
	cr_expect_null(strstr(sealed, "shelter"));
	cr_assert_eq(crypt_open_text(&keys, "reason", sealed, &back), 0);
	cr_expect_str_eq(back, "she asked for a shelter");
	free(back);
	back = NULL;
	cr_expect_eq(crypt_open_text(&keys, "note", sealed, &back), NRM_EAUTH, "sealed for another purpose");
	sealed[strlen(sealed) - 2] ^= 1;
	cr_expect_eq(crypt_open_text(&keys, "reason", sealed, &back), NRM_EAUTH, "altered");
	cr_expect_eq(crypt_open_text(&keys, "reason", "plain text", &back), NRM_EAUTH, "not sealed");
	free(sealed);
}
