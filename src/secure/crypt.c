/* Field encryption and blind indexes with libsodium; normalisation with utf8proc. */
#include "secure/crypt.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES

static pthread_mutex_t reload = PTHREAD_MUTEX_INITIALIZER;

static void derive(struct crypt_version *v, uint32_t version, const unsigned char master[32], int retired)
{
	v->version = version;
	atomic_store(&v->retired, retired);
	memcpy(v->master, master, 32);
	crypto_kdf_derive_from_key(v->enc, sizeof v->enc, 1, "nrm-case", master);
	crypto_kdf_derive_from_key(v->blind, sizeof v->blind, 2, "nrm-case", master);
	crypto_kdf_derive_from_key(v->sign, sizeof v->sign, 3, "nrm-case", master);
	crypto_kdf_derive_from_key(v->mac, sizeof v->mac, 4, "nrm-case", master);
}

static void stamp_of(const struct stat *st, long long out[4])
{
	out[0] = (long long)st->st_dev;
	out[1] = (long long)st->st_ino;
	out[2] = (long long)st->st_size;
	out[3] = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

struct parsed {
	unsigned n;
	uint32_t version[CRYPT_MAX_VERSIONS];
	int retired[CRYPT_MAX_VERSIONS];
	unsigned char master[CRYPT_MAX_VERSIONS][32];
};

#define RING_HEAD "nrm keyring\n"

/* A keyring's text: versions ascending, the last one live. 0 or NRM_EINVAL. */
static int parse_ring(const char *buf, size_t len, struct parsed *p)
{
	size_t hl = sizeof RING_HEAD - 1;
	p->n = 0;
	if (len < hl || memcmp(buf, RING_HEAD, hl) != 0)
		return NRM_EINVAL;
	const char *s = buf + hl, *end = buf + len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl || p->n == CRYPT_MAX_VERSIONS)
			return NRM_EINVAL;
		char line[160];
		size_t ll = (size_t)(nl - s);
		if (ll >= sizeof line)
			return NRM_EINVAL;
		memcpy(line, s, ll);
		line[ll] = '\0';
		char *e;
		unsigned long v = strtoul(line, &e, 10);
		if (e == line || *e != ' ' || v == 0 || v > 1000000 || (p->n && v <= p->version[p->n - 1]))
			return NRM_EINVAL;
		size_t bin = 0;
		const char *hex = e + 1, *hend = NULL;
		if (sodium_hex2bin(p->master[p->n], 32, hex, strlen(hex), NULL, &bin, &hend) != 0 || bin != 32)
			return NRM_EINVAL;
		if (*hend && strcmp(hend, " retired") != 0)
			return NRM_EINVAL;
		p->version[p->n] = (uint32_t)v;
		p->retired[p->n] = *hend != '\0';
		p->n++;
		s = nl + 1;
	}
	return p->n && !p->retired[p->n - 1] ? 0 : NRM_EINVAL;
}

/* Reads and checks the file at path: a regular file of the running user, mode 0600 or
 * stricter, a raw 32-byte key or a keyring. */
static int read_ring(const char *path, struct parsed *p, long long stamp[4], struct nrm_err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_key_unreadable, "key", "path", path, NULL);
	int rc = 0;
	char buf[CRYPT_MAX_VERSIONS * 90 + 64];
	ssize_t got = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = nrm_fail(err, NRM_EIO, KEY_key_unreadable, "key", "path", path, NULL);
	else if (st.st_uid != geteuid())
		rc = nrm_fail(err, NRM_EINVAL, KEY_key_owner, "key", "path", path, NULL);
	else if (st.st_mode & 077)
		rc = nrm_fail(err, NRM_EINVAL, KEY_key_mode, "key", "path", path, NULL);
	else if (st.st_size <= 0 || (size_t)st.st_size >= sizeof buf)
		rc = nrm_fail(err, NRM_EINVAL, KEY_key_size, "key", "path", path, NULL);
	else if ((got = read(fd, buf, (size_t)st.st_size)) != (ssize_t)st.st_size)
		rc = nrm_fail(err, NRM_EIO, KEY_key_unreadable, "key", "path", path, NULL);
	close(fd);
	if (!rc) {
		stamp_of(&st, stamp);
		if (got == 32 && memcmp(buf, RING_HEAD, 8) != 0) {
			p->n = 1;
			p->version[0] = 1;
			p->retired[0] = 0;
			memcpy(p->master[0], buf, 32);
		} else if (parse_ring(buf, (size_t)got, p) != 0) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_key_size, "key", "path", path, NULL);
		}
	}
	sodium_memzero(buf, sizeof buf);
	return rc;
}

