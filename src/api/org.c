/* The organisation registry over HTTP: counties, municipalities, institutions, bodies,
 * seats, nominations, persons and guests (src/org/). */
#include "api/api.h"

#include "org/org.h"

void api_counties(struct http_req *r, struct http_resp *p) { api_call_all(r, p, org_counties); }

void api_county(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = org_county(api_nrm(req), http_param(req, 0), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_municipalities(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t county;
	if (api_query_county(req, resp, &county))
		return;
	int rc = org_municipalities(api_nrm(req), county, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_institution_types(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = org_institution_types(api_nrm(req), &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_institutions(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t county, after;
	int limit;
	if (api_query_county(req, resp, &county) || api_page(req, resp, &after, &limit))
		return;
	int rc = org_institutions(api_nrm(req), county, http_query(req, "type"), after, limit, &out, &err);
	api_reply_items(resp, rc, &err, &out, limit);
}

void api_bodies(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t county;
	if (api_query_county(req, resp, &county))
		return;
	int rc = org_bodies(api_nrm(req), http_query(req, "kind"), county, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_seats_overview(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = org_seats_overview(api_nrm(req), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_nominations_overdue(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t county;
	if (api_query_county(req, resp, &county))
		return;
	int rc = org_nominations_overdue(api_nrm(req), county, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_persons(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t after;
	int limit;
	if (api_page(req, resp, &after, &limit))
		return;
	int rc = org_persons(api_nrm(req), http_query(req, "q"), after, limit, &out, &err);
	api_reply_items(resp, rc, &err, &out, limit);
}

void api_guests(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = org_guests(api_nrm(req), id, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

/* The nomination's removal answers {"ok": true}. */
static int nomination_delete(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	int rc = org_nomination_delete(c, id, err);
	if (!rc)
		*out = json_pack("{s:b}", "ok", 1);
	return rc;
}

void api_institution_create(struct http_req *r, struct http_resp *p) { api_call_in(r, p, org_institution_create, 201); }
void api_body_show(struct http_req *r, struct http_resp *p) { api_call_id(r, p, org_body, 200); }
void api_body_create(struct http_req *r, struct http_resp *p) { api_call_in(r, p, org_body_create, 201); }
void api_seat(struct http_req *r, struct http_resp *p) { api_call_id(r, p, org_seat, 200); }
void api_seat_create(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, org_seat_create, 201); }
void api_nomination_create(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, org_nominate, 201); }
void api_nomination_update(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, org_nomination_end, 200); }
void api_nomination_delete(struct http_req *r, struct http_resp *p) { api_call_id(r, p, nomination_delete, 200); }
void api_person(struct http_req *r, struct http_resp *p) { api_call_id(r, p, org_person, 200); }
void api_person_update(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, org_person_update, 200); }
void api_guest_create(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, org_guest_create, 201); }
void api_guest_update(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, org_guest_end, 200); }
