/* Encrypted, signed backup files (format in secure/backup.h). */
#include "secure/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"

#define MAGIC "NRMBACKUP1\n"
#define MAGIC_LEN (sizeof MAGIC - 1)
#define HEADER_MAX 65536
#define CHUNK (1024 * 1024)
#define SSHEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SSTAG crypto_secretstream_xchacha20poly1305_ABYTES
#define SIGLEN 86 /* base64 (URL-safe, unpadded) of a 64-byte Ed25519 signature */
#define HASHLEN 64

/* Writes all n bytes, adding them to the running hash of what the signature covers. */
static int emit(int fd, crypto_generichash_state *h, const void *p, size_t n)
{
	if (h)
		crypto_generichash_update(h, p, n);
	const unsigned char *b = p;
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads exactly n bytes (fewer only at the end of the file); the number read. */
static size_t take(int fd, void *p, size_t n)
{
	unsigned char *b = p;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/* The text the signature is made over: the domain and the hash of the signed bytes. */
static void signed_text(crypto_generichash_state *h, char out[16 + 2 * HASHLEN + 1])
{
	unsigned char d[HASHLEN];
	char hex[2 * HASHLEN + 1];
	crypto_generichash_final(h, d, sizeof d);
	sodium_bin2hex(hex, sizeof hex, d, sizeof d);
	snprintf(out, 16 + 2 * HASHLEN + 1, "nrm-backup-1:%s", hex);
}

static long long parts_of(long long bytes, long long chunk)
{
	return (bytes + chunk - 1) / chunk;
}

int secure_backup_seal(const struct crypt_keys *k, const char *clear, const json_t *meta, const char *out,
		       struct nrm_err *err)
{
	int rc = 0, in = -1, fd = -1, made = 0;
	unsigned char key[32];
	char pub[64], part[4200] = "", text[16 + 2 * HASHLEN + 1];
	char *htxt = NULL, *sig = NULL;
	unsigned char *pt = NULL, *ct = NULL;
	json_t *h = NULL;
	struct stat st;
	uint32_t version = crypt_key_version(k);
	if (crypt_backup_key(k, version, key, pub))
		return nrm_fail(err, NRM_EINVAL, KEY_internal, NULL, NULL);
	if (snprintf(part, sizeof part, "%s.part", out) >= (int)sizeof part) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_cannot_write, "out", "path", out, NULL);
		goto done;
	}
	in = open(clear, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) != 0 || st.st_size <= 0) {
		rc = nrm_fail(err, NRM_EIO, KEY_db_open, "db", "path", clear, "detail", "empty or unreadable copy", NULL);
		goto done;
	}
	long long bytes = (long long)st.st_size, n = parts_of(bytes, CHUNK);
	char stamp[21];
	clock_stamp(stamp);
	h = meta ? json_deep_copy(meta) : json_object();
	if (!h || json_object_set_new(h, "format", json_integer(1)) || json_object_set_new(h, "created", json_string(stamp)) ||
	    json_object_set_new(h, "key_version", json_integer((json_int_t)version)) ||
	    json_object_set_new(h, "signer", json_string(pub)) || json_object_set_new(h, "bytes", json_integer(bytes)) ||
	    json_object_set_new(h, "chunk", json_integer(CHUNK)) ||
	    !(htxt = json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS)) || strlen(htxt) >= HEADER_MAX) {
		rc = nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
		goto done;
	}
	pt = malloc(CHUNK);
	ct = malloc(CHUNK + SSTAG);
	if (!pt || !ct) {
		rc = nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
		goto done;
	}
	fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = errno == EEXIST ? nrm_fail(err, NRM_EEXIST, KEY_file_exists, "out", "path", part, NULL)
				     : nrm_fail(err, NRM_EIO, KEY_cannot_write, "out", "path", part, NULL);
		goto done;
	}
	made = 1;
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, HASHLEN);
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char ssh[SSHEADER];
	crypto_secretstream_xchacha20poly1305_init_push(&ss, ssh, key);
	int bad = emit(fd, &hs, MAGIC, MAGIC_LEN) || emit(fd, &hs, htxt, strlen(htxt)) || emit(fd, &hs, "\n", 1) ||
		  emit(fd, &hs, ssh, sizeof ssh);
	for (long long i = 0; i < n && !bad; i++) {
		size_t want = i == n - 1 ? (size_t)(bytes - i * CHUNK) : CHUNK;
		if (take(in, pt, want) != want) {
			bad = 1;
			break;
		}
		unsigned long long clen = 0;
		crypto_secretstream_xchacha20poly1305_push(
			&ss, ct, &clen, pt, want, i == 0 ? (const unsigned char *)htxt : NULL, i == 0 ? strlen(htxt) : 0,
			i == n - 1 ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
		bad = emit(fd, &hs, ct, (size_t)clen);
	}
	signed_text(&hs, text);
	if (!bad && (crypt_sign(k, text, &sig) || strlen(sig) != SIGLEN || emit(fd, NULL, sig, SIGLEN)))
		bad = 1;
	if (bad || fsync(fd) != 0) {
		rc = nrm_fail(err, NRM_EIO, KEY_cannot_write, "out", "path", part, NULL);
		goto done;
	}
	close(fd);
	fd = -1;
	/* link() refuses an existing name, where rename() would replace it. */
	if (link(part, out) != 0) {
		rc = errno == EEXIST ? nrm_fail(err, NRM_EEXIST, KEY_file_exists, "out", "path", out, NULL)
				     : nrm_fail(err, NRM_EIO, KEY_cannot_write, "out", "path", out, NULL);
		goto done;
	}
done:
	if (fd >= 0)
		close(fd);
	if (in >= 0)
		close(in);
	if (made)
		unlink(part); /* written and linked to its name, or failed: the .part goes either way */
	if (pt)
		sodium_memzero(pt, CHUNK);
	sodium_memzero(key, sizeof key);
	free(pt);
	free(ct);
	free(sig);
	free(htxt);
	json_decref(h);
	return rc;
}