/* Brings k up to p: new versions appended (then published), retirements and the current
 * version moved. Called with `reload` held, or before k is shared. */
static void apply(struct crypt_keys *k, const struct parsed *p)
{
	unsigned n = atomic_load(&k->n);
	for (unsigned i = 0; i < p->n; i++) {
		unsigned j = 0;
		while (j < n && k->v[j].version != p->version[i])
			j++;
		if (j < n) {
			if (p->retired[i])
				atomic_store(&k->v[j].retired, 1);
		} else if (n < CRYPT_MAX_VERSIONS) {
			derive(&k->v[n], p->version[i], p->master[i], p->retired[i]);
			atomic_store(&k->n, ++n);
		}
	}
	for (unsigned j = 0; j < n; j++)
		if (k->v[j].version == p->version[p->n - 1])
			atomic_store(&k->current, j);
}

int crypt_load_keys(const char *path, struct crypt_keys *out, struct nrm_err *err)
{
	struct parsed p;
	long long stamp[4];
	int rc = read_ring(path, &p, stamp, err);
	if (!rc) {
		sodium_memzero(out, sizeof *out);
		snprintf(out->path, sizeof out->path, "%s", path);
		memcpy(out->stamp, stamp, sizeof stamp);
		apply(out, &p);
	}
	sodium_memzero(&p, sizeof p);
	return rc;
}

void crypt_keys_from_master(const unsigned char master[32], struct crypt_keys *out)
{
	sodium_memzero(out, sizeof *out);
	derive(&out->v[0], 1, master, 0);
	atomic_store(&out->n, 1u);
	atomic_store(&out->current, 0u);
}

void crypt_keys_wipe(struct crypt_keys *k)
{
	sodium_memzero(k, sizeof *k);
}

void crypt_keys_refresh(const struct crypt_keys *k)
{
	/* The keys are shared read-only by the threads of the server; only this reload, under its
	 * lock, changes them, and only by appending (see struct crypt_keys). */
	struct crypt_keys *m = (struct crypt_keys *)k;
	struct stat st;
	long long now[4];
	if (!m->path[0] || stat(m->path, &st) != 0)
		return;
	stamp_of(&st, now);
	pthread_mutex_lock(&reload);
	if (memcmp(now, m->stamp, sizeof now) != 0) {
		struct parsed p;
		long long stamp[4];
		struct nrm_err ignored = {0};
		if (read_ring(m->path, &p, stamp, &ignored) == 0) {
			apply(m, &p);
			memcpy(m->stamp, stamp, sizeof stamp);
		}
		sodium_memzero(&p, sizeof p);
	}
	pthread_mutex_unlock(&reload);
}

static const struct crypt_version *cur(const struct crypt_keys *k)
{
	return &k->v[atomic_load(&k->current)];
}

static const struct crypt_version *find(const struct crypt_keys *k, uint32_t version)
{
	unsigned n = atomic_load(&k->n);
	for (unsigned i = 0; i < n; i++)
		if (k->v[i].version == version)
			return &k->v[i];
	return NULL;
}

uint32_t crypt_key_version(const struct crypt_keys *k)
{
	return cur(k)->version;
}

int crypt_keys_rotating(const struct crypt_keys *k)
{
	unsigned n = atomic_load(&k->n), c = atomic_load(&k->current);
	int live = 0;
	for (unsigned i = 0; i < n; i++)
		live += i != c && !atomic_load(&k->v[i].retired);
	return live;
}

int crypt_subkey(const struct crypt_keys *k, uint32_t version, uint64_t id, const char ctx[8], unsigned char out[32],
		 uint32_t *used)
{
	crypt_keys_refresh(k);
	const struct crypt_version *v = version ? find(k, version) : cur(k);
	if (!v)
		return NRM_ENOTFOUND;
	crypto_kdf_derive_from_key(out, 32, id, ctx, v->master);
	if (used)
		*used = v->version;
	return 0;
}

