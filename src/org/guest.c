/* Guests invited to a body's meetings without being members (Order 94 §1.4, Instruction 132
 * §3): prosecutors, the Commissioner for Protection from Discrimination, NGOs. */
#include "core/date.h"
#include "core/input.h"
#include "org/internal.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/org.h"

int org_guests(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err)
{
	json_t *b;
	int rc = store_body_get(c->db, body, &b);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	json_decref(b);
	return store_guests(c->db, body, out);
}

int org_guest_create(struct nrm_ctx *c, int64_t bid, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"name", "organisation", "reason", "start", "end", NULL};
	json_t *body = NULL, *row = NULL;
	const char *name, *org, *reason, *start, *end;
	int32_t sd, ed;
	int64_t id;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_line(in, "name", true, 200, &name, err)) ||
	    (rc = in_line(in, "organisation", false, 200, &org, err)) ||
	    (rc = in_str(in, "reason", false, 1000, &reason, err)) || (rc = in_date(in, "start", true, &start, &sd, err)) ||
	    (rc = in_date(in, "end", false, &end, &ed, err)))
		return rc;
	if (end && ed < sd)
		return nrm_fail(err, NRM_EINVAL, KEY_date_before, "end", "other", "start", NULL);
	if ((rc = org_body_editable(c, bid, &body, err)))
		return rc;
	int32_t est;
	bool before = date_parse(j_str(body, "established"), &est) == 0 && sd < est;
	if (before)
		nrm_fail(err, NRM_EINVAL, KEY_date_before_body, "start", "established", j_str(body, "established"), NULL);
	json_decref(body);
	if (before)
		return NRM_EINVAL;
	if ((rc = store_begin(c->db)) || (rc = store_guest_add(c->db, bid, name, org, reason, start, end, &id)) ||
	    (rc = store_guest_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "guest", id, NULL, row, NULL)) || (rc = store_commit(c->db))) {
		store_rollback(c->db);
		json_decref(row);
		return rc;
	}
	*out = row;
	return 0;
}

int org_guest_end(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"end", NULL};
	json_t *g = NULL, *row = NULL;
	const char *end;
	int32_t ed = 0, sd = 0;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_date(in, "end", false, &end, &ed, err)) ||
	    (rc = store_guest_get(c->db, id, &g)))
		return rc;
	if (!perm_org_edit(c->me, j_int(g, "county_id"))) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_body_not_editable, NULL, NULL);
		goto done;
	}
	date_parse(j_str(g, "start"), &sd);
	if (end && ed < sd) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_date_before, "end", "other", "start", NULL);
		goto done;
	}
	if ((rc = store_begin(c->db)) || (rc = store_guest_set_end(c->db, id, end)) ||
	    (rc = store_guest_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "update", "guest", id, g, row, NULL)) || (rc = store_commit(c->db)))
		goto done;
	*out = row;
	row = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(row);
	json_decref(g);
	return rc;
}
