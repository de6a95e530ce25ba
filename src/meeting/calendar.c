/* A personal calendar feed per user (RFC 5545) behind a secret, revocable address: the meetings
 * of every body the user reads, from three months back, cancelled ones included so that the
 * calendars remove them. Only the SHA-256 of the secret is kept; it is shown once. The feed
 * carries no case reference, like every calendar entry of nrm. */
#include "meeting/internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "meeting/ics.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/meeting.h"
#include "store/user.h"

#define SECRET_BYTES 32

static void hash_of(const char *token, char out[2 * crypto_hash_sha256_BYTES + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof h);
}

int meeting_feed_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {NULL};
	unsigned char r[SECRET_BYTES];
	char token[2 * SECRET_BYTES + 1], hash[2 * crypto_hash_sha256_BYTES + 1];
	int rc = in_only(in, fields, err);
	if (rc)
		return rc;
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(token, sizeof token, r, sizeof r);
	hash_of(token, hash);
	if ((rc = store_begin(c->db)) || (rc = store_feed_set(c->db, c->me->id, hash)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "calendar_feed", c->me->id, NULL, NULL, NULL)) ||
	    (rc = store_commit(c->db))) {
		store_rollback(c->db);
		return rc;
	}
	char path[160];
	snprintf(path, sizeof path, "/api/v1/calendar/%s.ics", token);
	*out = json_pack("{s:s}", "path", path);
	return 0;
}

int meeting_feed_delete(struct nrm_ctx *c, struct nrm_err *err)
{
	int rc = store_begin(c->db);
	if (!rc)
		rc = store_feed_delete(c->db, c->me->id);
	if (!rc)
		rc = secure_audit_id(c->db, c->me, "delete", "calendar_feed", c->me->id, NULL, NULL, NULL);
	if (!rc)
		rc = store_commit(c->db);
	if (rc) {
		store_rollback(c->db);
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_not_found, NULL, NULL) : rc;
	}
	return 0;
}

int meeting_feed(struct nrm_ctx *c, const char *file, char **out, struct nrm_err *err)
{
	char token[2 * SECRET_BYTES + 1], hash[2 * crypto_hash_sha256_BYTES + 1], first[DATE_LEN];
	size_t n = file ? strlen(file) : 0;
	/* The secret, then ".ics": anything else is no feed, as an unknown secret is. */
	if (n != 2 * SECRET_BYTES + 4 || strcmp(file + 2 * SECRET_BYTES, ".ics") != 0)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_not_found, NULL, NULL);
	snprintf(token, sizeof token, "%.*s", 2 * SECRET_BYTES, file);
	hash_of(token, hash);
	json_t *user = NULL, *rows = NULL, *events = json_array(), *m, *agenda;
	struct principal p;
	int64_t uid;
	int rc = store_feed_user(c->db, hash, &uid);
	if (rc == 0 && (rc = store_user_get(c->db, uid, &user)) == 0 &&
	    (json_is_true(json_object_get(user, "disabled")) || secure_principal_of(user, &p) != 0))
		rc = NRM_ENOTFOUND;
	if (rc) {
		rc = rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_not_found, NULL, NULL) : rc;
		goto done;
	}
	struct nrm_ctx as = *c;
	as.me = &p;
	date_format(date_add_months(c->today, -3), first);
	if ((rc = store_meetings_between(c->db, -1, first, NULL, &rows)))
		goto done;
	size_t i;
	json_array_foreach(rows, i, m) {
		if (meeting_access_of(&as, m) == MA_NONE)
			continue;
		if ((rc = store_agenda(c->db, j_int(m, "id"), &agenda)))
			goto done;
		json_array_append_new(events, meeting_event(&as, m, agenda));
		json_decref(agenda);
	}
	rc = meeting_ics(events, "nrm — mbledhjet", out);
done:
	json_decref(user);
	json_decref(rows);
	json_decref(events);
	return rc;
}
