/* secure/crypt: field encryption, normalisation, blind indexes. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <sodium.h>
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

/* A key file of mode 0600 holding text. */
static void key_file(const char *path, const void *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(bytes, 1, n, f), n);
	fclose(f);
	chmod(path, 0600);
}

Test(crypt, a_keyring_keeps_every_version_opening_what_it_sealed_and_verifying_what_it_signed)
{
	char dir[] = "/tmp/nrm-ring-XXXXXX", path[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/k", dir);
	unsigned char master[32];
	randombytes_buf(master, sizeof master);
	key_file(path, master, sizeof master);
	static struct crypt_keys a, b;
	struct nrm_err err = {0};
	cr_assert_eq(crypt_load_keys(path, &a, &err), 0, "a key file of 32 raw bytes is version 1");
	cr_assert_eq(crypt_load_keys(path, &b, &err), 0, "another process's view of the same file");
	cr_expect_eq(crypt_key_version(&a), 1u);

	/* What an nrm before keyrings sealed (no header: nonce, ciphertext, tag) still opens. */
	unsigned char legacy[24 + 5 + 16], nonce[24];
	unsigned long long clen;
	randombytes_buf(nonce, sizeof nonce);
	memcpy(legacy, nonce, sizeof nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt(legacy + 24, &clen, (const unsigned char *)"\"Ana\"", 5,
						   (const unsigned char *)"case:7:f", 8, NULL, nonce, a.v[0].enc);
	char *pt = NULL;
	size_t n = 0;
	cr_assert_eq(crypt_open(&a, 7, "f", legacy, sizeof legacy, &pt, &n), 0);
	cr_expect_str_eq(pt, "\"Ana\"");
	free(pt);
	cr_expect_eq(crypt_sealed_version(&a, 7, "f", legacy, sizeof legacy), 1u);

	unsigned char *one = NULL, *two = NULL;
	size_t n1, n2;
	char *sig1 = NULL, pub1[64], pub[64], *text1 = NULL;
	cr_assert_eq(crypt_seal(&a, 7, "f", "Ana", 3, &one, &n1), 0);
	cr_assert_eq(crypt_sign(&a, "report 1", &sig1), 0);
	crypt_sign_public(&a, pub1);
	cr_assert_eq(crypt_seal_text(&a, "reason:X", "she asked", &text1), 0);

	cr_assert_eq(crypt_keys_rotate_begin(&a, &err), 0, "%s", err.msg);
	cr_expect_eq(crypt_key_version(&a), 2u);
	cr_expect_eq(crypt_keys_rotating(&a), 1, "version 1 stays live until the rotation ends");
	cr_assert_eq(crypt_keys_rotate_begin(&a, &err), 0);
	cr_expect_eq(crypt_key_version(&a), 2u, "begun again, it resumes rather than makes a third");
	FILE *f = fopen(path, "r");
	char line[200];
	cr_assert_not_null(fgets(line, sizeof line, f));
	cr_expect_str_eq(line, "nrm keyring\n");
	fclose(f);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600u, "written back owner-only");

	cr_assert_eq(crypt_seal(&a, 7, "f", "Ana", 3, &two, &n2), 0);
	cr_expect_eq(crypt_sealed_version(&a, 7, "f", one, n1), 1u);
	cr_expect_eq(crypt_sealed_version(&a, 7, "f", two, n2), 2u);
	cr_expect_eq(crypt_text_version(&a, "reason:X", text1), 1u);
	cr_assert_eq(crypt_open(&a, 7, "f", one, n1, &pt, &n), 0, "the old version still opens what it sealed");
	free(pt);
	/* The other process has not read the new keyring yet: opening a version-2 value makes it. */
	cr_assert_eq(crypt_open(&b, 7, "f", two, n2, &pt, &n), 0);
	cr_expect_str_eq(pt, "Ana");
	free(pt);
	cr_expect_eq(crypt_key_version(&b), 2u, "and it seals under the new version from then on");

	char h[CRYPT_LIVE_MAX][65];
	uint32_t vers[CRYPT_LIVE_MAX];
	size_t count = 0;
	const char *name[] = {"Ana", "Lika"};
	cr_assert_eq(crypt_blind_live(&a, "name", name, 2, h, vers, &count), 0);
	cr_expect_eq(count, 2u, "during a rotation a person is indexed under both versions");
	cr_expect_str_neq(h[0], h[1]);

	cr_assert_eq(crypt_keys_retire(&a, &err), 0);
	cr_expect_eq(crypt_keys_rotating(&a), 0);
	cr_assert_eq(crypt_blind_live(&a, "name", name, 2, h, vers, &count), 0);
	cr_expect_eq(count, 1u, "after it, under the current one only");
	cr_expect_eq(crypt_verify_any(&a, "report 1", sig1, pub), 0, "a signature of the retired version verifies");
	cr_expect_str_eq(pub, pub1);
	cr_expect(crypt_public_known(&a, pub1));
	cr_expect(!crypt_public_known(&a, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	cr_expect_neq(crypt_verify_any(&a, "report 2", sig1, NULL), 0);
	static struct crypt_keys c;
	cr_assert_eq(crypt_load_keys(path, &c, &err), 0, "the keyring reads back");
	cr_expect_eq(crypt_key_version(&c), 2u);
	cr_expect_eq(crypt_keys_rotating(&c), 0, "version 1 is marked retired in the file");
	cr_assert_eq(crypt_open(&c, 7, "f", one, n1, &pt, &n), 0, "and kept to open what it sealed (older backups)");
	free(pt);

	key_file(path, "nrm keyring\n1 zz\n", 17);
	cr_expect_eq(crypt_load_keys(path, &c, &err), NRM_EINVAL, "a malformed keyring is refused");
	cr_expect_str_eq(nrm_key_name(err.key), "key_size");
	free(one);
	free(two);
	free(sig1);
	free(text1);
	crypt_keys_wipe(&a);
	crypt_keys_wipe(&b);
	crypt_keys_wipe(&c);
	char cmd[100];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
