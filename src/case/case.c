/* Case creation, reading, updating and the workflow. */
#include "case/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case/internal.h"
#include "core/date.h"
#include "secure/audit.h"
#include "store/org.h"

bool case_role_reads_cases(enum role r)
{
	return role_is_authority(r) || r == ROLE_CASEWORKER || role_scope(r) == SCOPE_COUNTY;
}

enum case_access case_access_of(struct case_ctx *c, json_t *row)
{
	const struct principal *p = c->me;
	if (role_is_authority(p->role))
		return CASE_FULL;
	if (role_scope(p->role) == SCOPE_COUNTY)
		return p->county_id && p->county_id == cj_int(row, "county_id") ? CASE_CODE : CASE_NONE;
	if (p->role != ROLE_CASEWORKER || !p->institution_id)
		return CASE_NONE;
	if (cj_int(row, "holder") == p->institution_id || cj_int(row, "creator") == p->institution_id)
		return CASE_FULL;
	int yes = 0;
	if (store_case_institution_access(c->db, cj_int(row, "id"), p->institution_id, &yes) == 0 && yes)
		return CASE_REFERRAL;
	return CASE_NONE;
}

/* Whether the caller may change the case: the Authority, or the institution holding it. */
static bool may_edit(struct case_ctx *c, json_t *row)
{
	if (role_is_authority(c->me->role))
		return true;
	return c->me->role == ROLE_CASEWORKER && c->me->institution_id && cj_int(row, "holder") == c->me->institution_id;
}

int case_load(struct case_ctx *c, const char *code, json_t **row, enum case_access *access, struct nrm_err *err)
{
	if (!case_role_reads_cases(c->me->role))
		return nrm_fail(err, NRM_EFORBIDDEN, NULL, "your role sees aggregate figures only, not cases");
	if (!code || strlen(code) > 32)
		return nrm_fail(err, NRM_ENOTFOUND, NULL, "no such case");
	int rc = store_case_get(c->db, code, 0, row);
	if (rc)
		return nrm_fail(err, rc, NULL, rc == NRM_ENOTFOUND ? "no such case" : "cannot read the case");
	*access = case_access_of(c, *row);
	if (*access == CASE_NONE) {
		json_decref(*row);
		*row = NULL;
		return nrm_fail(err, NRM_ENOTFOUND, NULL, "no such case");
	}
	return 0;
}

/* ---- personal fields ---- */

struct decrypt_ctx {
	struct case_ctx *c;
	int64_t id;
	json_t *out;
};

static int decrypt_one(const char *field, const unsigned char *blob, size_t len, void *ud)
{
	struct decrypt_ctx *d = ud;
	char *pt;
	size_t n;
	int rc = crypt_open(d->c->keys, d->id, field, blob, len, &pt, &n);
	if (rc)
		return rc;
	json_t *v = json_loadb(pt, n, JSON_DECODE_ANY, NULL);
	sodium_memzero_str(pt, n);
	free(pt);
	if (!v)
		return NRM_EIO;
	json_object_set_new(d->out, field, v);
	return 0;
}

int case_decrypt(struct case_ctx *c, int64_t id, json_t **out)
{
	struct decrypt_ctx d = {c, id, json_object()};
	int rc = store_personal_each(c->db, id, decrypt_one, &d);
	if (rc) {
		json_decref(d.out);
		return rc;
	}
	*out = d.out;
	return 0;
}

