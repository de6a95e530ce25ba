/* The keyed audit chain (secure/audit.h), its upgrade from the unkeyed chain of schemas
 * before 15, re-keying on rotation, and the signed anchors of its head. */
#include "secure/audit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "secure/perm.h"
#include "store/audit.h"

#define PAGE 500
#define DOMAIN "nrm-audit/1"

/* One value of a row: a NULL marker, or a mark, its length (8 bytes, little-endian) and bytes. */
static void put(crypto_generichash_state *st, const char *v)
{
	unsigned char tag = v ? 1 : 0, len[8];
	crypto_generichash_update(st, &tag, 1);
	if (!v)
		return;
	uint64_t n = strlen(v);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(st, len, sizeof len);
	crypto_generichash_update(st, (const unsigned char *)v, (size_t)n);
}

enum { F_ID, F_PREV, F_TS, F_USER, F_USERNAME, F_ACTION, F_ENTITY, F_ENTITY_ID, F_BEFORE, F_AFTER, F_REASON, NF };

static void row_mac(const unsigned char key[32], uint32_t version, const char *const f[NF], char out[AUDIT_HASH_LEN])
{
	crypto_generichash_state st;
	unsigned char h[32];
	char hex[65];
	crypto_generichash_init(&st, key, 32, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)DOMAIN, sizeof DOMAIN - 1);
	for (int i = 0; i < NF; i++)
		put(&st, f[i]);
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(out, AUDIT_HASH_LEN, "m%u:%s", (unsigned)version, hex);
}

/* The unkeyed hash of schemas before 15, only to check a trail being brought under the key. */
static void legacy_hash(const char *const f[NF], const char *user0, char out[65])
{
	static const unsigned char sep = 0x1f;
	crypto_generichash_state st;
	unsigned char h[32];
	const char *order[10] = {f[F_PREV], f[F_TS], user0, f[F_USERNAME], f[F_ACTION], f[F_ENTITY], f[F_ENTITY_ID],
				 f[F_BEFORE], f[F_AFTER], f[F_REASON]};
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	for (int i = 0; i < 10; i++) {
		if (order[i])
			crypto_generichash_update(&st, (const unsigned char *)order[i], strlen(order[i]));
		crypto_generichash_update(&st, &sep, 1);
	}
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* 1 and *v for "m<v>:<64 hex>", 0 for the 64 hex digits of an unkeyed hash, -1 otherwise. */
static int hash_kind(const char *h, uint32_t *v)
{
	if (!h)
		return -1;
	if (h[0] == 'm') {
		char *end;
		unsigned long n = strtoul(h + 1, &end, 10);
		if (end == h + 1 || *end != ':' || n == 0 || n > 65535 || strlen(end + 1) != 64 ||
		    strspn(end + 1, "0123456789abcdef") != 64)
			return -1;
		*v = (uint32_t)n;
		return 1;
	}
	return strlen(h) == 64 && strspn(h, "0123456789abcdef") == 64 ? 0 : -1;
}

/* ---- the keyring of a database, for writers that only have the store ---- */

static struct {
	pthread_mutex_t lock;
	int n;
	struct {
		char path[1024];
		struct crypt_keys *k;
	} e[8];
} ring = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The keyring beside the database of s, loaded once per process (kept until exit). */
static int keys_of(struct store *s, const struct crypt_keys **out)
{
	const char *db = store_path(s);
	if (!*db)
		return NRM_EAUTH;
	char path[1024];
	snprintf(path, sizeof path, "%s.key", db);
	int rc = 0;
	pthread_mutex_lock(&ring.lock);
	int i = 0;
	while (i < ring.n && strcmp(ring.e[i].path, path) != 0)
		i++;
	if (i == ring.n) {
		struct crypt_keys *k = malloc(sizeof *k);
		struct nrm_err ignored = {0};
		if (!k || i == (int)(sizeof ring.e / sizeof *ring.e))
			rc = NRM_ENOMEM;
		else if ((rc = crypt_load_keys(path, k, &ignored)) == 0) {
			snprintf(ring.e[i].path, sizeof ring.e[i].path, "%s", path);
			ring.e[i].k = k;
			ring.n++;
			k = NULL;
		}
		free(k);
	}
	const struct crypt_keys *k = rc ? NULL : ring.e[i].k;
	pthread_mutex_unlock(&ring.lock);
	if (rc)
		return rc;
	crypt_keys_refresh(k);
	*out = k;
	return 0;
}

/* ---- writing ---- */

static int append(struct store *s, const struct crypt_keys *k, int64_t uid, const char *username, const char *action,
		  const char *entity, const char *entity_id, const char *b, const char *a, const char *reason)
{
	char prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN], ts[21], id[24], user[24];
	unsigned char key[32];
	int64_t last;
	int rc = store_audit_head(s, &last, prev);
	if (rc)
		return rc;
	clock_stamp(ts);
	snprintf(id, sizeof id, "%lld", (long long)(last + 1));
	snprintf(user, sizeof user, "%lld", (long long)uid);
	uint32_t v = crypt_key_version(k);
	if ((rc = crypt_mac_key(k, v, key)))
		return rc;
	const char *f[NF] = {id, prev, ts, uid > 0 ? user : NULL, username, action, entity, entity_id, b, a, reason};
	row_mac(key, v, f, hash);
	sodium_memzero(key, sizeof key);
	return store_audit_insert(s, last + 1, ts, uid, username, action, entity, entity_id, b, a, reason, prev, hash);
}

