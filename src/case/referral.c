/* Referrals between institutions (Instruction 132 §4): a case, or a service need, is sent
 * to an institution with a reason and the fields it needs to see; the receiver accepts or
 * declines; response times are kept. Accepting a case referral makes the receiver its
 * holder, whoever sent it. Reasons and notes are free text about the person: sealed. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "notify/notify.h"
#include "core/clock.h"
#include "core/date.h"
#include "secure/audit.h"
#include "store/db.h"
#include "store/org.h"

/* Referrals are answered by the institutions' case workers, and by the Authority for its own. */
static bool referral_role(enum role r)
{
	return r == ROLE_CASEWORKER || role_is_authority(r);
}

/* Whole hours from the referral to its answer (or to now, while it waits). */
static void add_hours(json_t *ref)
{
	time_t from, to;
	const char *answered = json_string_value(json_object_get(ref, "responded_at"));
	if (date_stamp_parse(j_str(ref, "created_at"), &from) != 0)
		return;
	if (!answered || date_stamp_parse(answered, &to) != 0)
		to = clock_now();
	json_object_set_new(ref, "response_hours", json_integer((json_int_t)((to - from) / 3600)));
}

void case_referrals_present(struct nrm_ctx *c, json_t *refs)
{
	size_t i;
	json_t *r;
	json_array_foreach(refs, i, r) {
		add_hours(r);
		json_object_del(r, "holder_id");
	}
	case_open_each(c, refs, "reason", NULL, true);
	case_open_each(c, refs, "response_note", NULL, true);
}

static int fields_check(struct nrm_ctx *c, json_t *fields, struct nrm_err *err)
{
	size_t i;
	json_t *f;
	if (fields && !json_is_array(fields))
		return nrm_fail(err, NRM_EINVAL, KEY_referral_fields, "fields", NULL);
	json_array_foreach(fields, i, f)
		if (!json_is_string(f) || !form_field(c->form, json_string_value(f)))
			return nrm_fail(err, NRM_EINVAL, KEY_referral_fields, "fields", NULL);
	return 0;
}

/* Whether a referral's service is a code of the list of assistance services. */
static bool service_known(struct nrm_ctx *c, const char *service)
{
	json_t *lists = form_codelists(c->form), *item;
	size_t i;
	bool known = false;
	json_array_foreach(json_object_get(json_object_get(lists, "assistance_service"), "items"), i, item)
		known |= strcmp(j_str(item, "code"), service) == 0;
	return known;
}

/* The case referral's stage step (case_referral_in.advance), in the caller's transaction. */
static int advance(struct nrm_ctx *c, const char *code, json_t *row, const struct case_referral_in *in, json_t **moved,
		   struct nrm_err *err)
{
	const char *first = form_initial_stage(c->form), *to = form_referral_stage(c->form);
	const char *date = form_bound(c->form, FB_REFERRAL_DATE), *whom = form_bound(c->form, FB_REFERRED_TO);
	assert(!in->service && first && strcmp(j_str(row, "stage"), first) == 0);
	if (!to)
		return 0;
	json_t *fields = json_is_object(in->stage_fields) ? json_deep_copy(in->stage_fields) : json_object();
	char today[DATE_LEN];
	date_format(c->today, today);
	if (!json_object_get(fields, date))
		json_object_set_new(fields, date, json_string(today));
	json_object_set_new(fields, whom, json_integer(in->to));
	int rc = case_transition(c, code, j_int(row, "version"), to, fields, NULL, moved, err);
	json_decref(fields);
	return rc;
}

