/* Who sits where: nominations to seats (with replacement in one step), the persons who hold
 * seats, and the guests invited to a body (Order 94 §1.4, Instruction 132 §3). */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "secure/audit.h"
#include "secure/crypt.h"
#include "secure/perm.h"
#include "store/org.h"

/* Ends the memberships that a new one from `start` replaces; refuses when another nomination
 * begins on or after `start` and overlaps (that one must be corrected first). */
static int make_room(struct api_ctx *c, json_t *hist, int64_t person, int32_t start, int32_t end, json_t **replaced,
		     struct nrm_err *err)
{
	size_t i;
	json_t *n;
	json_array_foreach(hist, i, n) {
		int32_t ns = 0, ne = INT32_MAX;
		date_parse(api_str(n, "start"), &ns);
		if (*api_str(n, "end"))
			date_parse(api_str(n, "end"), &ne);
		if (ns > end || ne < start)
			continue;
		if (api_int(n, "person") == person && ns <= start)
			return nrm_fail(err, NRM_ECONFLICT, "person", "this person already holds the seat from %s",
					api_str(n, "start"));
		if (ns >= start)
			return nrm_fail(err, NRM_ECONFLICT, "start",
					"the seat already has a nomination from %s; end or delete that one first",
					api_str(n, "start"));
		char newend[DATE_LEN];
		date_format(start - 1, newend);
		int rc = store_nomination_set_end(c->db, api_int(n, "id"), newend);
		if (rc)
			return rc;
		json_t *before = json_pack("{s:O}", "end", json_object_get(n, "end"));
		json_t *after = json_pack("{s:s}", "end", newend);
		rc = secure_audit_id(c->db, &c->me, "end", "nomination", api_int(n, "id"), before, after, "replaced");
		json_decref(before);
		json_decref(after);
		if (rc)
			return rc;
		json_decref(*replaced);
		*replaced = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)api_int(n, "id"), "person",
				      (json_int_t)api_int(n, "person"), "name", api_str(n, "name"), "end", newend);
	}
	return 0;
}

void api_nomination_create(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"person", "name", "position", "email", "phone", "start", "end", "note", NULL};
	json_t *in, *seat = NULL, *body = NULL, *hist = NULL, *replaced = NULL, *row = NULL, *tmp;
	const char *name, *position, *email, *phone, *start, *end, *note;
	int32_t sd, ed = INT32_MAX;
	int64_t sid, person, id;
	if (api_path_id(req, resp, 0, &sid) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_int(in, "person", false, &person, &err)) ||
	    (rc = in_str(in, "name", !in_has(in, "person"), 200, &name, &err)) ||
	    (rc = in_str(in, "position", false, 200, &position, &err)) ||
	    (rc = in_str(in, "email", false, 200, &email, &err)) || (rc = in_str(in, "phone", false, 40, &phone, &err)) ||
	    (rc = in_date(in, "start", true, &start, &sd, &err)) || (rc = in_date(in, "end", false, &end, &ed, &err)) ||
	    (rc = in_str(in, "note", false, 1000, &note, &err)))
		goto fail;
	if (!end)
		ed = INT32_MAX;
	if (end && ed < sd) {
		rc = nrm_fail(&err, NRM_EINVAL, "end", "end must not be before start");
		goto fail;
	}
	if (email && !strchr(email, '@')) {
		rc = nrm_fail(&err, NRM_EINVAL, "email", "email must be an e-mail address");
		goto fail;
	}
	if ((rc = store_seat_get(c->db, sid, &seat)) ||
	    (rc = api_body_editable(c, api_int(seat, "body"), &body, &err)))
		goto fail;
	if (person && store_person_get(c->db, person, &tmp) != 0) {
		rc = nrm_fail(&err, NRM_EINVAL, "person", "unknown person");
		goto fail;
	}
	if (person)
		json_decref(tmp);
	if ((rc = store_begin(c->db)) || (rc = store_seat_nominations(c->db, sid, &hist)))
		goto fail;
	if (!person) {
		char *folded = NULL;
		if ((rc = crypt_normalise(name, &folded)))
			goto fail;
		rc = store_person_add(c->db, name, folded, position, email, phone, api_int(seat, "institution_id"), &person);
		free(folded);
		if (rc)
			goto fail;
	}
	if ((rc = make_room(c, hist, person, sd, ed, &replaced, &err)) ||
	    (rc = store_nomination_add(c->db, sid, person, start, end, note, c->me.id, &id)) ||
	    (rc = store_nomination_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "create", "nomination", id, NULL, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto fail;
	json_object_set_new(row, "replaced", replaced ? replaced : json_null());
	replaced = NULL;
fail:
	api_reply(resp, rc, &err, 201, &row);
	json_decref(replaced);
	json_decref(row);
	json_decref(hist);
	json_decref(body);
	json_decref(seat);
	json_decref(in);
}

/* Loads nomination id and checks the caller may edit its body. */
static int editable_nomination(struct api_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	int rc = store_nomination_get(c->db, id, out);
	if (rc)
		return rc;
	if (!perm_org_edit(&c->me, api_int(*out, "county_id"))) {
		json_decref(*out);
		*out = NULL;
		return nrm_fail(err, NRM_EFORBIDDEN, NULL, "your role may not edit this body");
	}
	return 0;
}

void api_nomination_update(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"end", NULL};
	json_t *in, *n = NULL, *hist = NULL, *row = NULL;
	const char *end;
	int32_t ed = 0, sd = 0;
	int64_t id;
	if (api_path_id(req, resp, 0, &id) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_date(in, "end", false, &end, &ed, &err)) ||
	    (rc = editable_nomination(c, id, &n, &err)))
		goto fail;
	date_parse(api_str(n, "start"), &sd);
	if (end && ed < sd) {
		rc = nrm_fail(&err, NRM_EINVAL, "end", "end must not be before the start of the membership (%s)",
			      api_str(n, "start"));
		goto fail;
	}
	if ((rc = store_begin(c->db)) || (rc = store_seat_nominations(c->db, api_int(n, "seat"), &hist)))
		goto fail;
	size_t i;
	json_t *o;
	json_array_foreach(hist, i, o) {
		int32_t os = 0;
		date_parse(api_str(o, "start"), &os);
		if (api_int(o, "id") != id && os > sd && (!end || os <= ed)) {
			rc = nrm_fail(&err, NRM_ECONFLICT, "end", "a later membership starts on %s", api_str(o, "start"));
			goto fail;
		}
	}
	json_t *before = json_pack("{s:O}", "end", json_object_get(n, "end")), *after = json_pack("{s:s?}", "end", end);
	rc = store_nomination_set_end(c->db, id, end);
	if (!rc)
		rc = secure_audit_id(c->db, &c->me, "end", "nomination", id, before, after, NULL);
	json_decref(before);
	json_decref(after);
	if (rc)
		goto fail;
	if ((rc = store_nomination_get(c->db, id, &row)) || (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 200, &row);
	json_decref(hist);
	json_decref(n);
	json_decref(in);
}

