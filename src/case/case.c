/* Case creation, reading, updating and the workflow. */
#include "case/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "store/register.h"
#include "core/date.h"
#include "core/statdef.h"
#include "store/db.h"
#include "store/org.h"

/* Fields that belong to a workflow stage may be set only by the roles that may move a case
 * into that stage (a case worker cannot record the Authority's decision). */
static int check_field_roles(struct nrm_ctx *c, json_t *fields, struct nrm_err *err)
{
	const char *name;
	json_t *v;
	json_object_foreach(fields, name, v) {
		const char *stage = json_string_value(json_object_get(form_field(c->form, name), "stage"));
		if (stage && !fsm_role_enters(form_fsm(c->form), stage, role_name(c->me->role)))
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_field_role, name, NULL);
	}
	return 0;
}

/* The status is the decision's to set: a value given for it must be the one the case has. */
static int check_status(struct nrm_ctx *c, json_t *fields, json_t *data, struct nrm_err *err)
{
	const char *f = FIELD(c, FB_STATUS);
	json_t *given = json_object_get(fields, f);
	if (given && !json_is_null(given) && !json_equal(given, json_object_get(data, f)))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_status_by_decision_only, f, NULL);
	return 0;
}

/* Drops nulls and empty values from fields before a create. */
static json_t *compact(json_t *fields)
{
	json_t *o = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(fields, k, v)
		if (form_filled(v))
			json_object_set(o, k, v);
	return o;
}

static int check_decided(struct nrm_ctx *c, json_t *data, bool is_child, struct nrm_err *err);

/* A new case in the initial stage, or — a record of earlier years — in a later stage with the
 * history its dates tell (`history`: [{"stage", "day"}], oldest first, ending in `stage`). */
static int create(struct nrm_ctx *c, json_t *fields, int64_t institution, const char *stage, json_t **out,
		  struct nrm_err *err)
{
	const struct principal *p = c->me;
	if (!(p->role == ROLE_CASEWORKER || role_is_authority(p->role)))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_register_role, NULL, NULL);
	int64_t holder = p->role == ROLE_CASEWORKER ? p->institution_id : (institution ? institution : p->institution_id);
	json_t *inst = NULL, *data = NULL, *county = NULL, *pub = NULL, *dups = NULL;
	char *pubs = NULL;
	if (!holder)
		return nrm_fail(err, NRM_EINVAL, KEY_institution_required, "institution", NULL);
	if (store_institution_get(c->db, holder, &inst) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_institution, "institution", NULL);
	json_decref(inst);
	int rc = form_validate(c->form, fields, err);
	if (!rc)
		rc = check_field_roles(c, fields, err);
	if (!rc && !stage && form_filled(json_object_get(fields, FIELD(c, FB_DECISION))))
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_decision_by_transition, FIELD(c, FB_DECISION), "stage",
			      form_decision_stage(c->form), NULL);
	if (rc)
		return rc;
	data = compact(fields);
	bool own_tx = !store_in_tx(c->db);
	struct case_row r = {.stage = stage ? stage : form_initial_stage(c->form), .holder = holder, .creator = holder};
	json_t *history = NULL;
	/* A new case holds what being in its stage requires, and a decided one its decision. */
	if ((rc = case_derive(c, data, &r, &county, err)) || (rc = check_status(c, fields, data, err)) ||
	    (rc = form_check_stage(c->form, data, r.stage, r.is_child != 0, err)) ||
	    (rc = check_decided(c, data, r.is_child != 0, err)))
		goto done;
	if (!(history = case_history(c, data, r.stage))) {
		rc = NRM_ENOMEM;
		goto done;
	}
	size_t steps = json_array_size(history);
	if (strcmp(r.stage, form_closed_stage(c->form)) == 0)
		r.closed_from = steps > 1 ? j_str(json_array_get(history, steps - 2), "stage") : form_initial_stage(c->form);
	int32_t ident = 0;
	date_parse(r.identified_on, &ident);
	int y, mo, d;
	date_to_ymd(ident, &y, &mo, &d);
	r.year = y;
	char code[32];
	int64_t id;
	/* An import runs many creates in its own transaction: join it rather than nest. */
	char prefix[24];
	snprintf(prefix, sizeof prefix, "%s-%04d-", j_str(county, "case_prefix"), y);
	if ((own_tx && (rc = store_begin(c->db))) || (rc = store_case_next_seq(c->db, prefix, &r.seq)))
		goto done;
	snprintf(code, sizeof code, "%s%04lld", prefix, (long long)r.seq);
	r.code = code;
	pub = case_public_part(c, data);
	if (!(pubs = json_dumps(pub, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = NRM_ENOMEM;
		goto done;
	}
	r.data_json = pubs;
	if ((rc = store_case_add(c->db, &r, &id)) || (rc = case_write_personal(c, id, data)) ||
	    (rc = case_index(c, id, data, INDEX_CREATED, &dups)) || (rc = case_event(c, id, "create", NULL, r.stage, data, NULL, NULL)) ||
	    (rc = case_figures_create(c, id, data, r.age, history)) || (rc = case_audit(c, "create", code, data, NULL)) || (own_tx && (rc = store_commit(c->db))))
		goto done;
	json_t *res = json_pack("{s:I, s:s}", "id", (json_int_t)id, "code", code);
	case_dup_view(c, res, dups);
	*out = res;
done:
	if (rc && own_tx)
		store_rollback(c->db);
	if (rc == NRM_ECONFLICT && !err->msg[0])
		nrm_fail(err, rc, KEY_case_not_saved, NULL, NULL);
	free(pubs);
	json_decref(history);
	json_decref(dups);
	json_decref(pub);
	json_decref(county);
	json_decref(data);
	return rc;
}

int case_create(struct nrm_ctx *c, json_t *fields, int64_t institution, json_t **out, struct nrm_err *err)
{
	return create(c, fields, institution, NULL, out, err);
}

int case_create_at(struct nrm_ctx *c, json_t *fields, int64_t institution, const char *stage, json_t **out,
		   struct nrm_err *err)
{
	if (!stage || strcmp(stage, form_initial_stage(c->form)) == 0)
		return create(c, fields, institution, NULL, out, err);
	if (!fsm_state(form_fsm(c->form), stage))
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_stage, "al_stage", NULL);
	if (!role_is_authority(c->me->role))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_stage_role, "al_stage", "to", stage, NULL);
	return create(c, fields, institution, stage, out, err);
}