/* Writes the personal fields of `changed` (null removes one), encrypted for this case. */
static int write_personal(struct case_ctx *c, int64_t id, json_t *changed)
{
	const char *k;
	json_t *v;
	json_object_foreach(changed, k, v) {
		if (!form_is_personal(c->form, k))
			continue;
		int rc;
		if (!form_filled(v)) {
			rc = store_personal_delete(c->db, id, k);
		} else {
			char *txt = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
			unsigned char *ct;
			size_t n;
			if (!txt)
				return NRM_ENOMEM;
			rc = crypt_seal(c->keys, id, k, txt, strlen(txt), &ct, &n);
			sodium_memzero_str(txt, strlen(txt));
			free(txt);
			if (rc)
				return rc;
			rc = store_personal_put(c->db, id, k, ct, n);
			free(ct);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- derived columns ---- */

static const char *age_band(int age)
{
	if (age < 0)
		return "unknown";
	static const struct {
		int max;
		const char *band;
	} bands[] = {{11, "0-11"}, {14, "12-14"}, {17, "15-17"}, {24, "18-24"}, {34, "25-34"}, {49, "35-49"}};
	for (size_t i = 0; i < sizeof bands / sizeof *bands; i++)
		if (age <= bands[i].max)
			return bands[i].band;
	return "50+";
}

/* Institution and meeting references (in groups too) must exist; the decision's meeting is
 * the Authority's. `path` prefixes field names inside a group entry. */
static int check_refs(struct case_ctx *c, json_t *obj, const char *path, struct nrm_err *err)
{
	const char *name;
	json_t *v, *m = NULL;
	json_object_foreach(obj, name, v) {
		char where[160];
		snprintf(where, sizeof where, "%s%s%s", path ? path : "", path ? "." : "", name);
		json_t *fd = form_field(c->form, name);
		if (strcmp(cj_str(fd, "type"), "group") == 0) {
			size_t i;
			json_t *item;
			json_array_foreach(v, i, item) {
				char ip[96];
				snprintf(ip, sizeof ip, "%s.%zu", name, i);
				int rc = check_refs(c, item, ip, err);
				if (rc)
					return rc;
			}
			continue;
		}
		const char *ref = cj_str(fd, "ref");
		if (!*ref || !json_is_integer(v))
			continue;
		if (strcmp(ref, "institution") == 0) {
			if (store_institution_get(c->db, json_integer_value(v), &m) != 0)
				return nrm_fail(err, NRM_EINVAL, where, "%s is not an institution of the registry", where);
			json_decref(m);
		} else if (strcmp(ref, "meeting") == 0) {
			if (store_meeting_get(c->db, json_integer_value(v), &m) != 0)
				return nrm_fail(err, NRM_EINVAL, where, "%s is not a recorded meeting", where);
			bool authority = strcmp(cj_str(m, "body_kind"), "authority") == 0;
			json_decref(m);
			if (!authority)
				return nrm_fail(err, NRM_EINVAL, where, "%s must be a meeting of the Responsible Authority", where);
		}
		m = NULL;
	}
	return 0;
}

/* Fields that belong to a workflow stage may be set only by the roles that may move a case
 * into that stage (a case worker cannot record the Authority's decision), and only the
 * Authority decides whether someone is a victim. */
static int check_field_roles(struct case_ctx *c, json_t *fields, struct nrm_err *err)
{
	const char *name;
	json_t *v;
	json_t *stages = json_object_get(form_workflow(c->form), "stages");
	json_object_foreach(fields, name, v) {
		const char *stage = cj_str(form_field(c->form, name), "stage");
		size_t i, j;
		json_t *st, *r;
		json_array_foreach(stages, i, st) {
			if (!*stage || strcmp(cj_str(st, "code"), stage) != 0)
				continue;
			bool ok = false;
			json_array_foreach(json_object_get(st, "roles"), j, r)
				ok |= strcmp(json_string_value(r), role_name(c->me->role)) == 0;
			if (!ok)
				return nrm_fail(err, NRM_EFORBIDDEN, name, "your role may not set %s", name);
		}
	}
	const char *status = json_string_value(json_object_get(fields, "vic_TraffickingStatus"));
	if (status && strcmp(status, "PossibleVictimOfTrafficking") != 0 && !role_is_authority(c->me->role))
		return nrm_fail(err, NRM_EFORBIDDEN, "vic_TraffickingStatus",
				"only the Responsible Authority identifies a person formally as a victim or not");
	return 0;
}

/* Fills the non-personal columns from the whole case data and sets al_is_child in it.
 * Checks the registry references (county, municipalities, institutions, meeting). */
static int derive(struct case_ctx *c, json_t *data, struct case_row *r, json_t **county_row, struct nrm_err *err)
{
	int64_t cid = 0, n;
	json_t *m = NULL;
	const char *slug = cj_str(data, "al_county");
	if (store_county_id(c->db, slug, &cid) != 0 || store_county_get(c->db, cid, county_row) != 0)
		return nrm_fail(err, NRM_EINVAL, "al_county", "al_county must be one of the 12 county slugs");
	static const char *const pairs[][2] = {{"al_municipality", "al_county"},
					       {"al_residence_municipality", "al_residence_county"}};
	for (size_t i = 0; i < 2; i++) {
		const char *ms = cj_str(data, pairs[i][0]);
		if (!*ms)
			continue;
		if (store_municipality_get(c->db, ms, &m) != 0)
			return nrm_fail(err, NRM_EINVAL, pairs[i][0], "%s is not a municipality", pairs[i][0]);
		bool ok = strcmp(cj_str(m, "county"), cj_str(data, pairs[i][1])) == 0;
		json_decref(m);
		m = NULL;
		if (!ok)
			return nrm_fail(err, NRM_EINVAL, pairs[i][0], "%s is not in the county given in %s", pairs[i][0],
					pairs[i][1]);
	}
	if (*cj_str(data, "al_residence_county") && store_county_id(c->db, cj_str(data, "al_residence_county"), &n) != 0)
		return nrm_fail(err, NRM_EINVAL, "al_residence_county", "al_residence_county is not a county");
	int rc = check_refs(c, data, NULL, err);
	if (rc)
		return rc;
	int32_t ident = 0, birth = 0;
	if (date_parse(cj_str(data, "al_identification_date"), &ident) != 0)
		return nrm_fail(err, NRM_EINVAL, "al_identification_date", "al_identification_date is required");
	if (ident > c->today)
		return nrm_fail(err, NRM_EINVAL, "al_identification_date", "al_identification_date is in the future");
	int age = -1;
	if (date_parse(cj_str(data, "prs_Birthdate"), &birth) == 0) {
		if (birth > ident)
			return nrm_fail(err, NRM_EINVAL, "prs_Birthdate", "prs_Birthdate is after the identification date");
		age = form_age_years(birth, ident);
	} else if (json_is_integer(json_object_get(data, "al_estimated_age"))) {
		age = (int)json_integer_value(json_object_get(data, "al_estimated_age"));
	} else {
		return nrm_fail(err, NRM_EINVAL, "al_estimated_age", "give prs_Birthdate or al_estimated_age");
	}
	json_object_set_new(data, "al_is_child", json_boolean(age < 18));
	r->county = cid;
	r->is_child = age < 18;
	r->age_band = age_band(age);
	r->sex = json_string_value(json_object_get(data, "prs_Gender"));
	r->status = cj_str(data, "vic_TraffickingStatus");
	r->identified_on = cj_str(data, "al_identification_date");
	return 0;
}

/* The non-personal part of data, as stored in cases.data_json and shown to every reader. */
static json_t *public_part(struct case_ctx *c, json_t *data)
{
	json_t *o = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(data, k, v)
		if (!form_is_personal(c->form, k) && form_filled(v))
			json_object_set(o, k, v);
	return o;
}

json_t *case_state(json_t *pub, const struct case_row *r, int64_t holder, bool merged)
{
	json_t *st = json_pack("{s:s, s:s, s:b, s:s?, s:s, s:I, s:I, s:s, s:b}", "stage", r->stage, "status", r->status,
			       "is_child", r->is_child, "sex", r->sex, "age_band", r->age_band, "county", (json_int_t)r->county,
			       "holder", (json_int_t)holder, "identified_on", r->identified_on, "merged", merged);
	json_object_set(st, "exploitation", json_object_get(pub, "vic_TypeOfExploitation"));
	return st;
}

/* Records an event with the case's new state; changes name the fields, with values only for
 * non-personal ones. */
int case_event(struct case_ctx *c, int64_t id, const char *action, const char *from, const char *to, json_t *changed,
	       const char *reason, json_t *state)
{
	json_t *ch = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(changed, k, v)
		json_object_set_new(ch, k, form_is_personal(c->form, k) ? json_string("(personal)") : json_incref(v));
	char *chs = json_dumps(ch, JSON_COMPACT), *sts = json_dumps(state, JSON_COMPACT);
	int rc = store_event_add(c->db, id, c->me->id, c->me->username, c->me->institution_id, action, from, to, chs,
				 reason, sts);
	free(chs);
	free(sts);
	json_decref(ch);
	return rc;
}

/* Audits a change to a case by code and the names of the fields it touched — never values. */
int case_audit(struct case_ctx *c, const char *action, const char *code, json_t *changed, const char *reason)
{
	json_t *names = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(changed, k, v)
		json_array_append_new(names, json_string(k));
	json_t *after = json_pack("{s:o}", "fields", names);
	int rc = secure_audit(c->db, c->me, action, "case", code, NULL, after, reason);
	json_decref(after);
	return rc;
}

/* Likely duplicates in a reply: their codes for the Authority, who handles the queue; for
 * others only that there is one (a code would tell where else the person is registered). */
static void dup_view(struct case_ctx *c, json_t *out, json_t *dups)
{
	bool any = json_array_size(dups) > 0;
	json_object_set_new(out, "duplicates", role_is_authority(c->me->role) ? json_incref(dups) : json_array());
	json_object_set_new(out, "likely_duplicate", json_boolean(any));
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

int case_create(struct case_ctx *c, json_t *fields, int64_t institution, json_t **out, struct nrm_err *err)
{
	const struct principal *p = c->me;
	if (!(p->role == ROLE_CASEWORKER || role_is_authority(p->role)))
		return nrm_fail(err, NRM_EFORBIDDEN, NULL, "your role may not register cases");
	int64_t holder = p->role == ROLE_CASEWORKER ? p->institution_id : (institution ? institution : p->institution_id);
	json_t *inst = NULL, *data = NULL, *county = NULL, *pub = NULL, *state = NULL, *dups = NULL, *tmp;
	if (!holder)
		return nrm_fail(err, NRM_EINVAL, "institution", "institution is required: the institution registering the case");
	if (store_institution_get(c->db, holder, &inst) != 0)
		return nrm_fail(err, NRM_EINVAL, "institution", "institution is not in the registry");
	json_decref(inst);
	int rc = form_validate(c->form, fields, err);
	if (!rc)
		rc = check_field_roles(c, fields, err);
	if (rc)
		return rc;
	data = compact(fields);
	bool own_tx = !c->db->in_tx;
	struct case_row r = {.stage = form_initial_stage(c->form), .holder = holder, .creator = holder};
	if ((rc = derive(c, data, &r, &county, err)) ||
	    (rc = form_check_required(c->form, data, r.stage, err)))
		goto done;
	int32_t ident = 0;
	date_parse(r.identified_on, &ident);
	int y, mo, d;
	date_to_ymd(ident, &y, &mo, &d);
	r.year = y;
	char code[32];
	int64_t id;
	/* An import runs many creates in its own transaction: join it rather than nest. */
	if ((own_tx && (rc = store_begin(c->db))) || (rc = store_case_next_seq(c->db, r.county, r.year, &r.seq)))
		goto done;
	snprintf(code, sizeof code, "%s-%04d-%04lld", cj_str(county, "case_prefix"), y, (long long)r.seq);
	r.code = code;
	pub = public_part(c, data);
	char *pubs = json_dumps(pub, JSON_COMPACT | JSON_SORT_KEYS);
	r.data_json = pubs;
	rc = store_case_add(c->db, &r, &id);
	free(pubs);
	if (rc)
		goto done;
	state = case_state(pub, &r, holder, false);
	if ((rc = write_personal(c, id, data)) || (rc = case_index(c, id, data, &dups)) ||
	    (rc = case_event(c, id, "create", NULL, r.stage, data, NULL, state)) ||
	    (rc = case_audit(c, "create", code, data, NULL)) || (own_tx && (rc = store_commit(c->db))))
		goto done;
	tmp = json_pack("{s:I, s:s}", "id", (json_int_t)id, "code", code);
	dup_view(c, tmp, dups);
	*out = tmp;
done:
	if (rc && own_tx)
		store_rollback(c->db);
	if (rc == NRM_ECONFLICT && !err->msg[0])
		nrm_fail(err, rc, NULL, "the case could not be saved; try again");
	json_decref(dups);
	json_decref(state);
	json_decref(pub);
	json_decref(county);
	json_decref(data);
	return rc;
}

/* Who may see the case: its holder, its creator, institutions it was referred to, and the roles. */
static json_t *access_list(struct case_ctx *c, json_t *row, json_t *referrals)
{
	json_t *inst = json_array();
	json_array_append_new(inst, json_pack("{s:O, s:O, s:s, s:s}", "id", json_object_get(row, "holder"), "name",
					      json_object_get(row, "holder_name"), "as", "holder", "sees", "all"));
	if (cj_int(row, "creator") != cj_int(row, "holder"))
		json_array_append_new(inst, json_pack("{s:O, s:O, s:s, s:s}", "id", json_object_get(row, "creator"), "name",
						      json_object_get(row, "creator_name"), "as", "creator", "sees", "all"));
	size_t i;
	json_t *r;
	json_array_foreach(referrals, i, r)
		if (strcmp(cj_str(r, "status"), "declined") != 0)
			json_array_append_new(inst, json_pack("{s:O, s:O, s:s, s:s}", "id", json_object_get(r, "to_institution"),
							      "name", json_object_get(r, "to_name"), "as", "referral",
							      "sees", "referred fields"));
	(void)c;
	return json_pack("{s:o, s:[{s:s, s:s}, {s:s, s:s}]}", "institutions", inst, "roles", "who", "authority", "sees",
			 "all_with_reason", "who", "county_bodies", "sees", "code_and_non_personal");
}

int case_get(struct case_ctx *c, const char *code, json_t **out, struct nrm_err *err)
{
	json_t *row, *refs = NULL, *names = NULL;
	enum case_access a;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	if ((rc = store_referrals(c->db, 'c', cj_int(row, "id"), NULL, &refs)) ||
	    (rc = store_personal_names(c->db, cj_int(row, "id"), &names))) {
		json_decref(row);
		return rc;
	}
	json_t *fields = json_object_get(row, "fields");
	bool child = json_is_true(json_object_get(row, "is_child"));
	json_object_set_new(row, "screening", form_screening(fields, child));
	json_t *pn = json_array();
	size_t i;
	json_t *n;
	json_array_foreach(names, i, n)
		json_array_append(pn, json_object_get(n, "field"));
	json_decref(names);
	/* Which personal fields exist is shown only to those who may read some of them. */
	json_object_set_new(row, "personal_fields", a >= CASE_REFERRAL ? pn : json_array());
	if (a < CASE_REFERRAL)
		json_decref(pn);
	json_object_set_new(row, "access", access_list(c, row, refs));
	if (a == CASE_REFERRAL) {
		/* A receiver sees its own referrals and the names of the fields they grant. */
		json_t *mine = json_array(), *granted = json_array(), *r;
		json_array_foreach(refs, i, r)
			if (cj_int(r, "to_institution") == c->me->institution_id) {
				json_array_append(mine, r);
				json_array_extend(granted, json_object_get(r, "fields"));
			}
		json_t *visible = json_array();
		json_array_foreach(json_object_get(row, "personal_fields"), i, n) {
			size_t j;
			json_t *g;
			json_array_foreach(granted, j, g)
				if (json_equal(g, n)) {
					json_array_append(visible, n);
					break;
				}
		}
		json_object_set_new(row, "personal_fields", visible);
		json_decref(granted);
		json_decref(refs);
		refs = mine;
	}
	json_object_set_new(row, "referrals", a >= CASE_REFERRAL ? refs : json_array());
	if (a < CASE_REFERRAL)
		json_decref(refs);
	static const char *const level[] = {"none", "code", "referral", "full"};
	json_object_set_new(row, "your_access", json_string(level[a]));
	json_object_set_new(row, "can_edit", json_boolean(may_edit(c, row)));
	json_object_del(row, "county_id");
	*out = row;
	return 0;
}

int case_personal(struct case_ctx *c, const char *code, const char *reason, json_t **out, struct nrm_err *err)
{
	json_t *row, *all = NULL, *allowed = NULL;
	enum case_access a;
	char *prior = NULL;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	int64_t id = cj_int(row, "id");
	if (a < CASE_REFERRAL) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, NULL, "your role may not read personal data");
		goto done;
	}
	if (reason && strlen(reason) > 500) {
		rc = nrm_fail(err, NRM_EINVAL, "reason", "reason is longer than 500 characters");
		goto done;
	}
	bool given = reason && *reason;
	if (!given && (!c->session || store_personal_read_get(c->db, c->session, id, &prior) != 0)) {
		rc = nrm_fail(err, NRM_EINVAL, "reason", "say why you need to read this person's data (reason)");
		goto done;
	}
	if ((rc = case_decrypt(c, id, &all)))
		goto done;
	if (a == CASE_REFERRAL) {
		json_t *rf;
		if ((rc = store_referred_fields(c->db, id, c->me->institution_id, &rf)))
			goto done;
		allowed = json_object();
		size_t i;
		json_t *f;
		json_array_foreach(rf, i, f) {
			json_t *v = json_object_get(all, cj_str(f, "field"));
			if (v)
				json_object_set(allowed, cj_str(f, "field"), v);
		}
		json_decref(rf);
	} else {
		allowed = json_incref(all);
	}
	const char *why = given ? reason : prior;
	if ((rc = store_begin(c->db)) ||
	    (c->session && given && (rc = store_personal_read_put(c->db, c->session, id, reason, (int64_t)time(NULL)))) ||
	    (rc = case_audit(c, "read_personal", code, allowed, why)) || (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:s, s:O}", "code", code, "fields", allowed);
done:
	if (rc)
		store_rollback(c->db);
	free(prior);
	json_decref(allowed);
	json_decref(all);
	json_decref(row);
	return rc;
}

/* Loads the whole data of a case (non-personal fields + decrypted personal ones). */
static int whole(struct case_ctx *c, json_t *row, json_t **out)
{
	json_t *pers;
	int rc = case_decrypt(c, cj_int(row, "id"), &pers);
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

/* The shared path of update and transition: merge, derive, check, write, record. */
static int change(struct case_ctx *c, const char *code, int64_t version, const char *to, json_t *fields,
		  const char *reason, json_t **out, struct nrm_err *err)
{
	json_t *row = NULL, *data = NULL, *changed = json_object(), *county = NULL, *pub = NULL, *state = NULL, *dups = NULL;
	enum case_access a;
	int rc = 0;
	if (fields && ((rc = form_validate(c->form, fields, err)) || (rc = check_field_roles(c, fields, err))))
		goto done;
	if ((rc = case_load(c, code, &row, &a, err)))
		goto done;
	if (!may_edit(c, row)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, NULL, "only the institution holding the case or the Authority may change it");
		goto done;
	}
	if (cj_str(row, "merged_into")[0]) {
		rc = nrm_fail(err, NRM_ECONFLICT, NULL, "this case was merged into %s; change that one", cj_str(row, "merged_into"));
		goto done;
	}
	if (cj_int(row, "version") != version) {
		rc = nrm_fail(err, NRM_ECONFLICT, "version",
			      "the case was changed by someone else meanwhile; reload it and apply your change again");
		goto done;
	}
	if ((rc = whole(c, row, &data)))
		goto done;
	if (fields)
		apply(data, fields, changed);
	const char *from = cj_str(row, "stage");
	struct case_row r = {.stage = to ? to : from, .closed_from = json_string_value(json_object_get(row, "closed_from"))};
	if (to && strcmp(to, "formal_identification") == 0) {
		/* The Authority's decision sets the status (Instruction 132 §4, SOP). */
		const char *dec = cj_str(data, "al_formal_decision");
		const char *status = strcmp(dec, "identified_victim") == 0 ? "ActualVictimOfTrafficking"
				     : strcmp(dec, "not_identified") == 0  ? "NotAVictimOfTrafficking"
									   : NULL;
		if (status && strcmp(cj_str(data, "vic_TraffickingStatus"), status) != 0) {
			json_object_set_new(data, "vic_TraffickingStatus", json_string(status));
			json_object_set_new(changed, "vic_TraffickingStatus", json_string(status));
		}
	}
	if ((rc = derive(c, data, &r, &county, err)))
		goto done;
	if (to) {
		if ((rc = form_check_transition(c->form, from, to, r.closed_from, c->me->role, data, r.is_child != 0, err)))
			goto done;
		r.closed_from = strcmp(to, "closed") == 0 ? from : NULL;
	} else if ((rc = form_check_required(c->form, data, from, err))) {
		goto done;
	}
	if (!to && json_object_size(changed) == 0) {
		rc = nrm_fail(err, NRM_EINVAL, "fields", "nothing to change");
		goto done;
	}
	pub = public_part(c, data);
	char *pubs = json_dumps(pub, JSON_COMPACT | JSON_SORT_KEYS);
	r.data_json = pubs;
	int64_t id = cj_int(row, "id");
	if ((rc = store_begin(c->db))) {
		free(pubs);
		goto done;
	}
	rc = store_case_update(c->db, id, version, &r);
	free(pubs);
	if (rc == NRM_ECONFLICT)
		nrm_fail(err, rc, "version", "the case was changed by someone else meanwhile; reload it and apply your change again");
	state = case_state(pub, &r, cj_int(row, "holder"), false);
	if (rc || (rc = write_personal(c, id, changed)) || (rc = case_index(c, id, data, &dups)) ||
	    (rc = case_event(c, id, to ? "transition" : "update", from, r.stage, changed, reason, state)) ||
	    (rc = case_audit(c, to ? "transition" : "update", code, changed, reason)) || (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:s, s:s, s:I}", "code", code, "stage", r.stage, "version", (json_int_t)(version + 1));
	dup_view(c, *out, dups);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(dups);
	json_decref(state);
	json_decref(pub);
	json_decref(county);
	json_decref(data);
	json_decref(changed);
	json_decref(row);
	return rc;
}

int case_update(struct case_ctx *c, const char *code, int64_t version, json_t *fields, const char *reason,
		json_t **out, struct nrm_err *err)
{
	if (!json_is_object(fields))
		return nrm_fail(err, NRM_EINVAL, "fields", "fields must be an object");
	return change(c, code, version, NULL, fields, reason, out, err);
}

int case_transition(struct case_ctx *c, const char *code, int64_t version, const char *to, json_t *fields,
		    const char *reason, json_t **out, struct nrm_err *err)
{
	if (!form_stage_exists(c->form, to))
		return nrm_fail(err, NRM_EINVAL, "to", "unknown stage");
	return change(c, code, version, to, fields, reason, out, err);
}

int case_events(struct case_ctx *c, const char *code, json_t **out, struct nrm_err *err)
{
	json_t *row;
	enum case_access a;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	rc = store_events(c->db, cj_int(row, "id"), out);
	json_decref(row);
	if (rc || a > CASE_CODE)
		return rc;
	/* Reasons are free text written about the person: not for code-only readers. */
	size_t i;
	json_t *e;
	json_array_foreach(*out, i, e)
		if (!json_is_null(json_object_get(e, "reason")))
			json_object_set_new(e, "reason", json_string("(hidden)"));
	return 0;
}

int case_list(struct case_ctx *c, struct case_filter *f, int64_t before, int limit, json_t **out, struct nrm_err *err)
{
	const struct principal *p = c->me;
	if (!case_role_reads_cases(p->role))
		return nrm_fail(err, NRM_EFORBIDDEN, NULL, "your role sees aggregate figures only, not cases");
	if (role_is_authority(p->role)) {
		f->scope = CASES_ALL;
	} else if (role_scope(p->role) == SCOPE_COUNTY) {
		f->scope = CASES_COUNTY;
		f->scope_id = p->county_id;
	} else {
		f->scope = CASES_INSTITUTION;
		f->scope_id = p->institution_id;
	}
	json_t *rows;
	int rc = store_cases(c->db, f, before, limit, &rows);
	if (rc)
		return rc;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_t *fields = json_object_get(r, "fields");
		/* Lists carry the columns people scan for, not every field. */
		json_t *keep = json_pack("{s:O?, s:O?, s:O?}", "vic_TypeOfExploitation",
					 json_object_get(fields, "vic_TypeOfExploitation"), "al_identification_method",
					 json_object_get(fields, "al_identification_method"), "al_trafficking_scope",
					 json_object_get(fields, "al_trafficking_scope"));
		json_object_set_new(r, "fields", keep);
		json_object_del(r, "county_id");
	}
	*out = rows;
	return 0;
}