void api_nomination_delete(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	json_t *n = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc;
	if ((rc = editable_nomination(c, id, &n, &err)) || (rc = store_begin(c->db)) ||
	    (rc = store_nomination_delete(c->db, id)) ||
	    (rc = secure_audit_id(c->db, &c->me, "delete", "nomination", id, n, NULL, "entered in error")) ||
	    (rc = store_commit(c->db))) {
		store_rollback(c->db);
		api_error(resp, rc, &err);
	} else {
		http_reply_json(resp, 200, json_pack("{s:b}", "ok", 1));
	}
	json_decref(n);
}

void api_persons(struct http_req *req, struct http_resp *resp)
{
	int64_t after;
	int limit;
	json_t *rows;
	if (api_page(req, resp, &after, &limit))
		return;
	const char *q = http_query(req, "q");
	if (q && strlen(q) > 100) {
		api_fail(resp, NRM_EINVAL, "q", "q is longer than 100 characters");
		return;
	}
	char *folded = NULL;
	if (q && *q && crypt_normalise(q, &folded) != 0) {
		api_fail(resp, NRM_EINVAL, "q", "q is not valid text");
		return;
	}
	int rc = store_persons(api_ctx(req)->db, folded && *folded ? folded : NULL, after, limit, &rows);
	free(folded);
	if (rc)
		api_error(resp, rc, NULL);
	else
		api_reply_page(resp, rows, limit);
}

void api_person(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t id;
	json_t *p = NULL, *m = NULL;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc;
	if ((rc = store_person_get(c->db, id, &p)) || (rc = store_person_memberships(c->db, id, &m))) {
		json_decref(p);
		api_error(resp, rc, NULL);
		return;
	}
	json_object_set_new(p, "memberships", m);
	http_reply_json(resp, 200, p);
}

/* A person's details may be corrected by whoever may edit a body where they hold or held a
 * seat. */
static bool person_editable(struct api_ctx *c, int64_t id)
{
	json_t *rows;
	if (c->me.role == ROLE_ADMIN)
		return true;
	if (store_person_counties(c->db, id, &rows))
		return false;
	bool ok = false;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		ok |= perm_org_edit(&c->me, api_int(r, "county"));
	json_decref(rows);
	return ok;
}

