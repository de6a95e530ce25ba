/* Organisation registry resources: counties, municipalities, institutions, bodies and their
 * seats, with each seat's member and vacant / filled / overdue status (Order 94 §6.1). */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/org.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/org.h"

void api_counties(struct http_req *req, struct http_resp *resp)
{
	json_t *rows;
	int rc = store_counties(api_ctx(req)->db, &rows);
	if (rc) {
		api_error(resp, rc, NULL);
		return;
	}
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_object_set(r, "name", json_object_get(r, "name_sq"));
		json_object_del(r, "name_sq");
	}
	api_reply_items(resp, rows);
}

/* Adds status, deadline and days_overdue to a seat row from store_seats. */
static void seat_decorate(json_t *seat, int32_t today)
{
	int32_t est = 0, vacated = 0, deadline = 0;
	date_parse(api_str(seat, "established"), &est);
	const char *le = api_str(seat, "last_end");
	if (*le && date_parse(le, &vacated) == 0)
		vacated += 1;
	int days = (int)api_int(seat, "nomination_days");
	bool has = est && org_nomination_deadline(est, days, vacated, &deadline) == 0;
	bool held = !json_is_null(json_object_get(seat, "member")) || !json_is_null(json_object_get(seat, "upcoming"));
	enum org_seat_status st = org_seat_status(held, has, deadline, today);
	json_object_set_new(seat, "status", json_string(org_seat_status_name(st)));
	if (has && !held) {
		char d[DATE_LEN];
		date_format(deadline, d);
		json_object_set_new(seat, "deadline", json_string(d));
	} else {
		json_object_set_new(seat, "deadline", json_null());
	}
	json_object_set_new(seat, "days_overdue", json_integer(st == SEAT_OVERDUE ? today - deadline : 0));
	json_object_set(seat, "label", json_object_get(seat, "label_sq"));
	json_object_del(seat, "label_sq");
	json_object_del(seat, "established");
	json_object_del(seat, "nomination_days");
}

int api_seats_load(struct api_ctx *c, int64_t body, int64_t county, int national, json_t **out)
{
	char today[DATE_LEN];
	date_format(c->today, today);
	int rc = store_seats(c->db, body, county, national, today, out);
	if (rc)
		return rc;
	size_t i;
	json_t *s;
	json_array_foreach(*out, i, s)
		seat_decorate(s, c->today);
	return 0;
}

/* {"seats": n, "filled": n, "vacant": n, "overdue": n} over seats (optionally of one body). */
static json_t *summary(json_t *seats, int64_t body)
{
	int n = 0, filled = 0, vacant = 0, overdue = 0;
	size_t i;
	json_t *s;
	json_array_foreach(seats, i, s) {
		if (body && api_int(s, "body") != body)
			continue;
		n++;
		const char *st = api_str(s, "status");
		if (strcmp(st, "filled") == 0)
			filled++;
		else if (strcmp(st, "overdue") == 0)
			overdue++, vacant++;
		else
			vacant++;
	}
	return json_pack("{s:i, s:i, s:i, s:i}", "seats", n, "filled", filled, "vacant", vacant, "overdue", overdue);
}

static void body_present(json_t *b)
{
	json_object_set(b, "name", json_object_get(b, "name_sq"));
	json_object_del(b, "name_sq");
	json_object_del(b, "county_id");
}

void api_county(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t id;
	json_t *county = NULL, *munis = NULL, *bodies = NULL, *seats = NULL;
	int rc;
	if ((rc = store_county_id(c->db, http_param(req, 0), &id)) || (rc = store_county_get(c->db, id, &county)) ||
	    (rc = store_municipalities(c->db, id, &munis)) || (rc = store_bodies(c->db, NULL, id, &bodies)) ||
	    (rc = api_seats_load(c, 0, id, 0, &seats)))
		goto fail;
	size_t i;
	json_t *b;
	json_array_foreach(bodies, i, b) {
		json_object_set_new(b, "summary", summary(seats, api_int(b, "id")));
		body_present(b);
	}
	json_object_set(county, "name", json_object_get(county, "name_sq"));
	json_object_del(county, "name_sq");
	json_object_set_new(county, "municipalities", munis);
	json_object_set_new(county, "bodies", bodies);
	json_object_set_new(county, "summary", summary(seats, 0));
	json_object_set_new(county, "can_edit", json_boolean(perm_org_edit(&c->me, id)));
	json_decref(seats);
	http_reply_json(resp, 200, county);
	return;
fail:
	json_decref(county);
	json_decref(munis);
	json_decref(bodies);
	json_decref(seats);
	api_error(resp, rc, NULL);
}

