/* What is recorded of a case besides its fields: the columns derived from its data, its
 * public part, the events of its timeline with what each did to the non-personal state, and
 * the audit rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "core/date.h"
#include "secure/audit.h"
#include "store/meeting.h"
#include "store/org.h"

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

/* Institution and meeting references (in groups too) must exist; a meeting referred to is
 * the Authority's. `path` prefixes field names inside a group entry. */
static int check_refs(struct nrm_ctx *c, json_t *obj, const char *path, struct nrm_err *err)
{
	const char *name;
	json_t *v, *m = NULL;
	json_object_foreach(obj, name, v) {
		char where[160];
		snprintf(where, sizeof where, "%s%s%s", path ? path : "", path ? "." : "", name);
		json_t *fd = form_field(c->form, name);
		if (strcmp(j_str(fd, "type"), "group") == 0) {
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
		const char *ref = j_str(fd, "ref");
		if (!*ref || !json_is_integer(v))
			continue;
		if (strcmp(ref, "institution") == 0) {
			if (store_institution_get(c->db, json_integer_value(v), &m) != 0)
				return nrm_fail(err, NRM_EINVAL, KEY_unknown_institution, where, NULL);
		} else if (strcmp(ref, "meeting") == 0) {
			if (store_meeting_get(c->db, json_integer_value(v), &m) != 0)
				return nrm_fail(err, NRM_EINVAL, KEY_unknown_meeting, where, NULL);
			bool authority = strcmp(j_str(m, "body_kind"), "authority") == 0;
			json_decref(m);
			m = NULL;
			if (!authority)
				return nrm_fail(err, NRM_EINVAL, KEY_meeting_not_authority, where, NULL);
		}
		json_decref(m);
		m = NULL;
	}
	return 0;
}

/* A municipality field must name a municipality of the county its county field names. */
static int check_municipality(struct nrm_ctx *c, json_t *data, enum form_bind muni, enum form_bind county,
			      struct nrm_err *err)
{
	const char *ms = j_str(data, FIELD(c, muni));
	json_t *m;
	if (!*ms)
		return 0;
	if (store_municipality_get(c->db, ms, &m) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_municipality, FIELD(c, muni), NULL);
	bool ok = strcmp(j_str(m, "county"), j_str(data, FIELD(c, county))) == 0;
	json_decref(m);
	return ok ? 0 : nrm_fail(err, NRM_EINVAL, KEY_municipality_county, FIELD(c, muni), "county_field", FIELD(c, county), NULL);
}

int case_age(struct nrm_ctx *c, json_t *data)
{
	int32_t ident, birth;
	json_t *est = json_object_get(data, FIELD(c, FB_ESTIMATED_AGE));
	if (date_parse(j_str(data, FIELD(c, FB_IDENTIFICATION_DATE)), &ident) != 0)
		return -1;
	if (date_parse(j_str(data, FIELD(c, FB_BIRTH_DATE)), &birth) == 0 && birth <= ident)
		return form_age_years(birth, ident);
	return json_is_integer(est) ? (int)json_integer_value(est) : -1;
}

int case_derive(struct nrm_ctx *c, json_t *data, struct case_row *r, json_t **county_row, struct nrm_err *err)
{
	int64_t cid = 0, n;
	json_t *county = NULL;
	const char *f_county = FIELD(c, FB_COUNTY), *f_ident = FIELD(c, FB_IDENTIFICATION_DATE);
	if (store_county_id(c->db, j_str(data, f_county), &cid) != 0 || store_county_get(c->db, cid, &county) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, f_county, NULL);
	int rc;
	if ((rc = check_municipality(c, data, FB_MUNICIPALITY, FB_COUNTY, err)) ||
	    (rc = check_municipality(c, data, FB_RESIDENCE_MUNICIPALITY, FB_RESIDENCE_COUNTY, err)))
		goto fail;
	const char *rcounty = j_str(data, FIELD(c, FB_RESIDENCE_COUNTY));
	if (*rcounty && store_county_id(c->db, rcounty, &n) != 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_county, FIELD(c, FB_RESIDENCE_COUNTY), NULL);
		goto fail;
	}
	if ((rc = check_refs(c, data, NULL, err)))
		goto fail;
	int32_t ident = 0, birth = 0;
	if (date_parse(j_str(data, f_ident), &ident) != 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_required, f_ident, NULL);
		goto fail;
	}
	if (ident > c->today) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_date_in_future, f_ident, NULL);
		goto fail;
	}
	/* A referral is counted by its day: not one to come. */
	const char *f_ref = FIELD(c, FB_REFERRAL_DATE);
	int32_t referred;
	if (f_ref && date_parse(j_str(data, f_ref), &referred) == 0 && referred > c->today) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_date_in_future, f_ref, NULL);
		goto fail;
	}
	int age;
	const char *f_birth = FIELD(c, FB_BIRTH_DATE), *f_age = FIELD(c, FB_ESTIMATED_AGE);
	json_t *est = json_object_get(data, f_age);
	if (date_parse(j_str(data, f_birth), &birth) == 0) {
		if (birth > ident) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_birth_after_identification, f_birth, NULL);
			goto fail;
		}
		age = form_age_years(birth, ident);
	} else if (json_is_integer(est)) {
		age = (int)json_integer_value(est);
	} else {
		rc = nrm_fail(err, NRM_EINVAL, KEY_birth_or_age, f_age, "birth", f_birth, "age", f_age, NULL);
		goto fail;
	}
	/* The status follows the formal decision and nothing else. */
	const char *decided = form_decided_status(c->form, json_string_value(json_object_get(data, FIELD(c, FB_DECISION))));
	json_object_set_new(data, FIELD(c, FB_STATUS), json_string(decided ? decided : form_undecided_status(c->form)));
	json_object_set_new(data, FIELD(c, FB_IS_CHILD), json_boolean(age < 18));
	r->county = cid;
	r->is_child = age < 18;
	r->age_band = age_band(age);
	r->age = age;
	r->sex = json_string_value(json_object_get(data, FIELD(c, FB_SEX)));
	r->status = j_str(data, FIELD(c, FB_STATUS));
	r->identified_on = j_str(data, f_ident);
	*county_row = county;
	return 0;
