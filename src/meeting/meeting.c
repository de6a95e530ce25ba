/* Meetings: recording one, reading them. */
#include "meeting/meeting.h"

#include "core/input.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/meeting.h"
#include "store/org.h"

int meeting_create(struct nrm_ctx *c, int64_t bid, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"date", "kind", "title", "location", NULL};
	static const char *const kinds[] = {"ordinary", "extraordinary", NULL};
	json_t *body = NULL, *row = NULL;
	const char *date, *kind, *title, *location;
	int64_t id;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_date(in, "date", true, &date, NULL, err)) ||
	    (rc = in_enum(in, "kind", false, kinds, &kind, err)) || (rc = in_line(in, "title", false, 300, &title, err)) ||
	    (rc = in_line(in, "location", false, 300, &location, err)))
		return rc;
	if ((rc = store_body_get(c->db, bid, &body)))
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	/* The secretariat of the body organises its meetings (I132 §9, O94 §1.7a). */
	bool ok = perm_org_edit(c->me, j_int(body, "county_id"));
	json_decref(body);
	if (!ok)
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_meetings_by_secretariat, NULL, NULL);
	if ((rc = store_begin(c->db)) ||
	    (rc = store_meeting_add(c->db, bid, date, kind ? kind : "ordinary", title, location, c->me->id, &id)) ||
	    (rc = store_meeting_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "meeting", id, NULL, row, NULL)) || (rc = store_commit(c->db))) {
		store_rollback(c->db);
		json_decref(row);
		return rc;
	}
	json_object_del(row, "county_id");
	*out = row;
	return 0;
}

int meeting_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	(void)err;
	json_t *row;
	int rc = store_meeting_get(c->db, id, &row);
	if (rc)
		return rc;
	json_object_del(row, "county_id");
	*out = row;
	return 0;
}

int meeting_list(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err)
{
	(void)err;
	return store_meetings(c->db, body, out);
}
