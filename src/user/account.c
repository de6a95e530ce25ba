/* User accounts: who may manage them, the fit of role, county and institution. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "secure/audit.h"
#include "secure/password.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/org.h"
#include "store/user.h"
#include "user/user.h"

void user_operator(struct principal *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->username, sizeof out->username, "cli");
	snprintf(out->name, sizeof out->name, "command line");
	snprintf(out->lang, sizeof out->lang, "en");
	out->role = ROLE_ADMIN;
}

/* A stored user row as shown: locked now or not, whether its role needs a second factor
 * (once: a shown row is left as it is). */
static void present(json_t *user)
{
	int role = role_parse(j_str(user, "role"));
	json_object_set_new(user, "totp_required", json_boolean(role >= 0 && perm_needs_second_factor((enum role)role) &&
								 !json_is_true(json_object_get(user, "totp_exempt"))));
	json_t *until = json_object_get(user, "locked_until");
	if (!until)
		return;
	json_object_set_new(user, "locked", json_boolean(json_is_integer(until) && json_integer_value(until) > clock_now()));
	json_object_del(user, "locked_until");
}

json_t *user_view(const struct principal *p, json_t *user)
{
	json_t *can = json_object();
	json_object_set_new(can, "manage_users", json_boolean(perm_users_manage(p)));
	json_object_set_new(can, "read_audit", json_boolean(perm_audit_read(p)));
	json_object_set_new(can, "edit_national_org", json_boolean(perm_org_edit(p, 0)));
	json_t *edit = json_null();
	if (p->role == ROLE_ADMIN)
		edit = json_string("*");
	else if (p->role == ROLE_COUNTY_SECRETARIAT && json_is_string(json_object_get(user, "county")))
		edit = json_incref(json_object_get(user, "county"));
	json_object_set_new(can, "edit_county_org", edit);
	present(user);
	json_object_del(user, "county_id");
	json_object_del(user, "institution_county_id");
	json_object_set_new(user, "can", can);
	return user;
}

int user_need_admin(struct nrm_ctx *c, struct nrm_err *err)
{
	return perm_users_manage(c->me) ? 0 : nrm_fail(err, NRM_EFORBIDDEN, KEY_users_admin_only, NULL, NULL);
}

int user_list(struct nrm_ctx *c, int64_t county, int64_t after, int limit, json_t **out, struct nrm_err *err)
{
	json_t *rows;
	int rc = user_need_admin(c, err);
	if (rc || (rc = store_users(c->db, county, after, limit, &rows)))
		return rc;
	size_t i;
	json_t *u;
	json_array_foreach(rows, i, u)
		present(u);
	*out = rows;
	return 0;
}

int user_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *u;
	int rc = id == c->me->id ? 0 : user_need_admin(c, err);
	if (rc || (rc = store_user_get(c->db, id, &u)))
		return rc;
	present(u);
	*out = u;
	return 0;
}

int user_find(struct nrm_ctx *c, const char *username, int64_t *id, struct nrm_err *err)
{
	json_t *u;
	if (!username || store_user_by_name(c->db, username, &u) != 0)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_unknown_user, "username", "username", username ? username : "", NULL);
	*id = j_int(u, "id");
	json_decref(u);
	return 0;
}

/* Checks that role, county and institution fit: county roles need a county, case workers an
 * institution (whose county they take), national roles neither. */
int user_scope_check(struct nrm_ctx *c, const char *role, const char *cslug, int64_t inst, int64_t *county,
		     struct nrm_err *err)
{
	int r = role_parse(role);
	if (r < 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_role, "role", "allowed",
				"admin, authority_chair, authority_member, authority_secretariat, ministry_monitor, dpo, "
				"county_secretariat, krat_member, table_member, caseworker",
				NULL);
	int64_t cid = 0;
	if (cslug && store_county_id(c->db, cslug, &cid) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "county", NULL);
	json_t *i = NULL;
	if (inst && store_institution_get(c->db, inst, &i) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_institution, "institution", NULL);
	int64_t icounty = i ? j_int(i, "county_id") : 0;
	json_decref(i);
	switch (role_scope((enum role)r)) {
	case SCOPE_COUNTY:
		if (!cid)
			return nrm_fail(err, NRM_EINVAL, KEY_role_needs_county, "county", "role", role, NULL);
		break;
	case SCOPE_INSTITUTION:
		if (!inst)
			return nrm_fail(err, NRM_EINVAL, KEY_role_needs_institution, "institution", "role", role, NULL);
		if (cid && icounty && cid != icounty)
			return nrm_fail(err, NRM_EINVAL, KEY_institution_other_county, "county", NULL);
		if (!cid)
			cid = icounty;
		break;
	case SCOPE_NATIONAL:
		if (cid)
			return nrm_fail(err, NRM_EINVAL, KEY_role_national, "county", "role", role, NULL);
		break;
	}
	*county = cid;
	return 0;
}

/* The person of the registry an account belongs to ("person": an id, or null for none). */
static int person_of(struct nrm_ctx *c, json_t *in, int64_t *person, struct nrm_err *err)
{
	json_t *v = json_object_get(in, "person"), *row = NULL;
	*person = 0;
	if (!v || json_is_null(v))
		return 0;
	int rc = in_int(in, "person", false, person, err);
	if (!rc && store_person_get(c->db, *person, &row) != 0)
		rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_person, "person", NULL);
	json_decref(row);
	return rc;
}

