/* Bodies: the Authority and its secretariat, each county's KRAT, Technical Table and
 * technical secretariat, and the municipal technical groups a county sets up. */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "core/org.h"
#include "org/internal.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/org.h"

void org_body_present(json_t *b)
{
	json_object_set(b, "name", json_object_get(b, "name_sq"));
	json_object_del(b, "name_sq");
	json_object_del(b, "county_id");
}

int org_bodies(struct nrm_ctx *c, const char *kind, int64_t county, json_t **out, struct nrm_err *err)
{
	json_t *rows = NULL, *seats = NULL;
	if (kind && *kind && org_kind_parse(kind) < 0)
		return nrm_fail(err, NRM_EINVAL, KEY_not_one_of, "kind", "allowed",
				"authority, authority_secretariat, krat, technical_table, krat_secretariat, municipal_group",
				NULL);
	int rc;
	if ((rc = store_bodies(c->db, kind && *kind ? kind : NULL, county, &rows)))
		return rc;
	/* One body (a role's own, on its home page): its seats alone, not every seat of the
	 * county — or, for a national body, of the country. */
	int64_t only = json_array_size(rows) == 1 ? j_int(json_array_get(rows, 0), "id") : 0;
	if ((rc = org_seats(c, only, only ? 0 : county, &seats, err))) {
		json_decref(rows);
		return rc;
	}
	size_t i;
	json_t *b;
	json_array_foreach(rows, i, b) {
		json_object_set_new(b, "summary", org_summary(seats, j_int(b, "id")));
		org_body_present(b);
	}
	json_decref(seats);
	*out = rows;
	return 0;
}

int org_body(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *body = NULL, *seats = NULL, *guests = NULL;
	int rc = store_body_get(c->db, id, &body);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	if ((rc = org_seats(c, id, 0, &seats, err)) || (rc = store_guests(c->db, id, &guests))) {
		json_decref(body);
		json_decref(seats);
		return rc;
	}
	json_object_set_new(body, "summary", org_summary(seats, 0));
	json_object_set_new(body, "can_edit", json_boolean(perm_org_edit(c->me, j_int(body, "county_id"))));
	org_body_present(body);
	json_object_set_new(body, "seats", seats);
	json_object_set_new(body, "guests", guests);
	*out = body;
	return 0;
}

int org_body_editable(struct nrm_ctx *c, int64_t id, json_t **body, struct nrm_err *err)
{
	json_t *b;
	int rc = store_body_get(c->db, id, &b);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	if (!perm_org_edit(c->me, j_int(b, "county_id"))) {
		json_decref(b);
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_body_not_editable, NULL, NULL);
	}
	*body = b;
	return 0;
}

int org_body_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"kind", "municipality", "name", "name_en", "established", NULL};
	static const char *const kinds[] = {"municipal_group", NULL};
	json_t *muni = NULL, *row = NULL;
	const char *kind, *mslug, *name, *name_en, *est;
	int64_t parent = 0, id;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_enum(in, "kind", true, kinds, &kind, err)) ||
	    (rc = in_str(in, "municipality", true, 60, &mslug, err)) ||
	    (rc = in_line(in, "name", false, 200, &name, err)) || (rc = in_line(in, "name_en", false, 200, &name_en, err)) ||
	    (rc = in_date(in, "established", false, &est, NULL, err)))
		return rc;
	if (store_municipality_get(c->db, mslug, &muni) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_municipality, "municipality", NULL);
	int64_t county = j_int(muni, "county_id");
	if (!perm_org_edit(c->me, county)) {
		json_decref(muni);
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_groups_by_secretariat, NULL, NULL);
	}
	char dsq[256], den[256], today[DATE_LEN];
	snprintf(dsq, sizeof dsq, "Grupi teknik antitrafik — %s", j_str(muni, "name"));
	snprintf(den, sizeof den, "Anti-trafficking technical group — %s", j_str(muni, "name"));
	date_format(c->today, today);
	store_body_find(c->db, "technical_table", county, &parent);
	if ((rc = store_begin(c->db)) ||
	    (rc = store_body_add(c->db, kind, county, j_int(muni, "id"), parent, name ? name : dsq, name_en ? name_en : den,
				 est ? est : today, 0, 0, &id)) ||
	    (rc = store_body_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "body", id, NULL, row, NULL)) || (rc = store_commit(c->db))) {
		store_rollback(c->db);
		json_decref(row);
		json_decref(muni);
		return rc;
	}
	json_decref(muni);
	org_body_present(row);
	*out = row;
	return 0;
}
