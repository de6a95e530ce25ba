/* Who sees which case, and how much of it (DESIGN.md, data protection model). */
#include <string.h>

#include "case/internal.h"
#include "store/db.h"

bool case_role_reads_cases(enum role r)
{
	return role_is_authority(r) || r == ROLE_CASEWORKER || role_scope(r) == SCOPE_COUNTY;
}

enum case_access case_access_of(struct nrm_ctx *c, json_t *row)
{
	const struct principal *p = c->me;
	if (role_is_authority(p->role))
		return CASE_FULL;
	if (role_scope(p->role) == SCOPE_COUNTY)
		return p->county_id && p->county_id == j_int(row, "county_id") ? CASE_CODE : CASE_NONE;
	if (p->role != ROLE_CASEWORKER || !p->institution_id)
		return CASE_NONE;
	if (j_int(row, "holder") == p->institution_id || j_int(row, "creator") == p->institution_id)
		return CASE_FULL;
	int yes = 0;
	if (store_case_institution_access(c->db, j_int(row, "id"), p->institution_id, &yes) == 0 && yes)
		return CASE_REFERRAL;
	return CASE_NONE;
}

bool case_may_edit(struct nrm_ctx *c, json_t *row)
{
	if (role_is_authority(c->me->role))
		return true;
	return c->me->role == ROLE_CASEWORKER && c->me->institution_id && j_int(row, "holder") == c->me->institution_id;
}

int case_load(struct nrm_ctx *c, const char *code, json_t **row, enum case_access *access, struct nrm_err *err)
{
	if (!case_role_reads_cases(c->me->role))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_cases_aggregate_only, NULL, NULL);
	if (!code || strlen(code) > 32)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_case, NULL, NULL);
	json_t *r;
	int rc = store_case_get(c->db, code, 0, &r);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_case, NULL, NULL) : rc;
	enum case_access a = case_access_of(c, r);
	if (a == CASE_NONE) {
		json_decref(r);
		return nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_case, NULL, NULL);
	}
	*row = r;
	*access = a;
	return 0;
}