int secure_audit(struct store *s, const struct principal *p, const char *action, const char *entity,
		 const char *entity_id, json_t *before, json_t *after, const char *reason)
{
	const struct crypt_keys *k;
	int rc = keys_of(s, &k);
	if (rc)
		return rc;
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	rc = append(s, k, p ? p->id : 0, p ? p->username : "cli", action, entity, entity_id, b, a, reason);
	free(b);
	free(a);
	return rc;
}

int secure_audit_id(struct store *s, const struct principal *p, const char *action, const char *entity,
		    int64_t entity_id, json_t *before, json_t *after, const char *reason)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)entity_id);
	return secure_audit(s, p, action, entity, id, before, after, reason);
}

/* ---- checking ---- */

static const char *str(const json_t *row, const char *k)
{
	return json_string_value(json_object_get(row, k));
}

/* The values of a stored row in MAC order; id and user are formatted into the buffers. */
static void fields_of(const json_t *row, const char *f[NF], char id[24], char user[24])
{
	json_t *u = json_object_get(row, "user_id");
	snprintf(id, 24, "%lld", (long long)json_integer_value(json_object_get(row, "id")));
	snprintf(user, 24, "%lld", (long long)json_integer_value(u));
	f[F_ID] = id;
	f[F_PREV] = str(row, "prev_hash");
	f[F_TS] = str(row, "ts");
	f[F_USER] = json_is_integer(u) ? user : NULL;
	f[F_USERNAME] = str(row, "username");
	f[F_ACTION] = str(row, "action");
	f[F_ENTITY] = str(row, "entity");
	f[F_ENTITY_ID] = str(row, "entity_id");
	f[F_BEFORE] = str(row, "before_text");
	f[F_AFTER] = str(row, "after_text");
	f[F_REASON] = str(row, "reason");
}

/* Whether row `id`'s successor chains to `expect` (then the row between was put in). */
static bool next_follows(struct store *s, int64_t id, const char *expect)
{
	json_t *page = NULL;
	bool yes = store_audit_page(s, id, 1, &page) == 0 && json_array_size(page) == 1 &&
		   str(json_array_get(page, 0), "prev_hash") && strcmp(str(json_array_get(page, 0), "prev_hash"), expect) == 0;
	json_decref(page);
	return yes;
}

/* The chain re-computed under one version up to row `upto` (an anchor made before the rows
 * were re-MACed under a newer version): its value at that row into out. */