/* Who may see the case: its holder, its creator, institutions it was referred to, and the roles. */
static json_t *access_list(json_t *row, json_t *referrals)
{
	json_t *inst = json_array();
	json_array_append_new(inst, json_pack("{s:O, s:O, s:s, s:s}", "id", json_object_get(row, "holder"), "name",
					      json_object_get(row, "holder_name"), "as", "holder", "sees", "all"));
	if (j_int(row, "creator") != j_int(row, "holder"))
		json_array_append_new(inst, json_pack("{s:O, s:O, s:s, s:s}", "id", json_object_get(row, "creator"), "name",
						      json_object_get(row, "creator_name"), "as", "creator", "sees", "all"));
	size_t i;
	json_t *r;
	json_array_foreach(referrals, i, r)
		if (strcmp(j_str(r, "status"), "declined") != 0)
			json_array_append_new(inst, json_pack("{s:O, s:O, s:s, s:s}", "id", json_object_get(r, "to_institution"),
							      "name", json_object_get(r, "to_name"), "as", "referred",
							      "sees", "referred fields"));
	return json_pack("{s:o, s:[{s:s, s:s}, {s:s, s:s}]}", "institutions", inst, "roles", "who", "authority", "sees",
			 "all_with_reason", "who", "county_bodies", "sees", "code_and_non_personal");
}