/* The header line after the magic, read from the start of fd: its text (malloc'd) and the
 * offset of the byte after its newline. */
static int read_header(int fd, const char *path, char **text, size_t *end, struct nrm_err *err)
{
	char *buf = malloc(MAGIC_LEN + HEADER_MAX + 1);
	if (!buf)
		return nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	size_t got = take(fd, buf, MAGIC_LEN + HEADER_MAX);
	buf[got] = '\0';
	int rc = 0;
	char *nl = got > MAGIC_LEN ? memchr(buf + MAGIC_LEN, '\n', got - MAGIC_LEN) : NULL;
	if (got < MAGIC_LEN || memcmp(buf, MAGIC, MAGIC_LEN) != 0)
		rc = nrm_fail(err, NRM_EINVAL, KEY_backup_format, "file", "path", path, "problem", "it does not begin as one", NULL);
	else if (!nl)
		rc = nrm_fail(err, NRM_EINVAL, KEY_backup_format, "file", "path", path, "problem", "its header does not end", NULL);
	if (rc) {
		free(buf);
		return rc;
	}
	*nl = '\0';
	*end = (size_t)(nl - buf) + 1;
	*text = strdup(buf + MAGIC_LEN);
	free(buf);
	return *text ? 0 : nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
}

int secure_backup_open(const struct crypt_keys *k, const char *in, const char *clear, json_t **header,
		       struct nrm_err *err)
{
	int rc = 0, fd = -1, out = -1;
	unsigned char key[32] = {0};
	char pub[64], text[16 + 2 * HASHLEN + 1], sig[SIGLEN + 1], a[24], b[24];
	char *htxt = NULL;
	unsigned char *pt = NULL, *ct = NULL, *buf = NULL;
	json_t *h = NULL;
	struct stat st;
	size_t start = 0, ptcap = 0;
	fd = open(in, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = nrm_fail(err, NRM_ENOTFOUND, KEY_backup_format, "file", "path", in, "problem", "it cannot be read", NULL);
		goto done;
	}
	if ((rc = read_header(fd, in, &htxt, &start, err)))
		goto done;
	json_error_t je;
	h = json_loads(htxt, 0, &je);
	json_t *ver = json_object_get(h, "key_version"), *by = json_object_get(h, "bytes"), *ch = json_object_get(h, "chunk");
	const char *signer = json_string_value(json_object_get(h, "signer"));
	if (!json_is_object(h) || json_integer_value(json_object_get(h, "format")) != 1 || !json_is_integer(ver) ||
	    json_integer_value(ver) < 1 || json_integer_value(ver) > 0xffffffffLL ||
	    !json_is_integer(by) || json_integer_value(by) <= 0 || json_integer_value(by) > ((long long)1 << 46) ||
	    !json_is_integer(ch) || json_integer_value(ch) < 4096 || json_integer_value(ch) > CHUNK * 16 || !signer) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_backup_format, "file", "path", in, "problem", "its header is not understood", NULL);
		goto done;
	}
	uint32_t version = (uint32_t)json_integer_value(ver);
	if (crypt_backup_key(k, version, key, pub)) {
		rc = nrm_fail(err, NRM_EAUTH, KEY_backup_key_version, "file", "path", in, "version", nrm_num(a, version), NULL);
		goto done;
	}
	long long bytes = json_integer_value(by), chunk = json_integer_value(ch), n = parts_of(bytes, chunk);
	long long want = (long long)start + SSHEADER + bytes + n * SSTAG + SIGLEN;
	if ((long long)st.st_size < want) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_backup_truncated, "file", "path", in, "have", nrm_num(a, (long long)st.st_size),
			      "want", nrm_num(b, want), NULL);
		goto done;
	}
	if ((long long)st.st_size > want) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_backup_too_long, "file", "path", in, "have", nrm_num(a, (long long)st.st_size),
			      "want", nrm_num(b, want), NULL);
		goto done;
	}
	if (strcmp(signer, pub) != 0) {
		rc = nrm_fail(err, NRM_EAUTH, KEY_backup_foreign_key, "file", "path", in, "signer", signer, NULL);
		goto done;
	}
	/* First the signature of every byte, then decryption: nothing is written from a file
	 * that is not whole and ours. */
	buf = malloc(CHUNK);
	ptcap = (size_t)chunk;
	pt = malloc(ptcap);
	ct = malloc(ptcap + SSTAG);
	if (!buf || !pt || !ct) {
		rc = nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
		goto done;
	}
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, HASHLEN);
	lseek(fd, 0, SEEK_SET);
	long long left = want - SIGLEN;
	while (left > 0) {
		size_t step = left > CHUNK ? CHUNK : (size_t)left;
		if (take(fd, buf, step) != step)
			break;
		crypto_generichash_update(&hs, buf, step);
		left -= (long long)step;
	}
	signed_text(&hs, text);
	if (left != 0 || take(fd, sig, SIGLEN) != SIGLEN) {
		rc = nrm_fail(err, NRM_EIO, KEY_backup_format, "file", "path", in, "problem", "it cannot be read", NULL);
		goto done;
	}
	sig[SIGLEN] = '\0';
	if (crypt_verify(pub, text, sig) != 0) {
		rc = nrm_fail(err, NRM_EAUTH, KEY_backup_signature, "file", "path", in, NULL);
		goto done;
	}
	out = open(clear, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
	if (out < 0) {
		rc = nrm_fail(err, NRM_EIO, KEY_cannot_write, "db", "path", clear, NULL);
		goto done;
	}
	unsigned char ssh[SSHEADER];
	crypto_secretstream_xchacha20poly1305_state ss;
	lseek(fd, (off_t)start, SEEK_SET);
	if (take(fd, ssh, sizeof ssh) != sizeof ssh || crypto_secretstream_xchacha20poly1305_init_pull(&ss, ssh, key) != 0) {
		rc = nrm_fail(err, NRM_EAUTH, KEY_backup_chunk, "file", "path", in, "chunk", "1", NULL);
		goto done;
	}
	for (long long i = 0; i < n; i++) {
		size_t plain = i == n - 1 ? (size_t)(bytes - i * chunk) : (size_t)chunk;
		unsigned long long got = 0;
		unsigned char tag = 0;
		int last = i == n - 1;
		if (take(fd, ct, plain + SSTAG) != plain + SSTAG ||
		    crypto_secretstream_xchacha20poly1305_pull(&ss, pt, &got, &tag, ct, plain + SSTAG,
							       i == 0 ? (const unsigned char *)htxt : NULL,
							       i == 0 ? strlen(htxt) : 0) != 0 ||
		    got != plain || (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) != last) {
			rc = nrm_fail(err, NRM_EAUTH, KEY_backup_chunk, "file", "path", in, "chunk", nrm_num(a, i + 1), NULL);
			goto done;
		}
		if (emit(out, NULL, pt, plain)) {
			rc = nrm_fail(err, NRM_EIO, KEY_cannot_write, "db", "path", clear, NULL);
			goto done;
		}
	}
	if (fsync(out) != 0) {
		rc = nrm_fail(err, NRM_EIO, KEY_cannot_write, "db", "path", clear, NULL);
		goto done;
	}
	*header = h;
	h = NULL;
done:
	if (out >= 0) {
		if (rc && ftruncate(out, 0) != 0)
			rc = nrm_fail(err, NRM_EIO, KEY_cannot_write, "db", "path", clear, NULL);
		close(out);
	}
	if (fd >= 0)
		close(fd);
	if (pt)
		sodium_memzero(pt, ptcap);
	sodium_memzero(key, sizeof key);
	free(buf);
	free(pt);
	free(ct);
	free(htxt);
	json_decref(h);
	return rc;
}