static int chain_under(struct store *s, const struct crypt_keys *k, uint32_t v, int64_t upto, char out[AUDIT_HASH_LEN])
{
	unsigned char key[32];
	char prev[AUDIT_HASH_LEN] = "", id[24], user[24];
	int64_t after = 0;
	out[0] = '\0';
	if (crypt_mac_key(k, v, key))
		return NRM_ENOTFOUND;
	for (;;) {
		json_t *page, *row;
		size_t i;
		int rc = store_audit_page(s, after, PAGE, &page);
		if (rc)
			return rc;
		if (!json_array_size(page)) {
			json_decref(page);
			break;
		}
		json_array_foreach(page, i, row) {
			const char *f[NF];
			after = json_integer_value(json_object_get(row, "id"));
			if (after > upto)
				break;
			fields_of(row, f, id, user);
			f[F_PREV] = prev;
			row_mac(key, v, f, out);
			memcpy(prev, out, sizeof prev);
		}
		json_decref(page);
		if (after > upto)
			break;
	}
	sodium_memzero(key, sizeof key);
	return 0;
}

int secure_audit_check(struct store *s, const struct crypt_keys *k, const json_t *anchor, struct audit_report *r)
{
	memset(r, 0, sizeof *r);
	if (anchor && secure_audit_anchor_check(k, anchor) != 0) {
		r->problem = AUDIT_ANCHOR_BAD;
		return 0;
	}
	int64_t a_last = anchor ? json_integer_value(json_object_get(anchor, "last_id")) : 0;
	char expect[AUDIT_HASH_LEN] = "", at_anchor[AUDIT_HASH_LEN] = "", id[24], user[24];
	int64_t last = 0, count = 0, rows_at_anchor = 0, after = 0;
	uint32_t last_v = 0;
	enum audit_problem problem = AUDIT_OK;
	for (;;) {
		json_t *page, *row;
		size_t i;
		int rc = store_audit_page(s, after, PAGE, &page);
		if (rc)
			return rc;
		if (!json_array_size(page)) {
			json_decref(page);
			break;
		}
		json_array_foreach(page, i, row) {
			const char *f[NF], *hash = str(row, "hash");
			int64_t rid = json_integer_value(json_object_get(row, "id"));
			uint32_t v = 0;
			unsigned char key[32];
			char own[AUDIT_HASH_LEN];
			fields_of(row, f, id, user);
			int kind = hash_kind(hash, &v);
			if (json_integer_value(json_object_get(row, "typed")) != 1 || kind < 0 || !f[F_PREV] || !f[F_TS]) {
				problem = AUDIT_ALTERED;
			} else if (kind == 0) {
				problem = AUDIT_UNKEYED;
			} else if (crypt_mac_key(k, v, key) != 0) {
				problem = AUDIT_UNKNOWN_KEY;
			} else {
				row_mac(key, v, f, own);
				sodium_memzero(key, sizeof key);
				bool self = strcmp(own, hash) == 0, follows = strcmp(f[F_PREV], expect) == 0;
				if (self && follows)
					problem = v < last_v ? AUDIT_OLD_KEY : AUDIT_OK;
				else if (self && rid > last + 1)
					problem = AUDIT_REMOVED, r->gap_from = last + 1, r->gap_to = rid - 1;
				else if (!self && next_follows(s, rid, expect))
					problem = AUDIT_INSERTED;
				else
					problem = AUDIT_ALTERED;
			}
			if (problem) {
				r->bad_id = rid;
				break;
			}
			count++;
			last = rid;
			last_v = v;
			snprintf(expect, sizeof expect, "%s", hash);
			if (anchor && rid <= a_last)
				rows_at_anchor = count;
			if (anchor && rid == a_last)
				snprintf(at_anchor, sizeof at_anchor, "%s", hash);
		}
		json_decref(page);
		after = last;
		if (problem)
			break;
	}
	r->problem = problem;
	r->rows = count;
	r->last_id = last;
	snprintf(r->head, sizeof r->head, "%s", expect);
	if (problem || !anchor)
		return 0;
	r->anchor_rows = json_integer_value(json_object_get(anchor, "rows"));
	r->anchor_last_id = a_last;
	const char *a_head = str(anchor, "head");
	uint32_t av = 0, rv = 0;
	if (last < a_last || !at_anchor[0] || rows_at_anchor < r->anchor_rows) {
		r->problem = AUDIT_TRUNCATED;
		return 0;
	}
	if (rows_at_anchor != r->anchor_rows || hash_kind(a_head, &av) != 1) {
		r->problem = AUDIT_HEAD_DIFFERS;
		r->bad_id = a_last;
		return 0;
	}
	hash_kind(at_anchor, &rv);
	if (av != rv) {
		/* Re-MACed under a newer version since the anchor: compare under the anchor's. */
		int rc = chain_under(s, k, av, a_last, at_anchor);
		if (rc && rc != NRM_ENOTFOUND)
			return rc;
	}
	if (strcmp(at_anchor, a_head) != 0) {
		r->problem = AUDIT_HEAD_DIFFERS;
		r->bad_id = a_last;
	}
	return 0;
}