int crypt_mac_key(const struct crypt_keys *k, uint32_t version, unsigned char out[32])
{
	const struct crypt_version *v = find(k, version);
	if (!v) {
		crypt_keys_refresh(k);
		v = find(k, version);
	}
	if (!v)
		return NRM_ENOTFOUND;
	memcpy(out, v->mac, 32);
	return 0;
}

/* Writes the keyring of k to its file: a new file beside it, fsync'd, renamed over it. */
static int write_ring(struct crypt_keys *k, struct nrm_err *err)
{
	char tmp[1100], line[100];
	snprintf(tmp, sizeof tmp, "%s.new", k->path);
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return nrm_fail(err, NRM_EIO, KEY_cannot_write, "key", "path", tmp, NULL);
	int ok = write(fd, RING_HEAD, sizeof RING_HEAD - 1) == (ssize_t)(sizeof RING_HEAD - 1);
	unsigned n = atomic_load(&k->n);
	for (unsigned i = 0; ok && i < n; i++) {
		char hex[65];
		sodium_bin2hex(hex, sizeof hex, k->v[i].master, 32);
		int l = snprintf(line, sizeof line, "%u %s%s\n", (unsigned)k->v[i].version, hex,
				 atomic_load(&k->v[i].retired) ? " retired" : "");
		ok = l > 0 && write(fd, line, (size_t)l) == (ssize_t)l;
		sodium_memzero(hex, sizeof hex);
		sodium_memzero(line, sizeof line);
	}
	ok = ok && fsync(fd) == 0;
	close(fd);
	if (!ok || rename(tmp, k->path) != 0) {
		unlink(tmp);
		return nrm_fail(err, NRM_EIO, KEY_cannot_write, "key", "path", k->path, NULL);
	}
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", k->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	struct stat st;
	if (stat(k->path, &st) == 0)
		stamp_of(&st, k->stamp);
	return 0;
}

int crypt_keys_rotate_begin(struct crypt_keys *k, struct nrm_err *err)
{
	crypt_keys_refresh(k);
	if (crypt_keys_rotating(k))
		return 0;
	unsigned n = atomic_load(&k->n);
	if (n == CRYPT_MAX_VERSIONS || !k->path[0])
		return nrm_fail(err, NRM_EINVAL, KEY_key_size, "key", "path", k->path, NULL);
	unsigned char master[32];
	randombytes_buf(master, sizeof master);
	pthread_mutex_lock(&reload);
	derive(&k->v[n], k->v[n - 1].version + 1, master, 0);
	atomic_store(&k->n, n + 1);
	atomic_store(&k->current, n);
	int rc = write_ring(k, err);
	pthread_mutex_unlock(&reload);
	sodium_memzero(master, sizeof master);
	return rc;
}

int crypt_keys_retire(struct crypt_keys *k, struct nrm_err *err)
{
	unsigned n = atomic_load(&k->n), c = atomic_load(&k->current);
	pthread_mutex_lock(&reload);
	for (unsigned i = 0; i < n; i++)
		if (i != c)
			atomic_store(&k->v[i].retired, 1);
	int rc = write_ring(k, err);
	pthread_mutex_unlock(&reload);
	return rc;
}

