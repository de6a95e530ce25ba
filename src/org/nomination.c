/* Who sits where: nominations to seats, with the replacement of a holder in one step. */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "org/internal.h"
#include "secure/audit.h"
#include "secure/crypt.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/org.h"

/* Ends the memberships that a new one from `start` replaces; refuses when another nomination
 * begins on or after `start` and overlaps (that one must be corrected first). */
static int make_room(struct nrm_ctx *c, json_t *hist, int64_t person, int32_t start, int32_t end, json_t **replaced,
		     struct nrm_err *err)
{
	size_t i;
	json_t *n;
	json_array_foreach(hist, i, n) {
		int32_t ns = 0, ne = INT32_MAX;
		date_parse(j_str(n, "start"), &ns);
		if (*j_str(n, "end"))
			date_parse(j_str(n, "end"), &ne);
		if (ns > end || ne < start)
			continue;
		if (j_int(n, "person") == person && ns <= start)
			return nrm_fail(err, NRM_ECONFLICT, KEY_person_holds_seat, "person", "start", j_str(n, "start"), NULL);
		if (ns >= start)
			return nrm_fail(err, NRM_ECONFLICT, KEY_seat_taken, "start", "start", j_str(n, "start"), NULL);
		char newend[DATE_LEN];
		date_format(start - 1, newend);
		int rc = store_nomination_set_end(c->db, j_int(n, "id"), newend);
		if (rc)
			return rc;
		json_t *before = json_pack("{s:O}", "end", json_object_get(n, "end"));
		json_t *after = json_pack("{s:s}", "end", newend);
		rc = secure_audit_id(c->db, c->me, "end", "nomination", j_int(n, "id"), before, after, "replaced");
		json_decref(before);
		json_decref(after);
		if (rc)
			return rc;
		json_decref(*replaced);
		*replaced = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)j_int(n, "id"), "person",
				      (json_int_t)j_int(n, "person"), "name", j_str(n, "name"), "end", newend);
	}
	return 0;
}

int org_nominate(struct nrm_ctx *c, int64_t sid, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"person", "name", "position", "email", "phone", "start", "end", "note", NULL};
	json_t *seat = NULL, *body = NULL, *hist = NULL, *replaced = NULL, *row = NULL, *known = NULL;
	const char *name, *position, *email, *phone, *start, *end, *note;
	int32_t sd, ed = INT32_MAX, est;
	int64_t person, id;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_int(in, "person", false, &person, err)) ||
	    (rc = in_line(in, "name", !in_has(in, "person"), 200, &name, err)) ||
	    (rc = in_line(in, "position", false, 200, &position, err)) || (rc = in_email(in, "email", &email, err)) ||
	    (rc = in_line(in, "phone", false, 40, &phone, err)) || (rc = in_date(in, "start", true, &start, &sd, err)) ||
	    (rc = in_date(in, "end", false, &end, &ed, err)) || (rc = in_str(in, "note", false, 1000, &note, err)))
		return rc;
	if (!end)
		ed = INT32_MAX;
	if (end && ed < sd)
		return nrm_fail(err, NRM_EINVAL, KEY_date_before, "end", "other", "start", NULL);
	if ((rc = store_seat_get(c->db, sid, &seat)))
		return rc;
	if ((rc = org_body_editable(c, j_int(seat, "body"), &body, err)))
		goto done;
	/* Nobody sits on a body before it exists. */
	if (date_parse(j_str(body, "established"), &est) == 0 && sd < est) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_date_before_body, "start", "established", j_str(body, "established"), NULL);
		goto done;
	}
	if (person && store_person_get(c->db, person, &known) != 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_person, "person", NULL);
		goto done;
	}
	if ((rc = store_begin(c->db)) || (rc = store_seat_nominations(c->db, sid, &hist)))
		goto done;
	if (!person) {
		char *folded = NULL;
		if ((rc = crypt_normalise(name, &folded)))
			goto done;
		rc = store_person_add(c->db, name, folded, position, email, phone, j_int(seat, "institution_id"), &person);
		free(folded);
		if (rc)
			goto done;
	}
	if ((rc = make_room(c, hist, person, sd, ed, &replaced, err)) ||
	    (rc = store_nomination_add(c->db, sid, person, start, end, note, c->me->id, &id)) ||
	    (rc = store_nomination_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "nomination", id, NULL, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	json_object_set_new(row, "replaced", replaced ? replaced : json_null());
	replaced = NULL;
	*out = row;
	row = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(replaced);
	json_decref(row);
	json_decref(hist);
	json_decref(known);
	json_decref(body);
	json_decref(seat);
	return rc;
}

/* Loads nomination id when the caller may edit its body. */
static int editable(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *n;
	int rc = store_nomination_get(c->db, id, &n);
	if (rc)
		return rc;
	if (!perm_org_edit(c->me, j_int(n, "county_id"))) {
		json_decref(n);
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_body_not_editable, NULL, NULL);
	}
	*out = n;
	return 0;
}

int org_nomination_end(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"end", NULL};
	json_t *n = NULL, *hist = NULL, *row = NULL, *before = NULL, *after = NULL;
	const char *end;
	int32_t ed = 0, sd = 0;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_date(in, "end", false, &end, &ed, err)) ||
	    (rc = editable(c, id, &n, err)))
		return rc;
	date_parse(j_str(n, "start"), &sd);
	if (end && ed < sd) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_end_before_membership, "end", "start", j_str(n, "start"), NULL);
		goto done;
	}
	if ((rc = store_begin(c->db)) || (rc = store_seat_nominations(c->db, j_int(n, "seat"), &hist)))
		goto done;
	size_t i;
	json_t *o;
	json_array_foreach(hist, i, o) {
		int32_t os = 0;
		date_parse(j_str(o, "start"), &os);
		if (j_int(o, "id") != id && os > sd && (!end || os <= ed)) {
			rc = nrm_fail(err, NRM_ECONFLICT, KEY_later_membership, "end", "start", j_str(o, "start"), NULL);
			goto done;
		}
	}
	before = json_pack("{s:O}", "end", json_object_get(n, "end"));
	after = json_pack("{s:s?}", "end", end);
	if ((rc = store_nomination_set_end(c->db, id, end)) ||
	    (rc = secure_audit_id(c->db, c->me, "end", "nomination", id, before, after, NULL)) ||
	    (rc = store_nomination_get(c->db, id, &row)) || (rc = store_commit(c->db)))
		goto done;
	*out = row;
	row = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(row);
	json_decref(before);
	json_decref(after);
	json_decref(hist);
	json_decref(n);
	return rc;
}

int org_nomination_delete(struct nrm_ctx *c, int64_t id, struct nrm_err *err)
{
	json_t *n = NULL;
	int rc;
	if ((rc = editable(c, id, &n, err)))
		return rc;
	if ((rc = store_begin(c->db)) || (rc = store_nomination_delete(c->db, id)) ||
	    (rc = secure_audit_id(c->db, c->me, "delete", "nomination", id, n, NULL, "entered in error")) ||
	    (rc = store_commit(c->db)))
		store_rollback(c->db);
	json_decref(n);
	return rc;
}