int secure_audit_verify(struct store *s, int64_t *rows, int64_t *bad_id)
{
	const struct crypt_keys *k;
	struct audit_report r;
	int rc = keys_of(s, &k);
	if (rc || (rc = secure_audit_check(s, k, NULL, &r)))
		return rc;
	*rows = r.rows;
	if (r.problem) {
		*bad_id = r.bad_id;
		return NRM_ECONFLICT;
	}
	return 0;
}

/* ---- upgrading and re-keying ---- */

/* MACs every row under the current version, each after the re-MACed one before it. Nothing
 * else of a row changes (reasons stay sealed under the version that sealed them: the retired
 * version is kept), so an anchor made before can still be checked under its own version. */
static int remac_all(struct store *s, const struct crypt_keys *k, int64_t *rows)
{
	unsigned char key[32];
	uint32_t v = crypt_key_version(k);
	char prev[AUDIT_HASH_LEN] = "", mac[AUDIT_HASH_LEN], id[24], user[24];
	int64_t after = 0, n = 0;
	int rc = crypt_mac_key(k, v, key);
	while (!rc) {
		json_t *page, *row;
		size_t i;
		if ((rc = store_audit_page(s, after, PAGE, &page)))
			break;
		if (!json_array_size(page)) {
			json_decref(page);
			break;
		}
		json_array_foreach(page, i, row) {
			const char *f[NF];
			fields_of(row, f, id, user);
			f[F_PREV] = prev;
			row_mac(key, v, f, mac);
			after = json_integer_value(json_object_get(row, "id"));
			if ((rc = store_audit_rechain(s, after, prev, mac)))
				break;
			memcpy(prev, mac, sizeof prev);
			n++;
		}
		json_decref(page);
	}
	sodium_memzero(key, sizeof key);
	*rows = n;
	return rc;
}