/* Associated data "case:<id>:<field>": a ciphertext is valid only where it was written. */
static size_t ad_of(char *ad, size_t cap, int64_t case_id, const char *field)
{
	int n = snprintf(ad, cap, "case:%lld:%s", (long long)case_id, field);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* A sealed value: "nk", the version that sealed it (2 bytes, big-endian), nonce, ciphertext,
 * tag. Values from before keyrings have no header (nonce first) and open with version 1. */
#define HEAD 4

static int seal_with(const struct crypt_version *v, const char *ad, size_t adl, const void *pt, size_t n,
		     unsigned char **out, size_t *outlen)
{
	unsigned char *buf = malloc(HEAD + NONCE + n + TAG);
	if (!buf)
		return NRM_ENOMEM;
	buf[0] = 'n';
	buf[1] = 'k';
	buf[2] = (unsigned char)(v->version >> 8);
	buf[3] = (unsigned char)(v->version & 0xff);
	randombytes_buf(buf + HEAD, NONCE);
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(buf + HEAD + NONCE, &clen, pt, n, (const unsigned char *)ad, adl, NULL,
						   buf + HEAD, v->enc);
	*out = buf;
	*outlen = HEAD + NONCE + (size_t)clen;
	return 0;
}

int crypt_seal(const struct crypt_keys *k, int64_t case_id, const char *field, const void *pt, size_t n,
	       unsigned char **out, size_t *outlen)
{
	char ad[160];
	size_t adl = ad_of(ad, sizeof ad, case_id, field);
	/* A rotation in another process makes a new version current: seal under it from then on. */
	crypt_keys_refresh(k);
	return seal_with(cur(k), ad, adl, pt, n, out, outlen);
}

static int open_with(const struct crypt_version *v, const char *ad, size_t adl, const unsigned char *ct, size_t n,
		     char **pt, size_t *ptlen)
{
	if (!v || n < NONCE + TAG)
		return NRM_EAUTH;
	unsigned char *buf = malloc(n - NONCE - TAG + 1);
	if (!buf)
		return NRM_ENOMEM;
	unsigned long long plen = 0;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(buf, &plen, NULL, ct + NONCE, n - NONCE, (const unsigned char *)ad,
						       adl, ct, v->enc) != 0) {
		free(buf);
		return NRM_EAUTH;
	}
	buf[plen] = '\0';
	*pt = (char *)buf;
	*ptlen = (size_t)plen;
	return 0;
}

/* Opens ct; *which = the version that opened it. */
static int open_any(const struct crypt_keys *k, const char *ad, size_t adl, const unsigned char *ct, size_t n, char **pt,
		    size_t *ptlen, uint32_t *which)
{
	if (n >= HEAD + NONCE + TAG && ct[0] == 'n' && ct[1] == 'k') {
		uint32_t version = (uint32_t)ct[2] << 8 | ct[3];
		const struct crypt_version *v = find(k, version);
		if (!v) {
			crypt_keys_refresh(k);
			v = find(k, version);
		}
		int rc = open_with(v, ad, adl, ct + HEAD, n - HEAD, pt, ptlen);
		if (rc != NRM_EAUTH) {
			*which = version;
			return rc;
		}
	}
	*which = 1;
	return open_with(find(k, 1), ad, adl, ct, n, pt, ptlen);
}

int crypt_open(const struct crypt_keys *k, int64_t case_id, const char *field, const unsigned char *ct, size_t n,
	       char **pt, size_t *ptlen)
{
	char ad[160];
	size_t adl = ad_of(ad, sizeof ad, case_id, field);
	uint32_t which;
	return open_any(k, ad, adl, ct, n, pt, ptlen, &which);
}

uint32_t crypt_sealed_version(const struct crypt_keys *k, int64_t case_id, const char *field, const unsigned char *ct,
			      size_t n)
{
	char ad[160], *pt;
	size_t adl = ad_of(ad, sizeof ad, case_id, field), len;
	uint32_t which;
	if (open_any(k, ad, adl, ct, n, &pt, &len, &which) != 0)
		return 0;
	sodium_memzero(pt, len);
	free(pt);
	return which;
}

#define TEXT_PREFIX "enc1:"

void crypt_reason_context(char out[64], const char *code)
{
	if (code)
		snprintf(out, 64, "reason:%s", code);
	else
		snprintf(out, 64, "reason");
}

int crypt_is_sealed(const char *stored)
{
	return stored && strncmp(stored, TEXT_PREFIX, sizeof TEXT_PREFIX - 1) == 0;
}