int case_get(struct nrm_ctx *c, const char *code, json_t **out, struct nrm_err *err)
{
	json_t *row, *refs = NULL, *names = NULL;
	enum case_access a;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	if ((rc = store_referrals(c->db, 'c', j_int(row, "id"), NULL, &refs)) ||
	    (rc = store_personal_names(c->db, j_int(row, "id"), &names))) {
		json_decref(refs);
		json_decref(row);
		return rc;
	}
	json_t *fields = json_object_get(row, "fields");
	bool child = json_is_true(json_object_get(row, "is_child"));
	json_object_set_new(row, "screening", form_screening(c->form, fields, child));
	json_t *pn = json_array();
	size_t i;
	json_t *n;
	json_array_foreach(names, i, n)
		json_array_append(pn, json_object_get(n, "field"));
	json_decref(names);
	/* What a case referral from the first stage still asks (case_refer's advance fills the
	 * referral's date and receiver itself; personal fields held count as filled). */
	const char *to = form_referral_stage(c->form), *rdate = form_bound(c->form, FB_REFERRAL_DATE),
		   *rto = form_bound(c->form, FB_REFERRED_TO);
	if (to && strcmp(j_str(row, "stage"), form_initial_stage(c->form)) == 0) {
		/* The personal fields held count as filled, though this view does not show them. */
		json_t *probe = json_deep_copy(fields), *left = json_array(), *x;
		json_array_foreach(pn, i, x)
			json_object_set_new(probe, json_string_value(x), json_true());
		json_t *needs = form_stage_needs(c->form, to, probe, child);
		json_array_foreach(needs, i, x)
			if (strcmp(json_string_value(x), rdate) != 0 && strcmp(json_string_value(x), rto) != 0)
				json_array_append(left, x);
		json_decref(needs);
		json_decref(probe);
		json_object_set_new(row, "referral_needs", left);
	}
	json_object_set_new(row, "access", access_list(row, refs));
	/* Where the case came from when it was a person at risk first: for its full readers. */
	json_t *origin;
	if (a == CASE_FULL && store_reg_of_case(c->db, j_int(row, "id"), &origin) == 0)
		json_object_set_new(row, "from_register", origin);
	if (a == CASE_REFERRAL) {
		/* A receiver sees its own referrals and the names of the fields they grant. */
		json_t *mine = json_array(), *granted = json_array(), *visible = json_array(), *r;
		json_array_foreach(refs, i, r)
			if (j_int(r, "to_institution") == c->me->institution_id) {
				json_array_append(mine, r);
				if (strcmp(j_str(r, "status"), "declined") != 0)
					json_array_extend(granted, json_object_get(r, "fields"));
			}
		json_array_foreach(pn, i, n) {
			size_t j;
			json_t *g;
			json_array_foreach(granted, j, g)
				if (json_equal(g, n)) {
					json_array_append(visible, n);
					break;
				}
		}
		json_decref(granted);
		json_decref(pn);
		json_decref(refs);
		pn = visible;
		refs = mine;
	}
	/* Which personal fields exist, and the referrals with their reasons, only for those who
	 * may read some personal data. */
	if (a < CASE_REFERRAL) {
		json_decref(pn);
		json_decref(refs);
		pn = json_array();
		refs = json_array();
	}
	case_referrals_present(c, refs);
	json_object_set_new(row, "personal_fields", pn);
	json_object_set_new(row, "referrals", refs);
	static const char *const level[] = {"none", "code", "referred", "full"};
	json_object_set_new(row, "your_access", json_string(level[a]));
	json_object_set_new(row, "can_edit", json_boolean(case_may_edit(c, row)));
	json_object_del(row, "county_id");
	*out = row;
	return 0;
}

/* Loads the whole data of a case (non-personal fields + decrypted personal ones). */
static int whole(struct nrm_ctx *c, json_t *row, json_t **out)
{
	json_t *pers;
	int rc = case_decrypt(c, j_int(row, "id"), &pers);
	if (rc)
		return rc;
	json_t *data = json_deep_copy(json_object_get(row, "fields"));
	json_object_update(data, pers);
	json_decref(pers);
	*out = data;
	return 0;
}

/* Applies `fields` onto data (null removes), keeping in `changed` what differs. */
static void apply(json_t *data, json_t *fields, json_t *changed)
{
	const char *k;
	json_t *v;
	json_object_foreach(fields, k, v) {
		json_t *old = json_object_get(data, k);
		if (!form_filled(v)) {
			if (old) {
				json_object_set_new(changed, k, json_null());
				json_object_del(data, k);
			}
		} else if (!old || !json_equal(old, v)) {
			json_object_set(changed, k, v);
			json_object_set(data, k, v);
		}
	}
}

/* The formal decision is recorded by moving the case into the decision stage, and may be
 * corrected only while the case is there; never by editing a case elsewhere. */
static int check_decision(struct nrm_ctx *c, json_t *row, json_t *changed, const char *to, struct nrm_err *err)
{
	const char *f = FIELD(c, FB_DECISION), *stage = form_decision_stage(c->form);
	if (!json_object_get(changed, f) || (to && strcmp(to, stage) == 0) ||
	    (!to && strcmp(j_str(row, "stage"), stage) == 0))
		return 0;
	return nrm_fail(err, NRM_ECONFLICT, KEY_decision_by_transition, f, "stage", stage, NULL);
}

/* A decided case keeps its decision complete (the meeting that took it, its date, ...):
 * what entering the decision stage required stays filled, whatever stage the case is in. */