int case_refer(struct nrm_ctx *c, const char *code, const struct case_referral_in *in, json_t **out,
	       struct nrm_err *err)
{
	json_t *row = NULL, *inst = NULL, *ref = NULL, *ch = NULL, *one = NULL, *moved = NULL, *params = NULL;
	char *fs = NULL, *sealed = NULL;
	enum case_access a;
	int64_t id, to = in->to;
	const char *service = in->service;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	int64_t holder = j_int(row, "holder"), pending = 0;
	bool holds = c->me->role == ROLE_CASEWORKER && holder == c->me->institution_id;
	if (!holds && !role_is_authority(c->me->role))
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_refer_role, NULL, NULL);
	else if (*j_str(row, "merged_into"))
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_case_merged, NULL, "code", j_str(row, "merged_into"), NULL);
	else if (!in->reason || !*in->reason)
		rc = nrm_fail(err, NRM_EINVAL, KEY_required, "reason", NULL);
	else if (store_institution_get(c->db, to, &inst) != 0)
		rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_institution, "institution", NULL);
	else if (to == holder)
		rc = nrm_fail(err, NRM_EINVAL, KEY_already_holder, "institution", NULL);
	else if (service && !service_known(c, service))
		rc = nrm_fail(err, NRM_EINVAL, KEY_not_code, "service", "list", "assistance_service", NULL);
	else if (in->stage_fields && !json_is_object(in->stage_fields))
		rc = nrm_fail(err, NRM_EINVAL, KEY_not_object, "stage_fields", NULL);
	else if ((in->advance || in->stage_fields) &&
		 (service || strcmp(j_str(row, "stage"), form_initial_stage(c->form)) != 0))
		rc = nrm_fail(err, NRM_EINVAL, KEY_advance_case_only, in->advance ? "advance" : "stage_fields", NULL);
	else
		rc = fields_check(c, in->fields, err);
	if (rc)
		goto done;
	json_t *none = json_array();
	fs = json_dumps(in->fields ? in->fields : none, JSON_COMPACT);
	json_decref(none);
	/* Sent by the caller's institution; the Authority without one sends in the holder's name. */
	int64_t from = c->me->institution_id ? c->me->institution_id : holder;
	if (!fs) {
		rc = NRM_ENOMEM;
		goto done;
	}
	if ((rc = case_seal(c, code, in->reason, &sealed)) || (rc = store_begin(c->db)))
		goto done;
	/* One referral waiting per institution and need: checked in the write transaction, so two
	 * sent at once cannot both pass. */
	if ((rc = store_referral_pending(c->db, j_int(row, "id"), to, service, &pending)) ||
	    (pending && (rc = nrm_fail(err, NRM_ECONFLICT, KEY_referral_pending, "institution", NULL))))
		goto done;
	if ((in->advance && (rc = advance(c, code, row, in, &moved, err))) ||
	    (rc = store_referral_add(c->db, j_int(row, "id"), from, holder, to, service, sealed, fs, c->me->id, &id)) ||
	    (rc = store_referral_get(c->db, id, &ref)))
		goto done;
	ch = json_pack("{s:I, s:O, s:s?}", "referral_id", (json_int_t)id, "to", json_object_get(inst, "name"), "service",
		       service);
	/* The receiver hears of it by the case's code: a child's case is marked urgent. */
	params = json_pack("{s:s, s:I, s:b, s:s?, s:O}", "code", code, "referral_id", (json_int_t)id, "urgent",
			   json_is_true(json_object_get(row, "is_child")) || j_int(row, "is_child") != 0, "service", service, "from", json_object_get(ref, "from_name"));
	struct notify_msg m = {.kind = "referral_new", .entity = "case", .entity_id = j_int(row, "id"), .params = params};
	if ((rc = case_event(c, j_int(row, "id"), "refer", NULL, NULL, ch, NULL, NULL)) ||
	    (rc = secure_audit(c->db, c->me, "refer", "case", code, NULL, ch, NULL)) ||
	    (rc = notify_institution(c, to, &m)) || (rc = store_commit(c->db)))
		goto done;
	one = json_pack("[O]", ref);
	case_referrals_present(c, one);
	*out = json_incref(json_array_get(one, 0));
	if (moved)
		json_object_set_new(*out, "case", json_pack("{s:O?, s:O?}", "stage", json_object_get(moved, "stage"),
							     "version", json_object_get(moved, "version")));
done:
	if (rc)
		store_rollback(c->db);
	free(fs);
	free(sealed);
	json_decref(one);
	json_decref(ch);
	json_decref(ref);
	json_decref(inst);
	json_decref(params);
	json_decref(moved);
	json_decref(row);
	return rc;
}

