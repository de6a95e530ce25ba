/* User accounts (administrator only) and the audit trail (auditor / DPO). */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "secure/audit.h"
#include "secure/password.h"
#include "secure/perm.h"
#include "store/audit.h"
#include "store/org.h"
#include "store/user.h"

static int need_admin(struct api_ctx *c, struct http_resp *resp)
{
	if (perm_users_manage(&c->me))
		return 0;
	api_fail(resp, NRM_EFORBIDDEN, NULL, "only the system administrator manages users");
	return -1;
}

void api_users(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t county, after;
	int limit;
	json_t *rows;
	if (need_admin(c, resp) || api_query_county(req, resp, &county) || api_page(req, resp, &after, &limit))
		return;
	int rc = store_users(c->db, county, after, limit, &rows);
	if (rc)
		api_error(resp, rc, NULL);
	else
		api_reply_page(resp, rows, limit);
}

void api_user(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t id;
	json_t *u;
	if (api_path_id(req, resp, 0, &id))
		return;
	if (id != c->me.id && need_admin(c, resp))
		return;
	int rc = store_user_get(c->db, id, &u);
	if (rc)
		api_error(resp, rc, NULL);
	else
		http_reply_json(resp, 200, u);
}

/* Checks role, county and institution fit together: county roles need a county, case workers
 * an institution (whose county they take), national roles neither. */
static int check_scope(struct api_ctx *c, const char *role, const char *cslug, int64_t inst, int64_t *county,
		       struct nrm_err *err)
{
	int r = role_parse(role);
	if (r < 0)
		return nrm_fail(err, NRM_EINVAL, "role",
				"role must be one of: admin, authority_chair, authority_member, authority_secretariat, "
				"ministry_monitor, dpo, county_secretariat, krat_member, table_member, caseworker");
	*county = 0;
	if (cslug && store_county_id(c->db, cslug, county) != 0)
		return nrm_fail(err, NRM_EINVAL, "county", "unknown county");
	json_t *i = NULL;
	if (inst && store_institution_get(c->db, inst, &i) != 0)
		return nrm_fail(err, NRM_EINVAL, "institution", "unknown institution");
	int64_t icounty = i ? api_int(i, "county_id") : 0;
	json_decref(i);
	switch (role_scope((enum role)r)) {
	case SCOPE_COUNTY:
		if (!*county)
			return nrm_fail(err, NRM_EINVAL, "county", "a %s belongs to a county", role);
		break;
	case SCOPE_INSTITUTION:
		if (!inst)
			return nrm_fail(err, NRM_EINVAL, "institution", "a case worker belongs to an institution");
		if (*county && icounty && *county != icounty)
			return nrm_fail(err, NRM_EINVAL, "county", "the institution is in another county");
		if (!*county)
			*county = icounty;
		break;
	case SCOPE_NATIONAL:
		if (*county)
			return nrm_fail(err, NRM_EINVAL, "county", "a %s works nationally, not for one county", role);
		break;
	}
	return 0;
}

void api_user_create(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"username", "name", "role", "county", "institution", "password", NULL};
	json_t *in, *row = NULL;
	const char *username, *name, *role, *cslug, *pw;
	int64_t inst, county, id;
	char hash[PASSWORD_HASH_LEN];
	if (need_admin(c, resp) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_str(in, "username", true, 64, &username, &err)) ||
	    (rc = in_str(in, "name", true, 200, &name, &err)) || (rc = in_str(in, "role", true, 40, &role, &err)) ||
	    (rc = in_str(in, "county", false, 40, &cslug, &err)) || (rc = in_int(in, "institution", false, &inst, &err)) ||
	    (rc = in_str(in, "password", true, 256, &pw, &err)) || (rc = secure_password_acceptable(pw, &err)) ||
	    (rc = check_scope(c, role, cslug, inst, &county, &err)))
		goto fail;
	for (const char *p = username; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_')) {
			rc = nrm_fail(&err, NRM_EINVAL, "username",
				      "username may contain only lower-case letters, digits, '.', '-' and '_'");
			goto fail;
		}
	if ((rc = secure_password_hash(pw, hash)) || (rc = store_begin(c->db)))
		goto fail;
	rc = store_user_add(c->db, username, name, role, county, inst, hash, &id);
	if (rc == NRM_EEXIST)
		nrm_fail(&err, rc, "username", "a user with this username exists already");
	if (rc || (rc = store_user_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "create", "user", id, NULL, row, NULL)) || (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 201, &row);
	json_decref(row);
	json_decref(in);
}

void api_user_update(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"name", "role", "county", "institution", "disabled", "password", NULL};
	json_t *in, *before = NULL, *row = NULL;
	const char *name, *role, *cslug, *pw;
	int64_t id, inst, county;
	int disabled = -1;
	char hash[PASSWORD_HASH_LEN];
	if (api_path_id(req, resp, 0, &id) || need_admin(c, resp) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = store_user_get(c->db, id, &before)) ||
	    (rc = in_str(in, "name", in_has(in, "name"), 200, &name, &err)) ||
	    (rc = in_str(in, "role", in_has(in, "role"), 40, &role, &err)) ||
	    (rc = in_str(in, "county", false, 40, &cslug, &err)) || (rc = in_int(in, "institution", false, &inst, &err)) ||
	    (rc = in_bool(in, "disabled", &disabled, &err)) || (rc = in_str(in, "password", false, 256, &pw, &err)))
		goto fail;
	if (!in_has(in, "name"))
		name = api_str(before, "name");
	if (!in_has(in, "role"))
		role = api_str(before, "role");
	if (!in_has(in, "county"))
		cslug = json_string_value(json_object_get(before, "county"));
	if (!in_has(in, "institution"))
		inst = api_int(before, "institution");
	if ((rc = check_scope(c, role, cslug, inst, &county, &err)))
		goto fail;
	if (id == c->me.id && (disabled == 1 || strcmp(role, "admin") != 0)) {
		rc = nrm_fail(&err, NRM_ECONFLICT, disabled == 1 ? "disabled" : "role",
			      "you cannot disable yourself or give up your own administrator role");
		goto fail;
	}
	if (pw && ((rc = secure_password_acceptable(pw, &err)) || (rc = secure_password_hash(pw, hash))))
		goto fail;
	if ((rc = store_begin(c->db)) || (rc = store_user_update(c->db, id, name, role, county, inst)))
		goto fail;
	if (disabled >= 0 && (rc = store_user_set_disabled(c->db, id, disabled)))
		goto fail;
	if (pw && (rc = store_user_set_password(c->db, id, hash)))
		goto fail;
	/* A changed role, password or a disabled account ends the user's sessions at once. */
	if ((disabled == 1 || pw || strcmp(role, api_str(before, "role")) != 0) &&
	    (rc = store_sessions_delete_user(c->db, id)))
		goto fail;
	if ((rc = store_user_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, pw ? "update+password" : "update", "user", id, before, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 200, &row);
	json_decref(row);
	json_decref(before);
	json_decref(in);
}

void api_audit(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t before;
	int limit;
	json_t *rows;
	if (!perm_audit_read(&c->me)) {
		api_fail(resp, NRM_EFORBIDDEN, NULL, "only the auditor and the administrator read the audit trail");
		return;
	}
	if (api_page(req, resp, &before, &limit))
		return;
	const char *entity = http_query(req, "entity"), *eid = http_query(req, "entity_id");
	int rc = store_audit_list(c->db, entity && *entity ? entity : NULL, eid && *eid ? eid : NULL, before, limit, &rows);
	if (rc) {
		api_error(resp, rc, NULL);
		return;
	}
	api_reply_page(resp, rows, limit);
}
