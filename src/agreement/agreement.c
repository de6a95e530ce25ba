/* Agreements: who may see and change them, and their fields. */
#include "agreement/internal.h"

#include "core/input.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/agreement.h"
#include "store/db.h"
#include "store/org.h"

static const char *const counterpart_kinds[] = {"prosecution_first", "prosecution_appeal", "ngo_nrm", "ngo_other",
						NULL};

int agreement_list(struct nrm_ctx *c, int64_t county, int64_t after, int limit, json_t **out, struct nrm_err *err)
{
	if (role_scope(c->me->role) != SCOPE_NATIONAL) {
		if (county && county != c->me->county_id)
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_agreements_own_county, "county", NULL);
		county = c->me->county_id;
	}
	return store_agreements(c->db, county, after, limit, out);
}

int agreement_load(struct nrm_ctx *c, int64_t id, bool edit, json_t **out, struct nrm_err *err)
{
	json_t *a;
	int rc = store_agreement_get(c->db, id, &a);
	if (rc)
		return rc;
	int64_t county = j_int(a, "county_id");
	if (!perm_agreement_read(c->me, county))
		rc = NRM_ENOTFOUND;
	else if (edit && !perm_agreement_edit(c->me, county))
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_agreements_by_secretariat, NULL, NULL);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int agreement_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *a;
	int rc = agreement_load(c, id, false, &a, err);
	if (rc)
		return rc;
	json_object_set_new(a, "can_edit", json_boolean(perm_agreement_edit(c->me, j_int(a, "county_id"))));
	*out = a;
	return 0;
}

/* Reads and checks the agreement members of `in` into a. */
static int read_fields(json_t *in, struct agreement *a, struct nrm_err *err)
{
	int32_t sd = 0, fd = 0, ud = 0;
	int rc;
	if ((rc = in_enum(in, "counterpart_kind", true, counterpart_kinds, &a->counterpart_kind, err)) ||
	    (rc = in_line(in, "counterpart", true, 300, &a->counterpart, err)) ||
	    (rc = in_line(in, "title", true, 300, &a->title, err)) ||
	    (rc = in_date(in, "signed", true, &a->signed_on, &sd, err)) ||
	    (rc = in_date(in, "valid_from", false, &a->valid_from, &fd, err)) ||
	    (rc = in_date(in, "valid_until", false, &a->valid_until, &ud, err)) ||
	    (rc = in_str(in, "note", false, 2000, &a->note, err)))
		return rc;
	if (a->valid_until && ud < sd)
		return nrm_fail(err, NRM_EINVAL, KEY_date_before, "valid_until", "other", "signed", NULL);
	if (a->valid_from && a->valid_until && ud < fd)
		return nrm_fail(err, NRM_EINVAL, KEY_date_before, "valid_until", "other", "valid_from", NULL);
	return 0;
}

int agreement_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"county", "counterpart_kind", "counterpart", "title", "signed",
					     "valid_from", "valid_until", "note", NULL};
	struct agreement a = {0};
	json_t *row = NULL;
	const char *cslug;
	int64_t id;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_str(in, "county", true, 40, &cslug, err)))
		return rc;
	if (store_county_id(c->db, cslug, &a.county) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "county", NULL);
	if ((rc = read_fields(in, &a, err)))
		return rc;
	if (!perm_agreement_edit(c->me, a.county))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_agreements_by_secretariat, NULL, NULL);
	if ((rc = store_begin(c->db)) || (rc = store_agreement_add(c->db, &a, &id)) ||
	    (rc = store_agreement_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "agreement", id, NULL, row, NULL)) ||
	    (rc = store_commit(c->db))) {
		store_rollback(c->db);
		json_decref(row);
		return rc;
	}
	*out = row;
	return 0;
}

int agreement_update(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"version", "counterpart_kind", "counterpart", "title", "signed",
					     "valid_from", "valid_until", "note", NULL};
	struct agreement a = {0};
	json_t *before = NULL, *row = NULL, *merged = NULL;
	int64_t version;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_int(in, "version", true, &version, err)) ||
	    (rc = agreement_load(c, id, true, &before, err)))
		return rc;
	/* A partial update: absent members keep their stored value. */
	merged = json_deep_copy(before);
	json_object_update(merged, in);
	a.county = j_int(before, "county_id");
	if ((rc = read_fields(merged, &a, err)) || (rc = store_begin(c->db)))
		goto done;
	rc = store_agreement_update(c->db, id, version, &a);
	if (rc == NRM_ECONFLICT)
		nrm_fail(err, rc, KEY_stale, "version", NULL);
	if (rc || (rc = store_agreement_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "update", "agreement", id, before, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	*out = row;
	row = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(row);
	json_decref(merged);
	json_decref(before);
	return rc;
}