void api_person_update(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"name", "position", "email", "phone", NULL};
	json_t *in, *before = NULL, *after = NULL;
	const char *name, *position, *email, *phone;
	int64_t id;
	if (api_path_id(req, resp, 0, &id) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = store_person_get(c->db, id, &before)))
		goto fail;
	/* Absent fields keep their value; null clears an optional one. */
	if ((rc = in_str(in, "name", in_has(in, "name"), 200, &name, &err)) ||
	    (rc = in_str(in, "position", false, 200, &position, &err)) ||
	    (rc = in_str(in, "email", false, 200, &email, &err)) || (rc = in_str(in, "phone", false, 40, &phone, &err)))
		goto fail;
	if (!in_has(in, "name"))
		name = api_str(before, "name");
	if (!in_has(in, "position"))
		position = json_string_value(json_object_get(before, "position"));
	if (!in_has(in, "email"))
		email = json_string_value(json_object_get(before, "email"));
	if (!in_has(in, "phone"))
		phone = json_string_value(json_object_get(before, "phone"));
	if (email && !strchr(email, '@')) {
		rc = nrm_fail(&err, NRM_EINVAL, "email", "email must be an e-mail address");
		goto fail;
	}
	if (!person_editable(c, id)) {
		rc = nrm_fail(&err, NRM_EFORBIDDEN, NULL, "your role may not edit this person");
		goto fail;
	}
	char *folded = NULL;
	if ((rc = crypt_normalise(name, &folded)))
		goto fail;
	rc = store_begin(c->db);
	if (!rc)
		rc = store_person_update(c->db, id, name, folded, position, email, phone);
	free(folded);
	if (rc ||
	    (rc = store_person_get(c->db, id, &after)) ||
	    (rc = secure_audit_id(c->db, &c->me, "update", "person", id, before, after, NULL)) ||
	    (rc = store_commit(c->db)))
		goto fail;
	http_reply_json(resp, 200, after);
	after = NULL;
	goto done;
fail:
	store_rollback(c->db);
	api_error(resp, rc, &err);
done:
	json_decref(after);
	json_decref(before);
	json_decref(in);
}

void api_guests(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	json_t *rows, *b;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = store_body_get(api_ctx(req)->db, id, &b);
	if (!rc) {
		json_decref(b);
		rc = store_guests(api_ctx(req)->db, id, &rows);
	}
	if (rc)
		api_error(resp, rc, NULL);
	else
		api_reply_items(resp, rows);
}

void api_guest_create(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"name", "organisation", "reason", "start", "end", NULL};
	json_t *in, *body = NULL, *row = NULL;
	const char *name, *org, *reason, *start, *end;
	int32_t sd, ed;
	int64_t bid, id;
	if (api_path_id(req, resp, 0, &bid) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_str(in, "name", true, 200, &name, &err)) ||
	    (rc = in_str(in, "organisation", false, 200, &org, &err)) ||
	    (rc = in_str(in, "reason", false, 1000, &reason, &err)) || (rc = in_date(in, "start", true, &start, &sd, &err)) ||
	    (rc = in_date(in, "end", false, &end, &ed, &err)))
		goto fail;
	if (end && ed < sd) {
		rc = nrm_fail(&err, NRM_EINVAL, "end", "end must not be before start");
		goto fail;
	}
	if ((rc = api_body_editable(c, bid, &body, &err)) || (rc = store_begin(c->db)) ||
	    (rc = store_guest_add(c->db, bid, name, org, reason, start, end, &id)) ||
	    (rc = store_guest_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "create", "guest", id, NULL, row, NULL)) || (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 201, &row);
	json_decref(row);
	json_decref(body);
	json_decref(in);
}

void api_guest_update(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"end", NULL};
	json_t *in, *g = NULL, *row = NULL;
	const char *end;
	int32_t ed = 0, sd = 0;
	int64_t id;
	if (api_path_id(req, resp, 0, &id) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_date(in, "end", false, &end, &ed, &err)) ||
	    (rc = store_guest_get(c->db, id, &g)))
		goto fail;
	if (!perm_org_edit(&c->me, api_int(g, "county_id"))) {
		rc = nrm_fail(&err, NRM_EFORBIDDEN, NULL, "your role may not edit this body");
		goto fail;
	}
	date_parse(api_str(g, "start"), &sd);
	if (end && ed < sd) {
		rc = nrm_fail(&err, NRM_EINVAL, "end", "end must not be before start");
		goto fail;
	}
	if ((rc = store_begin(c->db)) || (rc = store_guest_set_end(c->db, id, end)) ||
	    (rc = store_guest_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "update", "guest", id, g, row, NULL)) || (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 200, &row);
	json_decref(row);
	json_decref(g);
	json_decref(in);
}
