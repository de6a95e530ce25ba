/* The persons who hold or held seats (members of the bodies, not victims: their names are
 * the public record of who represents which institution). */
#include <stdlib.h>

#include "core/input.h"
#include "org/internal.h"
#include "secure/audit.h"
#include "secure/crypt.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/org.h"

int org_persons(struct nrm_ctx *c, const char *q, int64_t after, int limit, json_t **out, struct nrm_err *err)
{
	json_t *in = json_pack("{s:s?}", "q", q);
	const char *s;
	char *folded = NULL;
	int rc = in_str(in, "q", false, 100, &s, err);
	if (!rc && s && crypt_normalise(s, &folded) != 0)
		rc = nrm_fail(err, NRM_EINVAL, KEY_text_invalid, "q", NULL);
	if (!rc)
		rc = store_persons(c->db, folded && *folded ? folded : NULL, after, limit, out);
	free(folded);
	json_decref(in);
	return rc;
}

int org_person(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	(void)err;
	json_t *p = NULL, *m = NULL;
	int rc;
	if ((rc = store_person_get(c->db, id, &p)) || (rc = store_person_memberships(c->db, id, &m))) {
		json_decref(p);
		return rc;
	}
	json_object_set_new(p, "memberships", m);
	*out = p;
	return 0;
}

/* A person's details may be corrected by whoever may edit a body where they hold or held a
 * seat. */
static bool person_editable(struct nrm_ctx *c, int64_t id)
{
	json_t *rows;
	if (c->me->role == ROLE_ADMIN)
		return true;
	if (store_person_counties(c->db, id, &rows))
		return false;
	bool ok = false;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		ok |= perm_org_edit(c->me, j_int(r, "county"));
	json_decref(rows);
	return ok;
}

int org_person_update(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"name", "position", "email", "phone", NULL};
	json_t *before = NULL, *after = NULL;
	const char *name, *position, *email, *phone;
	char *folded = NULL;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = store_person_get(c->db, id, &before)))
		return rc;
	/* Absent members keep their value; null clears an optional one. */
	if ((rc = in_line(in, "name", in_has(in, "name"), 200, &name, err)) ||
	    (rc = in_line(in, "position", false, 200, &position, err)) || (rc = in_email(in, "email", &email, err)) ||
	    (rc = in_line(in, "phone", false, 40, &phone, err)))
		goto done;
	if (!in_has(in, "name"))
		name = j_str(before, "name");
	if (!in_has(in, "position"))
		position = json_string_value(json_object_get(before, "position"));
	if (!in_has(in, "email"))
		email = json_string_value(json_object_get(before, "email"));
	if (!in_has(in, "phone"))
		phone = json_string_value(json_object_get(before, "phone"));
	if (!person_editable(c, id)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_person_not_editable, NULL, NULL);
		goto done;
	}
	if ((rc = crypt_normalise(name, &folded)) || (rc = store_begin(c->db)) ||
	    (rc = store_person_update(c->db, id, name, folded, position, email, phone)) ||
	    (rc = store_person_get(c->db, id, &after)) ||
	    (rc = secure_audit_id(c->db, c->me, "update", "person", id, before, after, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	*out = after;
	after = NULL;
done:
	if (rc)
		store_rollback(c->db);
	free(folded);
	json_decref(after);
	json_decref(before);
	return rc;
}