void api_municipalities(struct http_req *req, struct http_resp *resp)
{
	int64_t county;
	json_t *rows;
	if (api_query_county(req, resp, &county))
		return;
	int rc = store_municipalities(api_ctx(req)->db, county, &rows);
	if (rc)
		api_error(resp, rc, NULL);
	else
		api_reply_items(resp, rows);
}

void api_institution_types(struct http_req *req, struct http_resp *resp)
{
	json_t *rows;
	int rc = store_institution_types(api_ctx(req)->db, &rows);
	if (rc)
		api_error(resp, rc, NULL);
	else
		api_reply_items(resp, rows);
}

void api_institutions(struct http_req *req, struct http_resp *resp)
{
	int64_t county, after;
	int limit;
	json_t *rows;
	if (api_query_county(req, resp, &county) || api_page(req, resp, &after, &limit))
		return;
	const char *type = http_query(req, "type");
	int rc = store_institutions(api_ctx(req)->db, county, type && *type ? type : NULL, after, limit, &rows);
	if (rc)
		api_error(resp, rc, NULL);
	else
		api_reply_page(resp, rows, limit);
}

void api_institution_create(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"type", "name", "name_en", "county", "municipality", NULL};
	json_t *in, *row = NULL, *muni = NULL;
	const char *type, *name, *name_en, *cslug, *mslug;
	int64_t county = 0, municipality = 0, id;
	if (api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_str(in, "type", true, 64, &type, &err)) ||
	    (rc = in_str(in, "name", true, 200, &name, &err)) || (rc = in_str(in, "name_en", false, 200, &name_en, &err)) ||
	    (rc = in_str(in, "county", false, 40, &cslug, &err)) ||
	    (rc = in_str(in, "municipality", false, 60, &mslug, &err)))
		goto fail;
	if (store_institution_type_exists(c->db, type) != 0) {
		rc = nrm_fail(&err, NRM_EINVAL, "type", "unknown institution type");
		goto fail;
	}
	if (cslug && store_county_id(c->db, cslug, &county) != 0) {
		rc = nrm_fail(&err, NRM_EINVAL, "county", "unknown county");
		goto fail;
	}
	if (mslug) {
		if (store_municipality_get(c->db, mslug, &muni) != 0) {
			rc = nrm_fail(&err, NRM_EINVAL, "municipality", "unknown municipality");
			goto fail;
		}
		municipality = api_int(muni, "id");
		if (county && county != api_int(muni, "county_id")) {
			rc = nrm_fail(&err, NRM_EINVAL, "municipality", "the municipality is not in that county");
			goto fail;
		}
		county = api_int(muni, "county_id");
	}
	if (!perm_institution_edit(&c->me, county)) {
		rc = NRM_EFORBIDDEN;
		goto fail;
	}
	if ((rc = store_begin(c->db)))
		goto fail;
	if ((rc = store_institution_add(c->db, type, county, municipality, name, name_en, &id)) ||
	    (rc = store_institution_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "create", "institution", id, NULL, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 201, &row);
	json_decref(row);
	json_decref(muni);
	json_decref(in);
}

void api_bodies(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t county;
	json_t *rows = NULL, *seats = NULL;
	if (api_query_county(req, resp, &county))
		return;
	const char *kind = http_query(req, "kind");
	if (kind && *kind && org_kind_parse(kind) < 0) {
		api_fail(resp, NRM_EINVAL, "kind",
			 "kind must be one of: authority, authority_secretariat, krat, technical_table, krat_secretariat, municipal_group");
		return;
	}
	int rc;
	if ((rc = store_bodies(c->db, kind && *kind ? kind : NULL, county, &rows)) ||
	    (rc = api_seats_load(c, 0, county, 0, &seats))) {
		json_decref(rows);
		api_error(resp, rc, NULL);
		return;
	}
	size_t i;
	json_t *b;
	json_array_foreach(rows, i, b) {
		json_object_set_new(b, "summary", summary(seats, api_int(b, "id")));
		body_present(b);
	}
	json_decref(seats);
	api_reply_items(resp, rows);
}

