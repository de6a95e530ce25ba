/* Referrals between institutions (Instruction 132 §4): a case, or a service need, is sent
 * to an institution with a reason and the fields it needs to see; the receiver accepts or
 * declines; response times are kept. Accepting a case referral makes the receiver its holder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "secure/audit.h"
#include "store/org.h"

/* Referrals are answered by the institutions' case workers, and by the Authority for its own. */
static bool referral_role(enum role r)
{
	return r == ROLE_CASEWORKER || role_is_authority(r);
}

int case_refer(struct case_ctx *c, const char *code, int64_t to, const char *service, const char *reason,
	       json_t *fields, json_t **out, struct nrm_err *err)
{
	json_t *row = NULL, *inst = NULL, *ref = NULL, *state = NULL, *ch = NULL;
	enum case_access a;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	bool holder = c->me->role == ROLE_CASEWORKER && cj_int(row, "holder") == c->me->institution_id;
	if (!holder && !role_is_authority(c->me->role)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, NULL, "only the institution holding the case or the Authority may refer it");
		goto done;
	}
	if (!reason || !*reason) {
		rc = nrm_fail(err, NRM_EINVAL, "reason", "reason is required");
		goto done;
	}
	if (store_institution_get(c->db, to, &inst) != 0) {
		rc = nrm_fail(err, NRM_EINVAL, "institution", "institution is not in the registry");
		goto done;
	}
	if (to == cj_int(row, "holder")) {
		rc = nrm_fail(err, NRM_EINVAL, "institution", "the case is already held by this institution");
		goto done;
	}
	size_t i;
	json_t *f;
	if (fields && !json_is_array(fields)) {
		rc = nrm_fail(err, NRM_EINVAL, "fields", "fields must be a list of field names");
		goto done;
	}
	json_array_foreach(fields, i, f)
		if (!json_is_string(f) || !form_field(c->form, json_string_value(f))) {
			rc = nrm_fail(err, NRM_EINVAL, "fields", "fields must name fields of the case form");
			goto done;
		}
	json_t *none = json_array();
	char *fs = json_dumps(fields ? fields : none, JSON_COMPACT);
	json_decref(none);
	int64_t id;
	int64_t from = c->me->institution_id ? c->me->institution_id : cj_int(row, "holder");
	rc = store_begin(c->db);
	if (!rc)
		rc = store_referral_add(c->db, cj_int(row, "id"), from, to, service, reason, fs, c->me->id, &id);
	free(fs);
	if (rc || (rc = store_referral_get(c->db, id, &ref)))
		goto done;
	ch = json_pack("{s:I, s:O, s:s?}", "referral", (json_int_t)id, "to", json_object_get(inst, "name"), "service", service);
	state = json_pack("{s:s}", "stage", cj_str(row, "stage"));
	if ((rc = case_event(c, cj_int(row, "id"), "referral", NULL, NULL, ch, NULL, state)) ||
	    (rc = secure_audit_id(c->db, c->me, "refer", "referral", id, NULL, ch, NULL)) || (rc = store_commit(c->db)))
		goto done;
	*out = json_incref(ref);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(state);
	json_decref(ch);
	json_decref(ref);
	json_decref(inst);
	json_decref(row);
	return rc;
}

int case_referral_respond(struct case_ctx *c, int64_t id, bool accept, const char *note, json_t **out,
			  struct nrm_err *err)
{
	json_t *ref = NULL, *row = NULL, *ch = NULL, *state = NULL, *after = NULL;
	int rc = store_referral_get(c->db, id, &ref);
	if (rc)
		return nrm_fail(err, rc, NULL, "no such referral");
	bool receiver = referral_role(c->me->role) && c->me->institution_id &&
			cj_int(ref, "to_institution") == c->me->institution_id;
	if (!receiver) {
		rc = nrm_fail(err, NRM_ENOTFOUND, NULL, "no such referral in your inbox");
		goto done;
	}
	if (!accept && (!note || !*note)) {
		rc = nrm_fail(err, NRM_EINVAL, "note", "say why the referral is declined (note)");
		goto done;
	}
	int64_t case_id = cj_int(ref, "case_id");
	if ((rc = store_begin(c->db)) || (rc = store_referral_respond(c->db, id, accept ? "accepted" : "declined", c->me->id, note)))
		goto done;
	/* Accepting a referral of the case itself (not of one service) hands the case over. */
	if (accept && !json_is_string(json_object_get(ref, "service")) &&
	    (rc = store_case_hand_over(c->db, case_id, cj_int(ref, "from_institution"), c->me->institution_id))) {
		if (rc == NRM_ECONFLICT)
			nrm_fail(err, rc, NULL, "the case is no longer held by the institution that referred it");
		goto done;
	}
	if ((rc = store_case_get(c->db, NULL, case_id, &row)))
		goto done;
	ch = json_pack("{s:I, s:s}", "referral", (json_int_t)id, "response", accept ? "accepted" : "declined");
	state = json_pack("{s:s, s:I}", "stage", cj_str(row, "stage"), "holder", (json_int_t)cj_int(row, "holder"));
	if ((rc = case_event(c, case_id, accept ? "referral_accepted" : "referral_declined", NULL, NULL, ch, NULL, state)) ||
	    (rc = secure_audit_id(c->db, c->me, accept ? "accept" : "decline", "referral", id, NULL, ch, NULL)) ||
	    (rc = store_referral_get(c->db, id, &after)) || (rc = store_commit(c->db)))
		goto done;
	*out = json_incref(after);
done:
	if (rc == NRM_ECONFLICT && !err->msg[0])
		nrm_fail(err, rc, NULL, "this referral was already answered");
	if (rc)
		store_rollback(c->db);
	json_decref(after);
	json_decref(state);
	json_decref(ch);
	json_decref(row);
	json_decref(ref);
	return rc;
}

int case_referrals(struct case_ctx *c, char dir, const char *status, json_t **out, struct nrm_err *err)
{
	if (!referral_role(c->me->role) || !c->me->institution_id)
		return nrm_fail(err, NRM_EFORBIDDEN, NULL, "referrals are handled by the institutions' case workers");
	return store_referrals(c->db, dir, c->me->institution_id, status, out);
}