fail:
	json_decref(county);
	return rc;
}

json_t *case_public_part(struct nrm_ctx *c, json_t *data)
{
	json_t *o = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(data, k, v)
		if (!form_is_personal(c->form, k) && form_filled(v))
			json_object_set(o, k, v);
	return o;
}

json_t *case_state(struct nrm_ctx *c, json_t *row)
{
	static const struct {
		const char *key;
		enum form_bind field;
	} dims[] = {{"exploitation", FB_EXPLOITATION}, {"citizenship", FB_CITIZENSHIP},
		    {"municipality", FB_MUNICIPALITY}, {"identification_method", FB_IDENTIFICATION_METHOD},
		    {"identifying_institution", FB_IDENTIFYING_INSTITUTION}};
	json_t *fields = json_object_get(row, "fields");
	json_t *st = json_pack("{s:O?, s:O?, s:b, s:O?, s:O?, s:I, s:I, s:O?, s:b}", "stage", json_object_get(row, "stage"),
			       "status", json_object_get(row, "status"), "is_child",
			       json_is_true(json_object_get(row, "is_child")), "sex", json_object_get(row, "sex"),
			       "age_band", json_object_get(row, "age_band"), "county", (json_int_t)j_int(row, "county_id"),
			       "holder", (json_int_t)j_int(row, "holder"), "identified_on",
			       json_object_get(row, "identified_on"), "merged", *j_str(row, "merged_into") != '\0');
	for (size_t i = 0; st && i < sizeof dims / sizeof *dims; i++) {
		json_t *v = json_object_get(fields, FIELD(c, dims[i].field));
		json_object_set(st, dims[i].key, v ? v : json_null());
	}
	return st;
}