void api_body_show(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t id;
	json_t *body = NULL, *seats = NULL, *guests = NULL;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc;
	if ((rc = store_body_get(c->db, id, &body)) || (rc = api_seats_load(c, id, 0, 0, &seats)) ||
	    (rc = store_guests(c->db, id, &guests))) {
		json_decref(body);
		json_decref(seats);
		api_error(resp, rc, NULL);
		return;
	}
	int64_t county = api_int(body, "county_id");
	json_object_set_new(body, "summary", summary(seats, 0));
	json_object_set_new(body, "can_edit", json_boolean(perm_org_edit(&c->me, county)));
	body_present(body);
	json_object_set_new(body, "seats", seats);
	json_object_set_new(body, "guests", guests);
	http_reply_json(resp, 200, body);
}

/* One seat as GET /bodies/{id} shows it. */
static int seat_view(struct api_ctx *c, int64_t id, json_t **out)
{
	json_t *s, *seats;
	int rc = store_seat_get(c->db, id, &s);
	if (rc)
		return rc;
	rc = api_seats_load(c, api_int(s, "body"), 0, 0, &seats);
	json_decref(s);
	if (rc)
		return rc;
	size_t i;
	json_t *r;
	rc = NRM_ENOTFOUND;
	json_array_foreach(seats, i, r)
		if (api_int(r, "id") == id) {
			*out = json_incref(r);
			rc = 0;
		}
	json_decref(seats);
	return rc;
}

void api_seat(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t id;
	json_t *seat = NULL, *hist = NULL;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc;
	if ((rc = seat_view(c, id, &seat)) || (rc = store_seat_nominations(c->db, id, &hist))) {
		json_decref(seat);
		api_error(resp, rc, NULL);
		return;
	}
	json_object_set_new(seat, "can_edit", json_boolean(perm_org_edit(&c->me, api_int(seat, "county_id"))));
	json_object_set_new(seat, "nominations", hist);
	http_reply_json(resp, 200, seat);
}

int api_body_editable(struct api_ctx *c, int64_t id, json_t **body, struct nrm_err *err)
{
	int rc = store_body_get(c->db, id, body);
	if (rc)
		return nrm_fail(err, rc, NULL, "no such body");
	if (!perm_org_edit(&c->me, api_int(*body, "county_id"))) {
		json_decref(*body);
		*body = NULL;
		return nrm_fail(err, NRM_EFORBIDDEN, NULL, "your role may not edit this body");
	}
	return 0;
}

void api_body_create(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"kind", "municipality", "name", "name_en", "established", NULL};
	static const char *const kinds[] = {"municipal_group", NULL};
	json_t *in, *muni = NULL, *row = NULL;
	const char *kind, *mslug, *name, *name_en, *est;
	int64_t parent = 0, id;
	if (api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_enum(in, "kind", true, kinds, &kind, &err)) ||
	    (rc = in_str(in, "municipality", true, 60, &mslug, &err)) ||
	    (rc = in_str(in, "name", false, 200, &name, &err)) || (rc = in_str(in, "name_en", false, 200, &name_en, &err)) ||
	    (rc = in_date(in, "established", false, &est, NULL, &err)))
		goto fail;
	if (store_municipality_get(c->db, mslug, &muni) != 0) {
		rc = nrm_fail(&err, NRM_EINVAL, "municipality", "unknown municipality");
		goto fail;
	}
	int64_t county = api_int(muni, "county_id");
	if (!perm_org_edit(&c->me, county)) {
		rc = nrm_fail(&err, NRM_EFORBIDDEN, NULL, "only the county's secretariat may set up its municipal groups");
		goto fail;
	}
	char dsq[256], den[256], today[DATE_LEN];
	snprintf(dsq, sizeof dsq, "Grupi teknik antitrafik — %s", api_str(muni, "name"));
	snprintf(den, sizeof den, "Anti-trafficking technical group — %s", api_str(muni, "name"));
	date_format(c->today, today);
	store_body_find(c->db, "technical_table", county, &parent);
	if ((rc = store_begin(c->db)))
		goto fail;
	if ((rc = store_body_add(c->db, kind, county, api_int(muni, "id"), parent, name ? name : dsq,
				 name_en ? name_en : den, est ? est : today, 0, 0, &id)) ||
	    (rc = store_body_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "create", "body", id, NULL, row, NULL)) || (rc = store_commit(c->db)))
		goto fail;
	body_present(row);