int crypt_seal_text(const struct crypt_keys *k, const char *context, const char *text, char **out)
{
	unsigned char *ct;
	size_t n;
	char field[96];
	snprintf(field, sizeof field, "text:%s", context);
	int rc = crypt_seal(k, 0, field, text, strlen(text), &ct, &n);
	if (rc)
		return rc;
	size_t cap = sizeof TEXT_PREFIX - 1 + sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *s = malloc(cap);
	if (!s) {
		free(ct);
		return NRM_ENOMEM;
	}
	memcpy(s, TEXT_PREFIX, sizeof TEXT_PREFIX - 1);
	sodium_bin2base64(s + sizeof TEXT_PREFIX - 1, cap - (sizeof TEXT_PREFIX - 1), ct, n,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(ct);
	*out = s;
	return 0;
}

int crypt_open_text(const struct crypt_keys *k, const char *context, const char *stored, char **out)
{
	if (!stored) {
		*out = NULL;
		return 0;
	}
	size_t len = strlen(stored), pl = sizeof TEXT_PREFIX - 1;
	if (len < pl || memcmp(stored, TEXT_PREFIX, pl) != 0)
		return NRM_EAUTH;
	unsigned char *bin = malloc(len);
	size_t n = 0;
	if (!bin)
		return NRM_ENOMEM;
	if (sodium_base642bin(bin, len, stored + pl, len - pl, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
		free(bin);
		return NRM_EAUTH;
	}
	char field[96], *pt;
	size_t ptlen;
	snprintf(field, sizeof field, "text:%s", context);
	int rc = crypt_open(k, 0, field, bin, n, &pt, &ptlen);
	free(bin);
	if (!rc)
		*out = pt;
	return rc;
}

uint32_t crypt_text_version(const struct crypt_keys *k, const char *context, const char *stored)
{
	size_t len = stored ? strlen(stored) : 0, pl = sizeof TEXT_PREFIX - 1;
	if (len < pl || memcmp(stored, TEXT_PREFIX, pl) != 0)
		return 0;
	unsigned char *bin = malloc(len);
	size_t n = 0;
	uint32_t v = 0;
	char field[96];
	snprintf(field, sizeof field, "text:%s", context);
	if (bin && sodium_base642bin(bin, len, stored + pl, len - pl, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0)
		v = crypt_sealed_version(k, 0, field, bin, n);
	free(bin);
	return v;
}

int crypt_normalise(const char *in, char **out)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in, 0, &mapped,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
						  UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE);
	if (n < 0)
		return NRM_EINVAL;
	char *res = malloc((size_t)n + 1);
	if (!res) {
		free(mapped);
		return NRM_ENOMEM;
	}
	size_t o = 0;
	int space = 0;
	utf8proc_ssize_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(mapped + i, n - i, &cp);
		if (len <= 0)
			break;
		utf8proc_category_t cat = utf8proc_category(cp);
		int keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			   (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
		if (keep) {
			if (space && o)
				res[o++] = ' ';
			space = 0;
			memcpy(res + o, mapped + i, (size_t)len);
			o += (size_t)len;
		} else {
			space = 1;
		}
		i += len;
	}
	res[o] = '\0';
	free(mapped);
	*out = res;
	return 0;
}

static int blind_with(const struct crypt_version *v, const char *kind, const char *const *parts, size_t n, char out[65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	static const unsigned char sep = 0x1f;
	crypto_generichash_init(&st, v->blind, sizeof v->blind, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind));
	for (size_t i = 0; i < n; i++) {
		char *norm;
		if (!parts[i] || crypt_normalise(parts[i], &norm) != 0)
			return NRM_EINVAL;
		if (strcmp(kind, "document") == 0) {
			/* "AB 123-45" and "ab12345" are the same document number. */
			size_t o = 0;
			for (size_t j = 0; norm[j]; j++)
				if (norm[j] != ' ')
					norm[o++] = norm[j];
			norm[o] = '\0';
		}
		size_t len = strlen(norm);
		if (len)
			crypto_generichash_update(&st, &sep, 1), crypto_generichash_update(&st, (unsigned char *)norm, len);
		free(norm);
		if (!len)
			return NRM_EINVAL;
	}
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
	return 0;
}

int crypt_blind(const struct crypt_keys *k, const char *kind, const char *const *parts, size_t n, char out[65])
{
	crypt_keys_refresh(k);
	return blind_with(cur(k), kind, parts, n, out);
}

int crypt_blind_live(const struct crypt_keys *k, const char *kind, const char *const *parts, size_t n,
		     char out[][65], uint32_t *vers, size_t *count)
{
	crypt_keys_refresh(k);
	unsigned all = atomic_load(&k->n), c = atomic_load(&k->current);
	size_t m = 0;
	for (unsigned i = all; i-- > 0 && m < CRYPT_LIVE_MAX;) {
		if (i != c && atomic_load(&k->v[i].retired))
			continue;
		int rc = blind_with(&k->v[i], kind, parts, n, out[m]);
		if (rc)
			return rc;
		vers[m++] = k->v[i].version;
	}
	*count = m;
	return 0;
}

size_t crypt_live_versions(const struct crypt_keys *k, uint32_t vers[CRYPT_LIVE_MAX])
{
	crypt_keys_refresh(k);
	unsigned all = atomic_load(&k->n), c = atomic_load(&k->current);
	size_t m = 0;
	for (unsigned i = all; i-- > 0 && m < CRYPT_LIVE_MAX;)
		if (i == c || !atomic_load(&k->v[i].retired))
			vers[m++] = k->v[i].version;
	return m;
}

int crypt_seal_json(const struct crypt_keys *k, int64_t id, const char *field, const json_t *v, unsigned char **out,
		    size_t *outlen)
{
	char *txt = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!txt)
		return NRM_ENOMEM;
	size_t n = strlen(txt);
	int rc = crypt_seal(k, id, field, txt, n, out, outlen);
	sodium_memzero(txt, n);
	free(txt);
	return rc;
}

