/* Counties, municipalities, institution types and institutions. */
#include "org/org.h"

#include "core/input.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/org.h"

/* The Albanian name as "name", the English one as "name_en". */
static void present_county(json_t *county)
{
	json_object_set(county, "name", json_object_get(county, "name_sq"));
	json_object_del(county, "name_sq");
}

int org_counties(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	(void)err;
	json_t *rows;
	int rc = store_counties(c->db, &rows);
	if (rc)
		return rc;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		present_county(r);
	*out = rows;
	return 0;
}

int org_county_id(struct nrm_ctx *c, const char *slug, const char *field, int64_t *id, struct nrm_err *err)
{
	if (!slug || !*slug) {
		*id = 0;
		return 0;
	}
	int64_t found;
	if (store_county_id(c->db, slug, &found) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, field, NULL);
	*id = found;
	return 0;
}

int org_county(struct nrm_ctx *c, const char *slug, json_t **out, struct nrm_err *err)
{
	int64_t id;
	json_t *county = NULL, *munis = NULL, *bodies = NULL;
	int rc;
	if (!slug || store_county_id(c->db, slug, &id) != 0)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_not_found, NULL, NULL);
	if ((rc = store_county_get(c->db, id, &county)) || (rc = store_municipalities(c->db, id, &munis)) ||
	    (rc = org_bodies(c, NULL, id, &bodies, err)))
		goto fail;
	json_t *summary = json_pack("{s:i, s:i, s:i, s:i}", "seats", 0, "filled", 0, "vacant", 0, "overdue", 0);
	size_t i;
	json_t *b;
	json_array_foreach(bodies, i, b) {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(b, "summary"), k, v)
			json_object_set_new(summary, k, json_integer(j_int(summary, k) + json_integer_value(v)));
	}
	present_county(county);
	json_object_set_new(county, "municipalities", munis);
	json_object_set_new(county, "bodies", bodies);
	json_object_set_new(county, "summary", summary);
	json_object_set_new(county, "can_edit", json_boolean(perm_org_edit(c->me, id)));
	*out = county;
	return 0;
fail:
	json_decref(county);
	json_decref(munis);
	return rc;
}

int org_municipalities(struct nrm_ctx *c, int64_t county, json_t **out, struct nrm_err *err)
{
	(void)err;
	return store_municipalities(c->db, county, out);
}

int org_institution_types(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	(void)err;
	return store_institution_types(c->db, out);
}

int org_institutions(struct nrm_ctx *c, int64_t county, const char *type, int64_t after, int limit, json_t **out,
		     struct nrm_err *err)
{
	(void)err;
	return store_institutions(c->db, county, type && *type ? type : NULL, after, limit, out);
}

int org_institution_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"type", "name", "name_en", "county", "municipality", NULL};
	json_t *row = NULL, *muni = NULL;
	const char *type, *name, *name_en, *cslug, *mslug;
	int64_t county = 0, municipality = 0, id;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_str(in, "type", true, 64, &type, err)) ||
	    (rc = in_line(in, "name", true, 200, &name, err)) || (rc = in_line(in, "name_en", false, 200, &name_en, err)) ||
	    (rc = in_str(in, "county", false, 40, &cslug, err)) ||
	    (rc = in_str(in, "municipality", false, 60, &mslug, err)) ||
	    (rc = org_county_id(c, cslug, "county", &county, err)))
		return rc;
	if (store_institution_type_exists(c->db, type) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_institution_type, "type", NULL);
	if (mslug) {
		if (store_municipality_get(c->db, mslug, &muni) != 0)
			return nrm_fail(err, NRM_EINVAL, KEY_unknown_municipality, "municipality", NULL);
		municipality = j_int(muni, "id");
		int64_t mc = j_int(muni, "county_id");
		json_decref(muni);
		if (county && county != mc)
			return nrm_fail(err, NRM_EINVAL, KEY_municipality_county, "municipality", "county_field", "county", NULL);
		county = mc;
	}
	if (!perm_institution_edit(c->me, county))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_institutions_by_secretariat, NULL, NULL);
	if ((rc = store_begin(c->db)) || (rc = store_institution_add(c->db, type, county, municipality, name, name_en, &id)) ||
	    (rc = store_institution_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "institution", id, NULL, row, NULL)) ||
	    (rc = store_commit(c->db))) {
		store_rollback(c->db);
		json_decref(row);
		return rc;
	}
	*out = row;
	return 0;
}