fail:
	api_reply(resp, rc, &err, 201, &row);
	json_decref(row);
	json_decref(muni);
	json_decref(in);
}

void api_seat_create(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"label", "label_en", "role", "institution", NULL};
	static const char *const roles[] = {"chair", "member", "secretary", NULL};
	json_t *in, *body = NULL, *row = NULL;
	const char *label, *label_en, *role;
	int64_t bid, inst, id;
	if (api_path_id(req, resp, 0, &bid) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_str(in, "label", true, 200, &label, &err)) ||
	    (rc = in_str(in, "label_en", false, 200, &label_en, &err)) ||
	    (rc = in_enum(in, "role", false, roles, &role, &err)) || (rc = in_int(in, "institution", false, &inst, &err)) ||
	    (rc = api_body_editable(c, bid, &body, &err)))
		goto fail;
	if (strcmp(api_str(body, "kind"), "municipal_group") != 0) {
		rc = nrm_fail(&err, NRM_ECONFLICT, NULL,
			      "the seats of this body are fixed by law; seats can be added to municipal groups only");
		goto fail;
	}
	json_t *known;
	if (inst && store_institution_get(c->db, inst, &known) != 0) {
		rc = nrm_fail(&err, NRM_EINVAL, "institution", "unknown institution");
		goto fail;
	}
	if (inst)
		json_decref(known);
	char *code = NULL;
	if ((rc = store_begin(c->db)) || (rc = store_seat_next_code(c->db, bid, &code)))
		goto fail;
	rc = store_seat_add(c->db, bid, code, role ? role : "member", inst, label, label_en ? label_en : label, &id);
	free(code);
	if (rc ||
	    (rc = store_seat_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "create", "seat", id, NULL, row, NULL)))
		goto fail;
	json_decref(row);
	row = NULL;
	if ((rc = seat_view(c, id, &row)) || (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 201, &row);
	json_decref(row);
	json_decref(body);
	json_decref(in);
}

void api_seats_overview(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	json_t *counties = NULL, *seats = NULL;
	int rc;
	if ((rc = store_counties(c->db, &counties)) || (rc = api_seats_load(c, 0, 0, 0, &seats))) {
		json_decref(counties);
		api_error(resp, rc, NULL);
		return;
	}
	json_t *items = json_array(), *national = json_array();
	size_t i, j;
	json_t *county, *s;
	json_array_foreach(seats, j, s)
		if (!api_int(s, "county_id"))
			json_array_append(national, s);
	json_array_foreach(counties, i, county) {
		json_t *mine = json_array();
		json_array_foreach(seats, j, s)
			if (api_int(s, "county_id") == api_int(county, "id"))
				json_array_append(mine, s);
		json_t *row = summary(mine, 0);
		json_object_set(row, "county", json_object_get(county, "slug"));
		json_object_set(row, "name", json_object_get(county, "name_sq"));
		json_object_set(row, "name_en", json_object_get(county, "name_en"));
		json_array_append_new(items, row);
		json_decref(mine);
	}
	json_t *out = json_pack("{s:o, s:o, s:o, s:n}", "items", items, "national", summary(national, 0), "total",
				summary(seats, 0), "next");
	json_decref(national);
	json_decref(seats);
	json_decref(counties);
	http_reply_json(resp, 200, out);
}

void api_nominations_overdue(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t county;
	json_t *seats;
	if (api_query_county(req, resp, &county))
		return;
	int rc = api_seats_load(c, 0, county, 0, &seats);
	if (rc) {
		api_error(resp, rc, NULL);
		return;
	}
	json_t *items = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(seats, i, s) {
		if (strcmp(api_str(s, "status"), "overdue") != 0)
			continue;
		static const char *const keep[] = {"id", "label", "label_en", "role", "body", "body_kind", "body_name_sq",
						   "body_name_en", "county", "institution", "institution_name", "institution_name_en",
						   "deadline", "days_overdue", NULL};
		json_t *row = api_pick(s, keep);
		json_object_set(row, "seat", json_object_get(s, "id"));
		json_array_append_new(items, row);
	}
	json_decref(seats);
	api_reply_items(resp, items);
}