static int check_decided(struct nrm_ctx *c, json_t *data, bool is_child, struct nrm_err *err)
{
	if (!form_filled(json_object_get(data, FIELD(c, FB_DECISION))))
		return 0;
	return form_check_stage(c->form, data, form_decision_stage(c->form), is_child, err);
}

/* The shared path of update and transition: merge, derive, check, write, record. */
static int change(struct nrm_ctx *c, const char *code, int64_t version, const char *to, json_t *fields,
		  const char *reason, json_t **out, struct nrm_err *err)
{
	json_t *row = NULL, *data = NULL, *changed = json_object(), *county = NULL, *pub = NULL, *dups = NULL;
	char *pubs = NULL, *was = NULL, *now = NULL;
	enum case_access a;
	bool own_tx = true;
	int rc = 0;
	if (fields && ((rc = form_validate(c->form, fields, err)) || (rc = check_field_roles(c, fields, err))))
		goto done;
	if ((rc = case_load(c, code, &row, &a, err)))
		goto done;
	if (!case_may_edit(c, row)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_case_not_editable, NULL, NULL);
		goto done;
	}
	if (*j_str(row, "merged_into")) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_case_merged, NULL, "code", j_str(row, "merged_into"), NULL);
		goto done;
	}
	if (j_int(row, "version") != version) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_stale, "version", NULL);
		goto done;
	}
	if ((rc = whole(c, row, &data)) || (rc = case_identity_of(c, data, &was)))
		goto done;
	if (fields)
		apply(data, fields, changed);
	const char *from = j_str(row, "stage");
	struct case_row r = {.stage = to ? to : from, .closed_from = json_string_value(json_object_get(row, "closed_from"))};
	if ((rc = check_decision(c, row, changed, to, err)) || (rc = case_derive(c, data, &r, &county, err)) ||
	    (rc = check_status(c, fields, data, err)))
		goto done;
	if (strcmp(r.status, j_str(row, "status")) != 0)
		json_object_set_new(changed, FIELD(c, FB_STATUS), json_string(r.status));
	if (to) {
		if ((rc = form_check_transition(c->form, from, to, r.closed_from, c->me->role, data, r.is_child != 0, err)))
			goto done;
		r.closed_from = strcmp(to, form_closed_stage(c->form)) == 0 ? from : NULL;
	} else if ((rc = form_check_required(c->form, data, from, err))) {
		goto done;
	}
	if ((rc = check_decided(c, data, r.is_child != 0, err)))
		goto done;
	if (!to && json_object_size(changed) == 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_nothing_to_change, "fields", NULL);
		goto done;
	}
	pub = case_public_part(c, data);
	if (!(pubs = json_dumps(pub, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = NRM_ENOMEM;
		goto done;
	}
	r.data_json = pubs;
	if ((rc = case_identity_of(c, data, &now)))
		goto done;
	int64_t id = j_int(row, "id");
	/* A decision taken in a meeting joins the meeting's transaction (meeting/decision.c). */
	own_tx = !store_in_tx(c->db);
	if (own_tx && (rc = store_begin(c->db)))
		goto done;
	rc = store_case_update(c->db, id, version, &r);
	if (rc == NRM_ECONFLICT)
		nrm_fail(err, rc, KEY_stale, "version", NULL);
	if (rc || (rc = case_write_personal(c, id, changed)) ||
	    (rc = case_index(c, id, data, strcmp(was, now) ? INDEX_IDENTITY_CHANGED : INDEX_WRITTEN, &dups)) ||
	    (rc = case_event(c, id, to ? "transition" : "update", from, r.stage, changed, row, reason)) ||
	    (rc = case_figures_change(c, id, data, r.age, to)) ||
	    (rc = case_audit(c, to ? "transition" : "update", code, changed, reason)) ||
	    (own_tx && (rc = store_commit(c->db))))
		goto done;
	json_t *res = json_pack("{s:s, s:s, s:I}", "code", code, "stage", r.stage, "version", (json_int_t)(version + 1));
	case_dup_view(c, res, dups);
	*out = res;
done:
	if (rc && own_tx)
		store_rollback(c->db);
	free(pubs);
	free(was);
	free(now);
	json_decref(dups);
	json_decref(pub);
	json_decref(county);
	json_decref(data);
	json_decref(changed);
	json_decref(row);
	return rc;
}

int case_update(struct nrm_ctx *c, const char *code, int64_t version, json_t *fields, const char *reason,
		json_t **out, struct nrm_err *err)
{
	if (!json_is_object(fields))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "fields", NULL);
	return change(c, code, version, NULL, fields, reason, out, err);
}