int case_referral_respond(struct nrm_ctx *c, int64_t id, bool accept, const char *note, json_t **out,
			  struct nrm_err *err)
{
	json_t *ref = NULL, *ch = NULL, *after = NULL, *one = NULL, *row = NULL, *params = NULL, *before = NULL;
	char *sealed = NULL;
	int rc = store_referral_get(c->db, id, &ref);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_referral, NULL, NULL) : rc;
	bool receiver = referral_role(c->me->role) && c->me->institution_id &&
			j_int(ref, "to_institution") == c->me->institution_id;
	if (!receiver) {
		rc = nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_referral, NULL, NULL);
		goto done;
	}
	if (!accept && (!note || !*note)) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_decline_note, "note", NULL);
		goto done;
	}
	int64_t case_id = j_int(ref, "case_id");
	const char *verdict = accept ? "accepted" : "declined";
	if (accept && (rc = store_case_get(c->db, NULL, case_id, &row)) == 0 && *j_str(row, "merged_into")) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_case_merged, NULL, "code", j_str(row, "merged_into"), NULL);
		goto done;
	}
	if (rc)
		goto done;
	if ((rc = case_seal(c, j_str(ref, "case_code"), note, &sealed)) || (rc = store_begin(c->db)) ||
	    (rc = store_referral_respond(c->db, id, verdict, c->me->id, sealed)))
		goto done;
	/* Accepting a referral of the case itself (not of one service) hands the case over from
	 * whoever held it when it was referred, which need not be the sender. */
	bool hand_over = accept && !json_is_string(json_object_get(ref, "service"));
	/* The state before the hand-over, read inside the transaction that changes it. */
	if (hand_over && (rc = store_case_get(c->db, NULL, case_id, &before)))
		goto done;
	if (hand_over && (rc = store_case_hand_over(c->db, case_id, j_int(ref, "holder_id"), c->me->institution_id))) {
		if (rc == NRM_ECONFLICT)
			nrm_fail(err, rc, KEY_holder_changed, NULL, NULL);
		goto done;
	}
	ch = json_pack("{s:I, s:s}", "referral_id", (json_int_t)id, "response", verdict);
	params = json_pack("{s:s, s:I, s:s, s:s}", "code", j_str(ref, "case_code"), "referral_id", (json_int_t)id,
			   "response", verdict, "to", j_str(ref, "to_name"));
	struct notify_msg m = {.kind = "referral_answered", .entity = "case", .entity_id = case_id, .params = params};
	if ((rc = case_event(c, case_id, accept ? "referral_accepted" : "referral_declined", NULL, NULL, ch, before, NULL)) ||
	    (rc = secure_audit(c->db, c->me, accept ? "accept" : "decline", "case", j_str(ref, "case_code"), NULL, ch,
			       NULL)) ||
	    (rc = notify_institution(c, j_int(ref, "from_institution"), &m)) ||
	    (rc = store_referral_get(c->db, id, &after)) || (rc = store_commit(c->db)))
		goto done;
	one = json_pack("[O]", after);
	case_referrals_present(c, one);
	*out = json_incref(json_array_get(one, 0));
done:
	if (rc == NRM_ECONFLICT && !err->msg[0])
		nrm_fail(err, rc, KEY_referral_answered, NULL, NULL);
	if (rc)
		store_rollback(c->db);
	free(sealed);
	json_decref(one);
	json_decref(after);
	json_decref(ch);
	json_decref(row);
	json_decref(before);
	json_decref(ref);
	json_decref(params);
	return rc;
}

int case_referrals(struct nrm_ctx *c, char dir, const char *status, json_t **out, struct nrm_err *err)
{
	if (!referral_role(c->me->role) || !c->me->institution_id)
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_referrals_role, NULL, NULL);
	json_t *rows;
	int rc = store_referrals(c->db, dir, c->me->institution_id, status, &rows);
	if (rc)
		return rc;
	case_referrals_present(c, rows);
	*out = rows;
	return 0;
}
