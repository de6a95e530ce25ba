/* Meetings of a body — for now what the case registry needs: the Authority's meetings that
 * formal identification decisions are recorded against (Instruction 132 §7). */
#include "api/api.h"

#include "core/date.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/case.h"
#include "store/org.h"

void api_meeting_create(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"date", "kind", "title", "location", NULL};
	static const char *const kinds[] = {"ordinary", "extraordinary", NULL};
	json_t *in, *body = NULL, *row = NULL;
	const char *date, *kind, *title, *location;
	int64_t bid, id;
	if (api_path_id(req, resp, 0, &bid) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_date(in, "date", true, &date, NULL, &err)) ||
	    (rc = in_enum(in, "kind", false, kinds, &kind, &err)) || (rc = in_str(in, "title", false, 300, &title, &err)) ||
	    (rc = in_str(in, "location", false, 300, &location, &err)))
		goto fail;
	if ((rc = store_body_get(c->db, bid, &body)))
		goto fail;
	/* The secretariat of the body organises its meetings (I132 §9, O94 §1.7a). */
	bool ok = perm_org_edit(&c->me, api_int(body, "county_id"));
	if (!ok) {
		rc = nrm_fail(&err, NRM_EFORBIDDEN, NULL, "only the body's secretariat records its meetings");
		goto fail;
	}
	if ((rc = store_begin(c->db)) ||
	    (rc = store_meeting_add(c->db, bid, date, kind ? kind : "ordinary", title, location, c->me.id, &id)) ||
	    (rc = store_meeting_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "create", "meeting", id, NULL, row, NULL)) || (rc = store_commit(c->db)))
		goto fail;
	json_object_del(row, "county_id");
fail:
	api_reply(resp, rc, &err, 201, &row);
	json_decref(row);
	json_decref(body);
	json_decref(in);
}

void api_meeting(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	json_t *row;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = store_meeting_get(api_ctx(req)->db, id, &row);
	if (rc) {
		api_error(resp, rc, NULL);
		return;
	}
	json_object_del(row, "county_id");
	http_reply_json(resp, 200, row);
}

void api_meetings(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	json_t *rows;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = store_meetings(api_ctx(req)->db, id, &rows);
	if (rc)
		api_error(resp, rc, NULL);
	else
		api_reply_items(resp, rows);
}