int case_transition(struct nrm_ctx *c, const char *code, int64_t version, const char *to, json_t *fields,
		    const char *reason, json_t **out, struct nrm_err *err)
{
	if (!form_stage_exists(c->form, to))
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_stage, "to", NULL);
	if (fields && !json_is_object(fields))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "fields", NULL);
	return change(c, code, version, to, fields, reason, out, err);
}

int case_events(struct nrm_ctx *c, const char *code, json_t **out, struct nrm_err *err)
{
	json_t *row, *events;
	enum case_access a;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	rc = store_events(c->db, j_int(row, "id"), &events);
	if (!rc && (rc = case_events_complete(c, row, events)))
		json_decref(events);
	json_decref(row);
	if (rc)
		return rc;
	/* Reasons are free text written about the person: for those who read all of the case,
	 * not for code-only readers nor for an institution that was referred a few fields. */
	case_open_each(c, events, "reason", code, a == CASE_FULL);
	*out = events;
	return 0;
}

/* The names of the fields marked "list" in the form, as JSON text (malloc'd; NULL when out of
 * memory). Stored case data holds top-level fields only (form_validate refuses others). */
static char *list_fields(const struct form *f)
{
	json_t *names = json_array(), *n;
	size_t i;
	json_array_foreach(form_field_names(f), i, n)
		if (form_field_is(f, json_string_value(n), "list"))
			json_array_append(names, n);
	char *text = json_dumps(names, JSON_COMPACT);
	json_decref(names);
	return text;
}

int case_list_refresh(struct store *s, const struct form *f, int64_t *count)
{
	char *names = list_fields(f);
	if (!names)
		return NRM_ENOMEM;
	int64_t n = 0;
	int rc = 0;
	if (!store_cases_list_current(s, names)) {
		bool own = !store_in_tx(s);
		if (!(own && (rc = store_begin(s))) && !(rc = store_cases_list_refresh(s, names, &n)) && own)
			rc = store_commit(s);
		if (rc && own)
			store_rollback(s);
	}
	free(names);
	if (!rc)
		*count = n;
	return rc;
}

/* Who may list, and what the caller's list holds: the scope and the list's columns (*names:
 * malloc'd, the caller frees it after the store call). */
static int list_setup(struct nrm_ctx *c, struct case_filter *f, char **names, struct nrm_err *err)
{
	const struct principal *p = c->me;
	if (!case_role_reads_cases(p->role))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_cases_aggregate_only, NULL, NULL);
	if (f->stage && !form_stage_exists(c->form, f->stage))
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_stage, "stage", NULL);
	if (role_is_authority(p->role)) {
		f->scope = CASES_ALL;
	} else if (role_scope(p->role) == SCOPE_COUNTY) {
		f->scope = CASES_COUNTY;
		f->scope_id = p->county_id;
	} else {
		f->scope = CASES_INSTITUTION;
		f->scope_id = p->institution_id;
	}
	f->exploitation_field = FIELD(c, FB_EXPLOITATION);
	f->exploitation_dim = statdef_dim_is_codes(c->stats, STORE_CODES_DIM, "exploitation");
	/* Lists carry the columns people scan for (marked "list" in the form), not every field. */
	if (!(*names = list_fields(c->form)))
		return nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	f->list_fields = *names;
	return 0;
}

int case_list(struct nrm_ctx *c, struct case_filter *f, int64_t before, int limit, json_t **out, struct nrm_err *err)
{
	char *names = NULL;
	int rc = list_setup(c, f, &names, err);
	if (rc)
		return rc;
	json_t *rows;
	rc = store_cases(c->db, f, before, limit, &rows);
	f->list_fields = NULL;
	free(names);
	if (rc)
		return rc;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		json_object_del(r, "county_id");
	*out = rows;
	return 0;
}

int case_list_json(struct nrm_ctx *c, struct case_filter *f, int64_t before, int limit, struct buf *out, size_t *n,
		   int64_t *last, struct nrm_err *err)
{
	char *names = NULL;
	int rc = list_setup(c, f, &names, err);
	if (!rc)
		rc = store_cases_json(c->db, f, before, limit, out, n, last);
	f->list_fields = NULL;
	free(names);
	return rc;
}