int secure_audit_upgrade(struct store *s, const struct crypt_keys *k, int anchored, int *done)
{
	char expect[65] = "", h[65], id[24], user[24], user0[24];
	int64_t after = 0, first_bad = 0, unkeyed = 0;
	*done = 0;
	/* Rows of an older nrm come first: a trail that starts keyed (or is empty) has none, and
	 * every command that opens the database asks this, so it must be cheap. */
	json_t *first = NULL;
	uint32_t fv;
	int frc = store_audit_page(s, 0, 1, &first);
	bool keyed = !frc && (!json_array_size(first) || hash_kind(str(json_array_get(first, 0), "hash"), &fv) != 0);
	json_decref(first);
	if (frc || keyed)
		return frc;
	for (;;) {
		json_t *page, *row;
		size_t i;
		int rc = store_audit_page(s, after, PAGE, &page);
		if (rc)
			return rc;
		if (!json_array_size(page)) {
			json_decref(page);
			break;
		}
		json_array_foreach(page, i, row) {
			const char *f[NF], *hash = str(row, "hash");
			uint32_t v;
			after = json_integer_value(json_object_get(row, "id"));
			fields_of(row, f, id, user);
			if (hash_kind(hash, &v) != 0) {
				/* Keyed rows a newer command chained after the old ones: the old chain ends. */
				snprintf(expect, sizeof expect, "%s", "");
				continue;
			}
			unkeyed++;
			snprintf(user0, sizeof user0, "%s", f[F_USER] ? f[F_USER] : "0");
			f[F_PREV] = expect;
			legacy_hash(f, user0, h);
			if (!first_bad && (strcmp(h, hash) != 0 || !str(row, "prev_hash") || strcmp(str(row, "prev_hash"), expect) != 0))
				first_bad = after;
			snprintf(expect, sizeof expect, "%s", hash);
		}
		json_decref(page);
	}
	if (!unkeyed)
		return 0;
	if (anchored)
		return NRM_ECONFLICT;
	int64_t rows;
	int rc = remac_all(s, k, &rows);
	if (rc)
		return rc;
	json_t *after_j = json_pack("{s:I, s:I, s:s, s:I}", "rows", (json_int_t)rows, "unkeyed", (json_int_t)unkeyed,
				    "old_chain", first_bad ? "broken" : "intact", "first_bad", (json_int_t)first_bad);
	char *a = json_dumps(after_j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(after_j);
	rc = a ? append(s, k, 0, "cli", "audit_keyed", "database", NULL, NULL, a, NULL) : NRM_ENOMEM;
	free(a);
	if (!rc)
		*done = first_bad ? 2 : 1;
	return rc;
}

int secure_audit_rekey(struct store *s, const struct crypt_keys *k, struct audit_report *r)
{
	int rc = secure_audit_check(s, k, NULL, r);
	if (rc)
		return rc;
	if (r->problem)
		return NRM_ECONFLICT;
	int64_t rows;
	if ((rc = remac_all(s, k, &rows)))
		return rc;
	char a[96];
	snprintf(a, sizeof a, "{\"rows\":%lld,\"version\":%u}", (long long)rows, (unsigned)crypt_key_version(k));
	return append(s, k, 0, "cli", "audit_rekeyed", "database", NULL, NULL, a, NULL);
}

/* ---- anchors ---- */

static void canonical(const json_t *a, char *out, size_t cap)
{
	snprintf(out, cap, "nrm-audit-anchor/1\nrows=%lld\nlast_id=%lld\nhead=%s\nts=%s\nkey=%s\n",
		 (long long)json_integer_value(json_object_get(a, "rows")),
		 (long long)json_integer_value(json_object_get(a, "last_id")), str(a, "head") ? str(a, "head") : "",
		 str(a, "ts") ? str(a, "ts") : "", str(a, "key") ? str(a, "key") : "");
}

int secure_audit_anchor(struct store *s, const struct crypt_keys *k, json_t **out)
{
	char head[AUDIT_HASH_LEN], ts[21], pub[64], msg[512], *sig = NULL;
	int64_t last, rows;
	int rc = store_audit_head(s, &last, head);
	if (!rc)
		rc = store_audit_count(s, &rows);
	if (rc)
		return rc;
	clock_stamp(ts);
	crypt_keys_refresh(k);
	crypt_sign_public(k, pub);
	json_t *a = json_pack("{s:I, s:I, s:s, s:s, s:s}", "rows", (json_int_t)rows, "last_id", (json_int_t)last, "head",
			      head, "ts", ts, "key", pub);
	if (!a)
		return NRM_ENOMEM;
	canonical(a, msg, sizeof msg);
	if ((rc = crypt_sign(k, msg, &sig))) {
		json_decref(a);
		return rc;
	}
	json_object_set_new(a, "signature", json_string(sig));
	free(sig);
	*out = a;
	return 0;
}

int secure_audit_anchor_check(const struct crypt_keys *k, const json_t *anchor)
{
	char msg[512];
	const char *key = str(anchor, "key"), *sig = str(anchor, "signature");
	if (!json_is_object(anchor) || !json_is_integer(json_object_get(anchor, "rows")) ||
	    !json_is_integer(json_object_get(anchor, "last_id")) || !str(anchor, "head") || !str(anchor, "ts") || !key ||
	    !sig || !crypt_public_known(k, key))
		return NRM_EAUTH;
	canonical(anchor, msg, sizeof msg);
	return crypt_verify(key, msg, sig);
}

void secure_audit_anchor_dir(const char *db_path, char *out, size_t cap)
{
	snprintf(out, cap, "%s.backups", db_path);
}

int secure_audit_anchor_write(struct store *s, const struct crypt_keys *k, const char *dir, struct nrm_err *err)
{
	json_t *a = NULL;
	int rc = secure_audit_anchor(s, k, &a);
	if (rc)
		return nrm_fail(err, rc, nrm_key_of_code(rc), NULL, NULL);
	char path[4200], tmp[4300], name[32];
	const char *ts = str(a, "ts");
	/* 2026-11-30T12:00:00Z → 20261130T120000Z: sortable, and no ':' in a file name. */
	size_t o = 0;
	for (size_t i = 0; ts[i] && o + 1 < sizeof name; i++)
		if (ts[i] != '-' && ts[i] != ':')
			name[o++] = ts[i];
	name[o] = '\0';
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		json_decref(a);
		return nrm_fail(err, NRM_EIO, KEY_cannot_write, "anchor", "path", dir, NULL);
	}
	/* Two anchors in one second (start and backup): a counter keeps both. */
	int fd = -1;
	for (int n = 0; n < 100 && fd < 0; n++) {
		if (n)
			snprintf(path, sizeof path, "%s/audit-anchor-%s-%02d.json", dir, name, n);
		else
			snprintf(path, sizeof path, "%s/audit-anchor-%s.json", dir, name);
		snprintf(tmp, sizeof tmp, "%s.new", path);
		struct stat st;
		if (stat(path, &st) == 0)
			continue;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	}
	char *text = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	bool ok = fd >= 0 && text && write(fd, text, strlen(text)) == (ssize_t)strlen(text) && write(fd, "\n", 1) == 1 &&
		  fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	ok = ok && rename(tmp, path) == 0;
	free(text);
	if (!ok) {
		if (fd >= 0)
			unlink(tmp);
		json_decref(a);
		return nrm_fail(err, NRM_EIO, KEY_cannot_write, "anchor", "path", path, NULL);
	}
	char rows[24], last[24];
	snprintf(rows, sizeof rows, "%lld", (long long)json_integer_value(json_object_get(a, "rows")));
	snprintf(last, sizeof last, "%lld", (long long)json_integer_value(json_object_get(a, "last_id")));
	json_t *log = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ts", ts, "level", "info", "msg", "audit_anchor",
				"rows", rows, "last_id", last, "head", str(a, "head"), "file", path);
	char *line = log ? json_dumps(log, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (line)
		fprintf(stderr, "%s\n", line);
	free(line);
	json_decref(log);
	json_decref(a);
	return 0;
}

/* Names sort by time, and within one second by their counter: "<ts>.json" is "<ts>-00". */
static void sort_key(const char *name, char out[256])
{
	size_t n = strlen(name);
	if (n > 5 && name[n - 8] != '-')
		snprintf(out, 256, "%.*s-00", (int)(n - 5), name);
	else
		snprintf(out, 256, "%.*s", (int)(n - 5), name);
}

static int newer(const char *name, const char *than)
{
	char a[256], b[256];
	if (!than[0])
		return 1;
	sort_key(name, a);
	sort_key(than, b);
	return strcmp(a, b) > 0;
}

int secure_audit_anchor_newest(const char *dir, char *out, size_t cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return NRM_ENOTFOUND;
	char best[256] = "";
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, "audit-anchor-", 13) == 0 && n > 5 && strcmp(e->d_name + n - 5, ".json") == 0 &&
		    n < sizeof best && newer(e->d_name, best))
			snprintf(best, sizeof best, "%s", e->d_name);
	}
	closedir(d);
	if (!best[0])
		return NRM_ENOTFOUND;
	snprintf(out, cap, "%s/%s", dir, best);
	return 0;
}