int crypt_open_json(const struct crypt_keys *k, int64_t id, const char *field, const unsigned char *ct, size_t n,
		    json_t **out)
{
	char *pt;
	size_t len;
	int rc = crypt_open(k, id, field, ct, n, &pt, &len);
	if (rc)
		return rc;
	json_t *v = json_loadb(pt, len, JSON_DECODE_ANY, NULL);
	sodium_memzero(pt, len);
	free(pt);
	if (!v)
		return NRM_EIO;
	*out = v;
	return 0;
}

static void keypair(const struct crypt_version *v, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
		    unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	crypto_sign_seed_keypair(pk, sk, v->sign);
}

static void public_of(const struct crypt_version *v, char out[64])
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	keypair(v, pk, sk);
	sodium_memzero(sk, sizeof sk);
	sodium_bin2base64(out, 64, pk, sizeof pk, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int crypt_sign(const struct crypt_keys *k, const char *msg, char **sig)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], s[crypto_sign_BYTES];
	crypt_keys_refresh(k);
	keypair(cur(k), pk, sk);
	crypto_sign_detached(s, NULL, (const unsigned char *)msg, strlen(msg), sk);
	sodium_memzero(sk, sizeof sk);
	size_t cap = sodium_base64_ENCODED_LEN(sizeof s, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(cap);
	if (!out)
		return NRM_ENOMEM;
	sodium_bin2base64(out, cap, s, sizeof s, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*sig = out;
	return 0;
}

void crypt_sign_public(const struct crypt_keys *k, char out[64])
{
	public_of(cur(k), out);
}

int crypt_verify(const char *pub, const char *msg, const char *sig)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], s[crypto_sign_BYTES];
	size_t pn, sn;
	if (!pub || !sig || !msg ||
	    sodium_base642bin(pk, sizeof pk, pub, strlen(pub), NULL, &pn, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    pn != sizeof pk ||
	    sodium_base642bin(s, sizeof s, sig, strlen(sig), NULL, &sn, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    sn != sizeof s)
		return NRM_EAUTH;
	return crypto_sign_verify_detached(s, (const unsigned char *)msg, strlen(msg), pk) == 0 ? 0 : NRM_EAUTH;
}

int crypt_verify_any(const struct crypt_keys *k, const char *msg, const char *sig, char pub[64])
{
	crypt_keys_refresh(k);
	unsigned n = atomic_load(&k->n);
	for (unsigned i = n; i-- > 0;) {
		char p[64];
		public_of(&k->v[i], p);
		if (crypt_verify(p, msg, sig) == 0) {
			if (pub)
				memcpy(pub, p, 64);
			return 0;
		}
	}
	return NRM_EAUTH;
}

int crypt_public_known(const struct crypt_keys *k, const char *pub)
{
	crypt_keys_refresh(k);
	unsigned n = atomic_load(&k->n);
	for (unsigned i = 0; pub && i < n; i++) {
		char p[64];
		public_of(&k->v[i], p);
		if (strcmp(p, pub) == 0)
			return 1;
	}
	return 0;
}

void crypt_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int crypt_backup_key(const struct crypt_keys *k, uint32_t version, unsigned char key[32], char pub[64])
{
	/* Version 0 would mean "the current one" to crypt_subkey: a backup always names its own. */
	if (version == 0 || crypt_subkey(k, version, 1, "nrm-bkup", key, NULL) != 0)
		return NRM_ENOTFOUND;
	public_of(find(k, version), pub);
	return 0;
}