int user_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"username", "name", "role", "county", "institution", "person", "email",
					     "password", NULL};
	json_t *row = NULL;
	const char *username, *name, *role, *cslug, *pw, *email;
	int64_t inst, county, id, person = 0;
	char hash[PASSWORD_HASH_LEN];
	int rc;
	if ((rc = user_need_admin(c, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = in_line(in, "username", true, 64, &username, err)) || (rc = in_line(in, "name", true, 200, &name, err)) ||
	    (rc = in_str(in, "role", true, 40, &role, err)) || (rc = in_str(in, "county", false, 40, &cslug, err)) ||
	    (rc = in_int(in, "institution", false, &inst, err)) || (rc = person_of(c, in, &person, err)) ||
	    (rc = in_email(in, "email", &email, err)) || (rc = in_str(in, "password", true, PASSWORD_MAX_LEN, &pw, err)) ||
	    (rc = secure_password_acceptable(pw, username, "password", err)) || (rc = user_scope_check(c, role, cslug, inst, &county, err)))
		return rc;
	for (const char *p = username; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			return nrm_fail(err, NRM_EINVAL, KEY_username_chars, "username", NULL);
	if ((rc = secure_password_hash(pw, hash)) || (rc = store_begin(c->db)))
		return rc;
	rc = store_user_add(c->db, username, name, role, county, inst, hash, &id);
	if (rc == NRM_EEXIST)
		nrm_fail(err, rc, KEY_username_taken, "username", NULL);
	if (rc || (person && (rc = store_user_set_person(c->db, id, person))) ||
	    (email && (rc = store_user_set_email(c->db, id, email))) || (rc = store_user_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "user", id, NULL, row, NULL)) || (rc = store_commit(c->db))) {
		store_rollback(c->db);
		json_decref(row);
		return rc;
	}
	present(row);
	*out = row;
	return 0;
}

int user_update(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"name", "role", "county", "institution", "person", "email", "disabled",
					     "password", NULL};
	json_t *before = NULL, *row = NULL;
	const char *name, *role, *cslug, *pw, *email;
	int64_t inst, county, person = 0;
	int disabled = -1;
	char hash[PASSWORD_HASH_LEN];
	int rc;
	if ((rc = user_need_admin(c, err)) || (rc = in_only(in, fields, err)) || (rc = store_user_get(c->db, id, &before)))
		return rc;
	/* An API client's account is the token's: its role, scope, state and (no) password are set
	 * through the token (user/token.c); only its name may change here. */
	if (json_is_true(json_object_get(before, "api_client"))) {
		const char *k;
		json_t *v;
		json_object_foreach(in, k, v)
			if (strcmp(k, "name") != 0) {
				rc = nrm_fail(err, NRM_EINVAL, KEY_api_client_account, k, NULL);
				goto done;
			}
	}
	if ((rc = in_line(in, "name", in_has(in, "name"), 200, &name, err)) ||
	    (rc = in_str(in, "role", in_has(in, "role"), 40, &role, err)) ||
	    (rc = in_str(in, "county", false, 40, &cslug, err)) || (rc = in_int(in, "institution", false, &inst, err)) ||
	    (rc = in_bool(in, "disabled", &disabled, err)) || (rc = person_of(c, in, &person, err)) ||
	    (rc = in_email(in, "email", &email, err)) || (rc = in_str(in, "password", false, PASSWORD_MAX_LEN, &pw, err)))
		goto done;
	if (!in_has(in, "name"))
		name = j_str(before, "name");
	if (!in_has(in, "role"))
		role = j_str(before, "role");
	if (!in_has(in, "county"))
		cslug = json_string_value(json_object_get(before, "county"));
	if (!in_has(in, "institution"))
		inst = j_int(before, "institution");
	if ((rc = user_scope_check(c, role, cslug, inst, &county, err)))
		goto done;
	if (id == c->me->id && (disabled == 1 || strcmp(role, "admin") != 0)) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_self_admin, disabled == 1 ? "disabled" : "role", NULL);
		goto done;
	}
	if (pw && ((rc = secure_password_acceptable(pw, j_str(before, "username"), "password", err)) ||
		   (rc = secure_password_hash(pw, hash))))
		goto done;
	if ((rc = store_begin(c->db)) || (rc = store_user_update(c->db, id, name, role, county, inst)) ||
	    (in_has(in, "person") && (rc = store_user_set_person(c->db, id, person))) ||
	    (in_has(in, "email") && (rc = store_user_set_email(c->db, id, email))) ||
	    (disabled >= 0 && (rc = store_user_set_disabled(c->db, id, disabled))) ||
	    (pw && (rc = store_user_set_password(c->db, id, hash))))
		goto done;
	/* A changed role, password or a disabled account ends the user's sessions at once. */
	if ((disabled == 1 || pw || strcmp(role, j_str(before, "role")) != 0) &&
	    (rc = store_sessions_delete_user(c->db, id)))
		goto done;
	if ((rc = store_user_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, pw ? "update+password" : "update", "user", id, before, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	present(row);
	*out = row;
	row = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(row);
	json_decref(before);
	return rc;
}
