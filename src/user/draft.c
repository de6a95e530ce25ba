/* Drafts of long forms (user/user.h): the values a user has typed and not yet saved, kept on
 * the server so that an ended session, a closed tab or a crash loses nothing. A draft may
 * hold a victim's personal data, so it is sealed whole (XChaCha20-Poly1305, bound to its
 * user, form and key), only its author reads it back, and it is forgotten DRAFT_DAYS after
 * its last save. Drafts are not audited: they are the author's own typing, read by nobody
 * else; what is saved from them is audited as any change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/input.h"
#include "secure/crypt.h"
#include "store/draft.h"
#include "user/user.h"

/* The sealed value's associated data: its form and key (the user is the id). */
static void context(char out[160], const char *form, const char *key)
{
	snprintf(out, 160, "draft:%s/%s", form, key);
}

/* form and key: 1 to 64 of [a-z0-9_-], so they read well in a path and in a log line. */
static int name_ok(const char *v, const char *field, struct nrm_err *err)
{
	size_t n = v ? strlen(v) : 0;
	if (n == 0 || n > 64 || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n)
		return nrm_fail(err, NRM_EINVAL, KEY_draft_name, field, NULL);
	return 0;
}

static int names_ok(const char *form, const char *key, struct nrm_err *err)
{
	int rc = name_ok(form, "form", err);
	return rc ? rc : name_ok(key, "key", err);
}

int draft_put(struct nrm_ctx *c, const char *form, const char *key, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"data", NULL};
	unsigned char *sealed = NULL;
	size_t n = 0;
	char ctx[160], now[21], before[21];
	int rc;
	if ((rc = names_ok(form, key, err)) || (rc = in_only(in, fields, err)))
		return rc;
	json_t *data = json_object_get(in, "data");
	if (!json_is_object(data))
		return nrm_fail(err, NRM_EINVAL, data ? KEY_not_object : KEY_required, "data", NULL);
	context(ctx, form, key);
	if ((rc = crypt_seal_json(c->keys, c->me->id, ctx, data, &sealed, &n)))
		return rc;
	clock_stamp(now);
	time_t old = clock_now() - (time_t)DRAFT_DAYS * 86400;
	struct tm tm;
	gmtime_r(&old, &tm);
	strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int64_t have = 0, id;
	char max[24];
	if ((rc = store_begin(c->db)) || (rc = store_drafts_purge(c->db, before)) ||
	    (rc = store_drafts_count(c->db, c->me->id, &have)))
		goto fail;
	/* A user keeps a bounded number: a new one beyond it is refused, a kept one is replaced. */
	if (have >= DRAFT_MAX && (rc = store_draft_id(c->db, c->me->id, form, key, &id)) == NRM_ENOTFOUND) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_drafts_too_many, NULL, "max", nrm_num(max, DRAFT_MAX), NULL);
		goto fail;
	}
	if ((rc && rc != NRM_ENOTFOUND) || (rc = store_draft_put(c->db, c->me->id, form, key, sealed, n, now)) ||
	    (rc = store_commit(c->db)))
		goto fail;
	*out = json_pack("{s:s, s:s, s:s}", "form", form, "key", key, "updated_at", now);
	free(sealed);
	return 0;
fail:
	store_rollback(c->db);
	free(sealed);
	return rc;
}

struct opened {
	const struct nrm_ctx *c;
	const char *ctx;
	json_t *data;
	char updated_at[32];
};

static int open_one(const char *updated_at, const unsigned char *blob, size_t len, void *arg)
{
	struct opened *o = arg;
	snprintf(o->updated_at, sizeof o->updated_at, "%s", updated_at);
	return crypt_open_json(o->c->keys, o->c->me->id, o->ctx, blob, len, &o->data);
}

int draft_get(struct nrm_ctx *c, const char *form, const char *key, json_t **out, struct nrm_err *err)
{
	char ctx[160];
	int64_t id;
	int rc;
	if ((rc = names_ok(form, key, err)))
		return rc;
	if ((rc = store_draft_id(c->db, c->me->id, form, key, &id)))
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_draft, NULL, NULL) : rc;
	context(ctx, form, key);
	struct opened o = {.c = c, .ctx = ctx};
	if ((rc = store_draft_each(c->db, id, open_one, &o)))
		return rc;
	if (!o.data)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_draft, NULL, NULL);
	*out = json_pack("{s:s, s:s, s:o, s:s}", "form", form, "key", key, "data", o.data, "updated_at", o.updated_at);
	return 0;
}

int draft_delete(struct nrm_ctx *c, const char *form, const char *key, json_t **out, struct nrm_err *err)
{
	int gone = 0;
	int rc;
	if ((rc = names_ok(form, key, err)))
		return rc;
	if ((rc = store_begin(c->db)) || (rc = store_draft_delete(c->db, c->me->id, form, key, &gone)) ||
	    (rc = store_commit(c->db))) {
		store_rollback(c->db);
		return rc;
	}
	*out = json_pack("{s:b}", "deleted", gone);
	return 0;
}

int draft_list(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	(void)err;
	return store_drafts(c->db, c->me->id, out);
}
