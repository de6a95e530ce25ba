/* Seats: who holds each one on a given day, whether it is filled, vacant or overdue (the
 * 15-day nomination deadline of Order 94 §6.1), and the seats a municipal group adds. */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "core/org.h"
#include "org/internal.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/org.h"

/* Adds status, deadline and days_overdue to a seat row of store_seats. Only a member who
 * holds the seat today fills it; a nomination from a later day is "upcoming". */
static void decorate(json_t *seat, int32_t today)
{
	int32_t est = 0, vacated = 0, deadline = 0;
	date_parse(j_str(seat, "established"), &est);
	const char *le = j_str(seat, "last_end");
	if (*le && date_parse(le, &vacated) == 0)
		vacated += 1;
	int days = (int)j_int(seat, "nomination_days");
	bool has = est && org_nomination_deadline(est, days, vacated, &deadline) == 0;
	bool held = !json_is_null(json_object_get(seat, "member"));
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

int org_seats(struct nrm_ctx *c, int64_t body, int64_t county, json_t **out, struct nrm_err *err)
{
	(void)err;
	char today[DATE_LEN];
	date_format(c->today, today);
	json_t *rows;
	int rc = store_seats(c->db, body, county, 0, today, &rows);
	if (rc)
		return rc;
	size_t i;
	json_t *s;
	json_array_foreach(rows, i, s)
		decorate(s, c->today);
	*out = rows;
	return 0;
}

json_t *org_summary(json_t *seats, int64_t body)
{
	int n = 0, filled = 0, vacant = 0, overdue = 0;
	size_t i;
	json_t *s;
	json_array_foreach(seats, i, s) {
		if (body && j_int(s, "body") != body)
			continue;
		n++;
		const char *st = j_str(s, "status");
		if (strcmp(st, "filled") == 0)
			filled++;
		else if (strcmp(st, "overdue") == 0)
			overdue++, vacant++;
		else
			vacant++;
	}
	return json_pack("{s:i, s:i, s:i, s:i}", "seats", n, "filled", filled, "vacant", vacant, "overdue", overdue);
}

/* One seat as org_body shows it. */
static int seat_view(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *s, *seats;
	int rc = store_seat_get(c->db, id, &s);
	if (rc)
		return rc;
	rc = org_seats(c, j_int(s, "body"), 0, &seats, err);
	json_decref(s);
	if (rc)
		return rc;
	size_t i;
	json_t *r;
	rc = NRM_ENOTFOUND;
	json_array_foreach(seats, i, r)
		if (j_int(r, "id") == id) {
			*out = json_incref(r);
			rc = 0;
		}
	json_decref(seats);
	return rc;
}

int org_seat(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *seat = NULL, *hist = NULL;
	int rc;
	if ((rc = seat_view(c, id, &seat, err)) || (rc = store_seat_nominations(c->db, id, &hist))) {
		json_decref(seat);
		return rc;
	}
	json_object_set_new(seat, "can_edit", json_boolean(perm_org_edit(c->me, j_int(seat, "county_id"))));
	json_object_set_new(seat, "nominations", hist);
	*out = seat;
	return 0;
}

int org_seat_create(struct nrm_ctx *c, int64_t bid, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"label", "label_en", "role", "institution", NULL};
	static const char *const roles[] = {"chair", "member", "secretary", NULL};
	json_t *body = NULL, *row = NULL, *known = NULL;
	const char *label, *label_en, *role;
	char *code = NULL;
	int64_t inst, id;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_line(in, "label", true, 200, &label, err)) ||
	    (rc = in_line(in, "label_en", false, 200, &label_en, err)) ||
	    (rc = in_enum(in, "role", false, roles, &role, err)) || (rc = in_int(in, "institution", false, &inst, err)) ||
	    (rc = org_body_editable(c, bid, &body, err)))
		return rc;
	if (strcmp(j_str(body, "kind"), "municipal_group") != 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_seats_fixed_by_law, NULL, NULL);
		goto done;
	}
	if (inst && store_institution_get(c->db, inst, &known) != 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_institution, "institution", NULL);
		goto done;
	}
	if ((rc = store_begin(c->db)) || (rc = store_seat_next_code(c->db, bid, &code)) ||
	    (rc = store_seat_add(c->db, bid, code, role ? role : "member", inst, label, label_en ? label_en : label, &id)) ||
	    (rc = store_seat_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "seat", id, NULL, row, NULL)))
		goto done;
	json_decref(row);
	row = NULL;
	if ((rc = seat_view(c, id, &row, err)) || (rc = store_commit(c->db)))
		goto done;
	*out = row;
	row = NULL;
done:
	if (rc)
		store_rollback(c->db);
	free(code);
	json_decref(row);
	json_decref(known);
	json_decref(body);
	return rc;
}

int org_seats_overview(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	json_t *counties = NULL, *seats = NULL;
	int rc;
	if ((rc = store_counties(c->db, &counties)) || (rc = org_seats(c, 0, 0, &seats, err))) {
		json_decref(counties);
		return rc;
	}
	json_t *items = json_array(), *national = json_array();
	size_t i, j;
	json_t *county, *s;
	json_array_foreach(seats, j, s)
		if (!j_int(s, "county_id"))
			json_array_append(national, s);
	json_array_foreach(counties, i, county) {
		json_t *mine = json_array();
		json_array_foreach(seats, j, s)
			if (j_int(s, "county_id") == j_int(county, "id"))
				json_array_append(mine, s);
		json_t *row = org_summary(mine, 0);
		json_object_set(row, "county", json_object_get(county, "slug"));
		json_object_set(row, "name", json_object_get(county, "name_sq"));
		json_object_set(row, "name_en", json_object_get(county, "name_en"));
		json_array_append_new(items, row);
		json_decref(mine);
	}
	*out = json_pack("{s:o, s:o, s:o, s:n}", "items", items, "national", org_summary(national, 0), "total",
			 org_summary(seats, 0), "next");
	json_decref(national);
	json_decref(seats);
	json_decref(counties);
	return 0;
}

int org_nominations_overdue(struct nrm_ctx *c, int64_t county, json_t **out, struct nrm_err *err)
{
	json_t *seats;
	int rc = org_seats(c, 0, county, &seats, err);
	if (rc)
		return rc;
	static const char *const keep[] = {"id", "label", "label_en", "role", "body", "body_kind", "body_name_sq",
					   "body_name_en", "county", "institution", "institution_name", "institution_name_en",
					   "institution_type", "deadline", "days_overdue", NULL};
	json_t *items = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(seats, i, s) {
		if (strcmp(j_str(s, "status"), "overdue") != 0)
			continue;
		json_t *row = j_pick(s, keep);
		json_object_set(row, "seat", json_object_get(s, "id"));
		json_array_append_new(items, row);
	}
	json_decref(seats);
	*out = items;
	return 0;
}