/* The values `before` held under the keys whose value `after` changed (a key `before` lacks:
 * null), or NULL when nothing changed. */
static json_t *was_of(json_t *before, json_t *after)
{
	json_t *was = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(before, k, v)
		if (!json_equal(v, json_object_get(after, k)))
			json_object_set(was, k, v);
	json_object_foreach(after, k, v)
		if (!json_object_get(before, k))
			json_object_set_new(was, k, json_null());
	if (json_object_size(was) == 0) {
		json_decref(was);
		return NULL;
	}
	return was;
}

/* What an event records of the case's change, given the stored case before and after it:
 * {"state": the state's changed keys' values before, "fields": the public fields' values
 * before} (the parts with something in them). */
static json_t *change_of(struct nrm_ctx *c, json_t *before, json_t *after)
{
	json_t *sb = case_state(c, before), *sa = case_state(c, after), *out = json_object();
	json_t *st = sb && sa ? was_of(sb, sa) : NULL;
	json_t *fi = was_of(json_object_get(before, "fields"), json_object_get(after, "fields"));
	if (st)
		json_object_set_new(out, "state", st);
	if (fi)
		json_object_set_new(out, "fields", fi);
	bool ok = sb && sa;
	json_decref(sb);
	json_decref(sa);
	if (!ok) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int case_event(struct nrm_ctx *c, int64_t id, const char *action, const char *from, const char *to, json_t *changed,
	       json_t *before, const char *reason)
{
	json_t *row = NULL, *was = NULL, *ch = NULL;
	char *chs = NULL, *was_s = NULL, *sealed = NULL;
	const char *k;
	json_t *v;
	/* A creation's changes are every field it set: the non-personal ones are the case's
	 * public fields as created (case_events finds them), so only the names of the personal
	 * ones are kept. */
	bool create = strcmp(action, "create") == 0;
	ch = create ? json_array() : json_object();
	json_object_foreach(changed, k, v) {
		if (!create)
			json_object_set_new(ch, k, form_is_personal(c->form, k) ? json_string("(personal)") : json_incref(v));
		else if (form_is_personal(c->form, k))
			json_array_append_new(ch, json_string(k));
	}
	/* The stored case is read only for what the event needs of it: the case after (when it
	 * may have changed) and the code (the reason is sealed under it). */
	int rc = before || (reason && *reason) ? store_case_get(c->db, NULL, id, &row) : 0;
	if (!rc && !(was = before ? change_of(c, before, row) : json_object()))
		rc = NRM_ENOMEM;
	if (!rc && (!(chs = json_dumps(ch, JSON_COMPACT)) || !(was_s = json_dumps(was, JSON_COMPACT | JSON_SORT_KEYS))))
		rc = NRM_ENOMEM;
	if (!rc && !(rc = case_seal(c, row ? j_str(row, "code") : NULL, reason, &sealed)))
		rc = store_event_add(c->db, id, c->me->id, c->me->username, c->me->institution_id, action, from, to, chs,
				     sealed, was_s);
	free(sealed);
	free(chs);
	free(was_s);
	json_decref(ch);
	json_decref(was);
	json_decref(row);
	return rc;
}

/* Sets under each key of `was` the value it holds (null: removes the key). */
static int undo(json_t *obj, json_t *was)
{
	const char *k;
	json_t *v;
	json_object_foreach(was, k, v) {
		if (json_is_null(v))
			json_object_del(obj, k);
		else if (json_object_set(obj, k, v) != 0)
			return NRM_ENOMEM;
	}
	return 0;
}

int case_events_complete(struct nrm_ctx *c, json_t *row, json_t *events)
{
	json_t *first = json_array_get(events, 0), *names = json_object_get(first, "changes");
	if (!json_is_array(names))
		return 0; /* written whole, by an nrm before schema 16 */
	json_t *was = NULL, *fields = json_deep_copy(json_object_get(row, "fields")), *ch = json_object();
	int rc = fields && ch ? store_event_was(c->db, j_int(row, "id"), &was) : NRM_ENOMEM;
	/* The fields as created: the fields now with every later event undone. */
	for (size_t i = json_array_size(was); !rc && i-- > 1;)
		rc = undo(fields, json_object_get(json_object_get(json_array_get(was, i), "was"), "fields"));
	/* In the form's order: the public fields as created, and the personal ones set by name. */
	size_t i, j;
	json_t *n, *p;
	json_array_foreach(form_field_names(c->form), i, n) {
		const char *k = json_string_value(n);
		json_t *v = json_object_get(fields, k);
		bool personal = false;
		json_array_foreach(names, j, p)
			personal |= strcmp(json_string_value(p), k) == 0;
		if (!rc && (v || personal) && json_object_set_new(ch, k, v ? json_incref(v) : json_string("(personal)")) != 0)
			rc = NRM_ENOMEM;
	}
	/* Whatever the form no longer names, after. */
	const char *k;
	json_t *v;
	json_object_foreach(fields, k, v)
		if (!rc && !json_object_get(ch, k) && json_object_set(ch, k, v) != 0)
			rc = NRM_ENOMEM;
	json_array_foreach(names, j, p)
		if (!rc && !json_object_get(ch, json_string_value(p)) &&
		    json_object_set_new(ch, json_string_value(p), json_string("(personal)")) != 0)
			rc = NRM_ENOMEM;
	if (!rc)
		rc = json_object_set(first, "changes", ch) ? NRM_ENOMEM : 0;
	json_decref(ch);
	json_decref(fields);
	json_decref(was);
	return rc;
}

int case_states(struct nrm_ctx *c, const char *code, json_t **out, struct nrm_err *err)
{
	if (!role_is_authority(c->me->role))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_forbidden, NULL, NULL);
	json_t *row = NULL, *was = NULL, *state = NULL, *states = NULL;
	enum case_access a;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	if ((rc = store_event_was(c->db, j_int(row, "id"), &was)))
		goto done;
	if (!(state = case_state(c, row)) || !(states = json_array())) {
		rc = NRM_ENOMEM;
		goto done;
	}
	/* From the state now back to the first event: each event's record of what it changed
	 * gives the state before it, which is the state after the event before. */
	for (size_t i = json_array_size(was); i-- > 0;) {
		json_t *e = json_array_get(was, i);
		if (json_array_insert_new(states, 0, json_pack("{s:O, s:O}", "event_id", json_object_get(e, "id"), "state",
							       state)) != 0) {
			rc = NRM_ENOMEM;
			goto done;
		}
		json_t *prev = json_deep_copy(state), *was_state = json_object_get(json_object_get(e, "was"), "state");
		if (!prev || (was_state && json_object_update(prev, was_state) != 0)) {
			json_decref(prev);
			rc = NRM_ENOMEM;
			goto done;
		}
		json_decref(state);
		state = prev;
	}
	*out = states;
	states = NULL;
done:
	json_decref(states);
	json_decref(state);
	json_decref(was);
	json_decref(row);
	return rc;
}

int case_audit(struct nrm_ctx *c, const char *action, const char *code, json_t *changed, const char *reason)
{
	json_t *names = json_array();
	const char *k;
	json_t *v;
	char *sealed = NULL;
	json_object_foreach(changed, k, v)
		json_array_append_new(names, json_string(k));
	json_t *after = json_pack("{s:o}", "fields", names);
	int rc = case_seal(c, code, reason, &sealed);
	if (!rc)
		rc = secure_audit(c->db, c->me, action, "case", code, NULL, after, sealed);
	free(sealed);
	json_decref(after);
	return rc;
}

void case_dup_view(struct nrm_ctx *c, json_t *out, json_t *dups)
{
	if (!role_is_authority(c->me->role))
		return;
	json_object_set(out, "duplicates", dups);
	json_object_set_new(out, "likely_duplicate", json_boolean(json_array_size(dups) > 0));
}
