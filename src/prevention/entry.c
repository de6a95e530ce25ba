/* Entries of the registers: recording, changing, reading them, their personal fields
 * (encrypted as a case's, the entry id and the register's field name as associated data)
 * and their history. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "core/date.h"
#include "meeting/meeting.h"
#include "prevention/internal.h"
#include "secure/audit.h"
#include "secure/crypt.h"
#include "store/org.h"

/* What an entry's columns are worked out from its whole data. */
struct derived {
	int64_t county, parent, meeting;
	const char *first, *last;
	json_t *refs; /* [{"kind", "id", "field"}] */
};

static const char *kind_of(json_t *fd)
{
	const char *ref = json_string_value(json_object_get(fd, "ref"));
	return ref && strncmp(ref, "entry:", 6) == 0 ? "entry" : ref;
}

/* A meeting referred to by the register's meeting role: of the county's body of that kind, of
 * the kind asked, not cancelled, held from the entry's first day to so many days after. */
static int check_meeting(const struct reg_def *d, json_t *t, const char *path, const char *first, struct nrm_err *err)
{
	if (d->meeting_kind && (strcmp(j_str(t, "kind"), d->meeting_kind) != 0 ||
				(d->meeting_body && strcmp(j_str(t, "body_kind"), d->meeting_body) != 0)))
		return nrm_fail(err, NRM_EINVAL, KEY_reference_kind, path, "kind", d->meeting_kind, "body",
				d->meeting_body ? d->meeting_body : "body", NULL);
	if (strcmp(j_str(t, "status"), "cancelled") == 0)
		return nrm_fail(err, NRM_EINVAL, KEY_reference_cancelled, path, NULL);
	int32_t day, from;
	if (d->meeting_within && first && date_parse(first, &from) == 0 && date_parse(j_str(t, "name"), &day) == 0 &&
	    (day < from || day > from + d->meeting_within)) {
		char last[DATE_LEN];
		date_format(from + d->meeting_within, last);
		return nrm_fail(err, NRM_EINVAL, KEY_reference_meeting_day, path, "first", first, "last", last, NULL);
	}
	return 0;
}

/* Whether the caller may see task id (its meeting's readers, its institution). */
static bool task_visible(struct nrm_ctx *c, int64_t id)
{
	json_t *t = NULL;
	struct nrm_err ignored = {0};
	bool yes = meeting_task_get(c, id, &t, &ignored) == 0;
	json_decref(t);
	return yes;
}

/* Checks one reference of the field at `path` and records it. Something of another county, or
 * a task the caller may not see, is "no such" as what does not exist: no oracle. */
static int check_ref(struct nrm_ctx *c, const struct reg_def *d, json_t *fd, const char *name, const char *path,
		     int64_t id, struct derived *o, struct nrm_err *err)
{
	const char *ref = json_string_value(json_object_get(fd, "ref")), *kind = kind_of(fd);
	json_t *t = NULL;
	int rc = 0;
	bool county_bound = strcmp(kind, "meeting") == 0 || strcmp(kind, "task") == 0 || strcmp(kind, "body") == 0;
	if (strcmp(kind, "entry") == 0) {
		if (store_reg_get_id(c->db, id, &t) != 0 || strcmp(j_str(t, "register"), ref + 6) != 0 ||
		    (j_int(t, "county_id") && o->county && j_int(t, "county_id") != o->county))
			rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_reference, path, "kind", ref + 6, NULL);
	} else if (store_reg_ref_target(c->db, kind, id, &t) != 0 ||
		   (county_bound && o->county && j_int(t, "county_id") && j_int(t, "county_id") != o->county) ||
		   (strcmp(kind, "task") == 0 && !task_visible(c, id))) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_reference, path, "kind", kind, NULL);
	} else if (json_is_array(json_object_get(fd, "kinds")) && !j_has(json_object_get(fd, "kinds"), j_str(t, "kind"))) {
		char kinds[120] = "";
		size_t i;
		json_t *k;
		json_array_foreach(json_object_get(fd, "kinds"), i, k)
			snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds), "%s%s", i ? ", " : "", json_string_value(k));
		rc = nrm_fail(err, NRM_EINVAL, KEY_reference_body_kind, path, "kinds", kinds, NULL);
	} else if (d->meeting_f && strcmp(path, d->meeting_f) == 0) {
		rc = check_meeting(d, t, path, o->first, err);
	}
	json_decref(t);
	if (rc)
		return rc;
	if (d->parent_f && strcmp(path, d->parent_f) == 0)
		o->parent = id;
	if (d->meeting_f && strcmp(path, d->meeting_f) == 0)
		o->meeting = id;
	json_array_append_new(o->refs, json_pack("{s:s, s:I, s:s}", "kind", kind, "id", (json_int_t)id, "field", name));
	return 0;
}

/* Dates that tell what happened may not be after today. */
static int check_day(struct nrm_ctx *c, json_t *fd, json_t *v, const char *path, struct nrm_err *err)
{
	int32_t day;
	if (json_is_true(json_object_get(fd, "not_future")) && json_is_string(v) &&
	    date_parse(json_string_value(v), &day) == 0 && day > c->today)
		return nrm_fail(err, NRM_EINVAL, KEY_date_in_future, path, NULL);
	return 0;
}

static int derive(struct nrm_ctx *c, const struct reg_def *d, json_t *data, struct derived *o, struct nrm_err *err)
{
	*o = (struct derived){.refs = json_array()};
	const char *slug = d->county_f ? j_str(data, d->county_f) : "";
	if (*slug && store_county_id(c->db, slug, &o->county) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, d->county_f, NULL);
	if (d->muni_f && *j_str(data, d->muni_f)) {
		size_t i;
		json_t *item, *parent = NULL;
		json_array_foreach(json_object_get(json_object_get(form_codelists(c->form), "municipalities"), "items"), i, item)
			if (strcmp(j_str(item, "code"), j_str(data, d->muni_f)) == 0)
				parent = json_object_get(item, "parent");
		if (!parent || strcmp(json_string_value(parent), slug) != 0)
			return nrm_fail(err, NRM_EINVAL, KEY_municipality_county, d->muni_f, "county_field", d->county_f, NULL);
	}
	if (d->county_required && !o->county)
		return nrm_fail(err, NRM_EINVAL, KEY_required, d->county_f ? d->county_f : "county", NULL);
	o->first = json_string_value(json_object_get(data, d->first_f));
	if (!o->first)
		return nrm_fail(err, NRM_EINVAL, KEY_required, d->first_f, NULL);
	o->last = d->last_f ? json_string_value(json_object_get(data, d->last_f)) : NULL;
	if (o->first && o->last && strcmp(o->last, o->first) < 0)
		return nrm_fail(err, NRM_EINVAL, KEY_date_before, d->last_f, "other", d->first_f, NULL);
	const char *k;
	json_t *v;
	json_object_foreach(data, k, v) {
		json_t *fd = form_field(d->form, k);
		int rc = check_day(c, fd, v, k, err);
		if (!rc && json_is_integer(v) && json_object_get(fd, "ref"))
			rc = check_ref(c, d, fd, k, k, (int64_t)json_integer_value(v), o, err);
		if (!rc && json_is_array(v) && strcmp(j_str(fd, "type"), "group") == 0) {
			size_t i, j;
			json_t *row, *sf;
			json_array_foreach(v, i, row) json_array_foreach(json_object_get(fd, "fields"), j, sf) {
				json_t *sv = json_object_get(row, j_str(sf, "name"));
				char path[160];
				snprintf(path, sizeof path, "%s.%zu.%s", k, i, j_str(sf, "name"));
				if (!rc)
					rc = check_day(c, sf, sv, path, err);
				if (!rc && json_is_integer(sv) && json_object_get(sf, "ref"))
					rc = check_ref(c, d, sf, k, path, (int64_t)json_integer_value(sv), o, err);
			}
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* The filled fields of in (null and empty values left out): a new object. */
static json_t *compact(json_t *fields)
{
	json_t *o = json_object(), *v;
	const char *k;
	json_object_foreach(fields, k, v)
		if (form_filled(v))
			json_object_set(o, k, v);
	return o;
}

static json_t *public_part(const struct reg_def *d, json_t *data)
{
	json_t *o = json_object(), *v;
	const char *k;
	json_object_foreach(data, k, v)
		if (!form_is_personal(d->form, k))
			json_object_set(o, k, v);
	return o;
}

static json_t *names_of(json_t *fields)
{
	json_t *names = json_array(), *v;
	const char *k;
	json_object_foreach(fields, k, v)
		json_array_append_new(names, json_string(k));
	return names;
}

int reg_seal(struct nrm_ctx *c, const char *code, const char *text, char **out)
{
	char ctx[64];
	if (!text || !*text) {
		*out = NULL;
		return 0;
	}
	crypt_reason_context(ctx, code);
	return crypt_seal_text(c->keys, ctx, text, out);
}

/* Where a personal field of a register is sealed: the register's name keeps it apart. */
static void sealed_name(const struct reg_def *d, const char *field, char out[128])
{
	snprintf(out, 128, "%s.%s", d->name, field);
}

static int write_personal(struct nrm_ctx *c, const struct reg_def *d, int64_t id, json_t *changed)
{
	const char *k;
	json_t *v;
	json_object_foreach(changed, k, v) {
		if (!form_is_personal(d->form, k))
			continue;
		int rc;
		if (!form_filled(v)) {
			rc = store_reg_personal_delete(c->db, id, k);
		} else {
			char name[128];
			unsigned char *ct;
			size_t n;
			sealed_name(d, k, name);
			if ((rc = crypt_seal_json(c->keys, id, name, v, &ct, &n)))
				return rc;
			rc = store_reg_personal_put(c->db, id, k, ct, n);
			free(ct);
		}
		if (rc)
			return rc;
	}
	return 0;
}

struct opener {
	struct nrm_ctx *c;
	const struct reg_def *d;
	int64_t id;
	json_t *out;
};

static int open_one(const char *field, const unsigned char *blob, size_t len, void *ud)
{
	struct opener *o = ud;
	char name[128];
	json_t *v;
	sealed_name(o->d, field, name);
	int rc = crypt_open_json(o->c->keys, o->id, name, blob, len, &v);
	if (!rc)
		json_object_set_new(o->out, field, v);
	return rc;
}

int reg_decrypt(struct nrm_ctx *c, const struct reg_def *d, int64_t id, json_t **out)
{
	struct opener o = {c, d, id, json_object()};
	int rc = store_reg_personal_each(c->db, id, open_one, &o);
	if (rc) {
		json_decref(o.out);
		return rc;
	}
	*out = o.out;
	return 0;
}

static int audit(struct nrm_ctx *c, const struct reg_def *d, const char *action, const char *code, json_t *fields,
		 const char *sealed_reason)
{
	json_t *after = json_pack("{s:s, s:o}", "register", d->name, "fields", names_of(fields));
	int rc = secure_audit(c->db, c->me, action, "register_entry", code, NULL, after, sealed_reason);
	json_decref(after);
	return rc;
}

/* An entry of an "on_case" register may not be marked as become a case by hand. */
static int check_status(const struct reg_def *d, json_t *fields, struct nrm_err *err)
{
	json_t *to = json_object_get(d->doc, "to_case");
	const char *became = j_str(to, "status");
	if (to && d->status_f && *became && strcmp(j_str(fields, d->status_f), became) == 0)
		return nrm_fail(err, NRM_EINVAL, KEY_entry_status_by_case, d->status_f, NULL);
	return 0;
}

/* The one entry a county may have in a register that holds one per county, other than `self`. */
static int check_one(struct nrm_ctx *c, const struct reg_def *d, int64_t county, int64_t self, struct nrm_err *err)
{
	if (!d->one_per_county || !county)
		return 0;
	struct reg_query q = {.reg = d->name, .county = county};
	json_t *rows, *r;
	int rc = store_reg_list(c->db, &q, &rows);
	if (rc)
		return rc;
	size_t i;
	json_array_foreach(rows, i, r)
		if (!rc && j_int(r, "id") != self)
			rc = nrm_fail(err, NRM_ECONFLICT, KEY_entry_one_per_county, d->county_f, "code", j_str(r, "code"), NULL);
	json_decref(rows);
	return rc;
}

static int row_of(struct nrm_ctx *c, const struct reg_def *d, json_t *data, struct derived *dv, struct reg_row *r,
		  char **pubs)
{
	json_t *pub = public_part(d, data);
	*pubs = json_dumps(pub, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(pub);
	*r = (struct reg_row){.reg = d->name, .county = dv->county, .parent = dv->parent, .meeting = dv->meeting,
			      .first_day = dv->first, .last_day = dv->last, .data_json = *pubs, .created_by = c->me->id,
			      .holder = d->personal ? c->me->institution_id : 0};
	return *pubs ? 0 : NRM_ENOMEM;
}

int reg_create(struct nrm_ctx *c, const char *reg, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"fields", NULL};
	struct reg_def *d = NULL;
	json_t *fields = json_object_get(in, "fields"), *data = NULL, *county = NULL;
	struct derived dv = {0};
	char *pubs = NULL, code[48];
	int rc = in_only(in, members, err);
	if (rc)
		return rc;
	if (!json_is_object(fields))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "fields", NULL);
	if ((rc = reg_def_load(c, reg, "register", &d, err)))
		return rc;
	if (!j_has(json_object_get(d->doc, "write"), role_name(c->me->role))) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_register_write_role, NULL, NULL);
		goto done;
	}
	data = compact(fields);
	if ((rc = form_validate(d->form, fields, err)) || (rc = check_status(d, data, err)) ||
	    (rc = form_check_required(d->form, data, NULL, err)) || (rc = derive(c, d, data, &dv, err)))
		goto done;
	if (!reg_may_write(c, d, dv.county)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_register_own_county, d->county_f, NULL);
		goto done;
	}
	const char *prefix = "AL";
	if (dv.county && (rc = store_county_get(c->db, dv.county, &county)))
		goto done;
	if (county)
		prefix = j_str(county, "case_prefix");
	int32_t day = c->today;
	if (dv.first)
		date_parse(dv.first, &day);
	int y, m, dd;
	date_to_ymd(day, &y, &m, &dd);
	struct reg_row r;
	int64_t seq, id;
	/* One per county: checked inside the write transaction, where no other writer comes between. */
	if ((rc = row_of(c, d, data, &dv, &r, &pubs)) || (rc = store_begin(c->db)) ||
	    (rc = check_one(c, d, dv.county, 0, err)) || (rc = store_reg_next_seq(c->db, d->name, dv.county, y, &seq)))
		goto done;
	snprintf(code, sizeof code, "%s-%s-%04d-%04lld", j_str(d->doc, "prefix"), prefix, y, (long long)seq);
	r.code = code;
	json_t *names = names_of(data);
	char *changed = json_dumps(names, JSON_COMPACT);
	json_decref(names);
	if ((rc = store_reg_add(c->db, &r, &id)) || (rc = write_personal(c, d, id, data)) ||
	    (rc = store_reg_refs_replace(c->db, id, dv.refs)) ||
	    (rc = store_reg_event_add(c->db, id, "create", changed, NULL, c->me->id, c->me->username)) ||
	    (rc = audit(c, d, "create", code, data, NULL)) || (rc = store_commit(c->db))) {
		free(changed);
		goto done;
	}
	free(changed);
	*out = json_pack("{s:I, s:s}", "id", (json_int_t)id, "code", code);
done:
	if (rc)
		store_rollback(c->db);
	free(pubs);
	json_decref(dv.refs);
	json_decref(county);
	json_decref(data);
	reg_def_free(d);
	return rc;
}

json_t *reg_ref_names(struct nrm_ctx *c, const struct reg_def *d, json_t *fields)
{
	json_t *names = json_object(), *v;
	const char *k;
	json_object_foreach(fields, k, v) {
		json_t *fd = form_field(d->form, k), *rows = json_array();
		if (json_is_integer(v) && json_object_get(fd, "ref"))
			json_array_append_new(rows, json_pack("{s:O, s:O}", "fd", fd, "v", v));
		if (json_is_array(v) && strcmp(j_str(fd, "type"), "group") == 0) {
			size_t i, j;
			json_t *row, *sf;
			json_array_foreach(v, i, row) json_array_foreach(json_object_get(fd, "fields"), j, sf) {
				json_t *sv = json_object_get(row, j_str(sf, "name"));
				if (json_is_integer(sv) && json_object_get(sf, "ref"))
					json_array_append_new(rows, json_pack("{s:O, s:O}", "fd", sf, "v", sv));
			}
		}
		size_t i;
		json_t *x;
		json_array_foreach(rows, i, x) {
			const char *kind = kind_of(json_object_get(x, "fd"));
			int64_t id = (int64_t)json_integer_value(json_object_get(x, "v"));
			char key[64];
			snprintf(key, sizeof key, "%s:%lld", kind, (long long)id);
			json_t *t = NULL;
			if (json_object_get(names, key))
				continue;
			if (strcmp(kind, "entry") == 0 ? store_reg_get_id(c->db, id, &t) == 0
						       : store_reg_ref_target(c->db, kind, id, &t) == 0)
				json_object_set_new(names, key,
						    json_string(strcmp(kind, "entry") == 0 ? j_str(t, "code") : j_str(t, "name")));
			json_decref(t);
		}
		json_decref(rows);
	}
	return names;
}

json_t *reg_entry_view(struct nrm_ctx *c, const struct reg_def *d, json_t *row)
{
	json_t *fields = json_object_get(row, "fields");
	json_t *v = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O?, s:O, s:O}", "id", json_object_get(row, "id"), "code",
			      json_object_get(row, "code"), "county", json_object_get(row, "county"), "first_day",
			      json_object_get(row, "first_day"), "last_day", json_object_get(row, "last_day"), "title",
			      d->title_f ? json_object_get(fields, d->title_f) : NULL, "fields", fields, "version",
			      json_object_get(row, "version"));
	json_object_set(v, "parent_code", json_object_get(row, "parent_code"));
	if (d->personal && reg_may_read_personal(c, d, row))
		json_object_set(v, "case_code", json_object_get(row, "case_code"));
	else if (d->personal)
		json_object_set_new(v, "became_case", json_boolean(j_int(row, "case_id") != 0));
	if (d->review_f) {
		const char *by = j_str(fields, d->review_f);
		int32_t day;
		json_object_set_new(v, "review_overdue", json_boolean(*by && date_parse(by, &day) == 0 && day < c->today));
	}
	return v;
}

int reg_list(struct nrm_ctx *c, const char *reg, const struct reg_filter *f, json_t **out, struct nrm_err *err)
{
	struct reg_def *d;
	json_t *rows;
	int rc = reg_rows(c, reg, f, &d, &rows, err);
	if (rc)
		return rc;
	json_t *items = json_array(), *r;
	size_t i;
	json_array_foreach(rows, i, r)
		json_array_append_new(items, reg_entry_view(c, d, r));
	json_decref(rows);
	reg_def_free(d);
	*out = items;
	return 0;
}

int reg_get(struct nrm_ctx *c, const char *reg, const char *code, json_t **out, struct nrm_err *err)
{
	struct reg_def *d;
	json_t *row = NULL, *events = NULL, *names = NULL, *children = NULL;
	int rc = reg_def_load(c, reg, "register", &d, err);
	if (rc)
		return rc;
	if ((rc = reg_entry_load(c, d, code, &row, err)))
		goto done;
	int64_t id = j_int(row, "id");
	bool holder = reg_may_read_personal(c, d, row);
	if ((rc = store_reg_events(c->db, id, &events)) || (rc = store_reg_personal_names(c->db, id, &names)))
		goto done;
	size_t i;
	json_t *e;
	char ctx[64];
	crypt_reason_context(ctx, code);
	json_array_foreach(events, i, e) {
		/* Reasons of an entry about a person are written about the person: for the holder
		 * only; those of the other registers for all who read them. */
		char *open = NULL;
		if ((holder || !d->personal) && crypt_open_text(c->keys, ctx, j_str(e, "reason"), &open) == 0 && open)
			json_object_set_new(e, "reason", json_string(open));
		else
			json_object_del(e, "reason");
		free(open);
	}
	/* The entries that belong to this one (the activities of a campaign). */
	struct reg_def **defs;
	size_t n;
	children = json_array();
	if (reg_defs_all(c, &defs, &n, err) == 0) {
		for (size_t k = 0; k < n; k++) {
			if (!defs[k]->parent_reg || strcmp(defs[k]->parent_reg, d->name) != 0 || !reg_role_reads(c, defs[k]))
				continue;
			struct reg_query q = {.reg = defs[k]->name, .parent = id};
			json_t *rows, *r;
			if (store_reg_list(c->db, &q, &rows) != 0)
				continue;
			json_array_foreach(rows, i, r)
				if (reg_may_read(c, defs[k], r))
					json_array_append_new(children, json_pack("{s:s, s:O, s:O, s:O?}", "register", defs[k]->name,
										  "code", json_object_get(r, "code"), "first_day",
										  json_object_get(r, "first_day"), "title",
										  json_object_get(json_object_get(r, "fields"),
												  defs[k]->title_f ? defs[k]->title_f : "")));
			json_decref(rows);
		}
		reg_defs_free(defs, n);
	}
	json_t *v = reg_entry_view(c, d, row);
	json_object_set_new(v, "register", json_string(d->name));
	json_object_set_new(v, "county_name", json_pack("{s:O?, s:O?}", "sq", json_object_get(row, "county_name_sq"), "en",
							 json_object_get(row, "county_name_en")));
	json_object_set(v, "holder_name", json_object_get(row, "holder_name"));
	json_object_set(v, "created_at", json_object_get(row, "created_at"));
	json_object_set(v, "updated_at", json_object_get(row, "updated_at"));
	json_object_set_new(v, "personal_fields", names);
	names = NULL;
	json_object_set_new(v, "can_edit", json_boolean(reg_may_edit(c, d, row) && !j_int(row, "case_id")));
	json_object_set_new(v, "can_read_personal", json_boolean(holder));
	/* Who changed a person's entry when is for its holder: the time it became a case would
	 * tell the county's bodies which case it became. */
	if (!d->personal || holder) {
		json_object_set_new(v, "history", events);
		events = NULL;
	} else {
		json_object_del(v, "created_at");
		json_object_del(v, "updated_at");
	}
	json_object_set_new(v, "children", children);
	children = NULL;
	json_object_set_new(v, "refs", reg_ref_names(c, d, json_object_get(row, "fields")));
	*out = v;
done:
	json_decref(children);
	json_decref(names);
	json_decref(events);
	json_decref(row);
	reg_def_free(d);
	return rc;
}

int reg_update(struct nrm_ctx *c, const char *reg, const char *code, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"version", "fields", "reason", NULL};
	struct reg_def *d = NULL;
	json_t *row = NULL, *whole = NULL, *personal = NULL, *fields = json_object_get(in, "fields");
	struct derived dv = {0};
	char *pubs = NULL, *sealed = NULL, *changed = NULL;
	const char *reason = NULL;
	int64_t version;
	int rc;
	if ((rc = in_only(in, members, err)) || (rc = in_int(in, "version", true, &version, err)) ||
	    (rc = in_str(in, "reason", false, 500, &reason, err)))
		return rc;
	if (!json_is_object(fields))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "fields", NULL);
	if (!json_object_size(fields))
		return nrm_fail(err, NRM_EINVAL, KEY_nothing_to_change, "fields", NULL);
	if ((rc = reg_def_load(c, reg, "register", &d, err)) || (rc = reg_entry_load(c, d, code, &row, err)))
		goto done;
	int64_t id = j_int(row, "id");
	if (!reg_may_edit(c, d, row)) {
		rc = d->personal ? nrm_fail(err, NRM_EFORBIDDEN, KEY_entry_by_holder, NULL, NULL)
				 : nrm_fail(err, NRM_EFORBIDDEN, KEY_register_write_role, NULL, NULL);
		goto done;
	}
	if (j_int(row, "case_id")) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_entry_became_case, NULL, "case", j_str(row, "case_code"), NULL);
		goto done;
	}
	if ((rc = form_validate(d->form, fields, err)) || (rc = check_status(d, fields, err)))
		goto done;
	/* The whole data the rules are checked over: stored, personal too, with the changes. */
	whole = json_deep_copy(json_object_get(row, "fields"));
	if (d->personal && (rc = reg_decrypt(c, d, id, &personal)))
		goto done;
	json_object_update(whole, personal);
	json_object_update(whole, fields);
	json_t *data = compact(whole);
	json_decref(whole);
	whole = data;
	if ((rc = form_check_required(d->form, whole, NULL, err)) || (rc = derive(c, d, whole, &dv, err)))
		goto done;
	if (dv.county != j_int(row, "county_id") && !reg_may_write(c, d, dv.county)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_register_own_county, d->county_f, NULL);
		goto done;
	}
	struct reg_row r;
	if ((rc = row_of(c, d, whole, &dv, &r, &pubs)))
		goto done;
	r.holder = j_int(row, "holder");
	json_t *names = names_of(fields);
	changed = json_dumps(names, JSON_COMPACT);
	json_decref(names);
	if ((rc = reg_seal(c, code, reason, &sealed)) || (rc = store_begin(c->db)) ||
	    (rc = check_one(c, d, dv.county, id, err)))
		goto done;
	rc = store_reg_update(c->db, id, version, &r);
	if (rc == NRM_ECONFLICT)
		nrm_fail(err, rc, KEY_stale, "version", NULL);
	if (rc || (rc = write_personal(c, d, id, fields)) || (rc = store_reg_refs_replace(c->db, id, dv.refs)) ||
	    (rc = store_reg_event_add(c->db, id, "update", changed, sealed, c->me->id, c->me->username)) ||
	    (rc = audit(c, d, "update", code, fields, sealed)) || (rc = store_commit(c->db)))
		goto done;
	rc = reg_get(c, reg, code, out, err);
done:
	if (rc)
		store_rollback(c->db);
	free(changed);
	free(sealed);
	free(pubs);
	json_decref(dv.refs);
	json_decref(personal);
	json_decref(whole);
	json_decref(row);
	reg_def_free(d);
	return rc;
}

int reg_personal(struct nrm_ctx *c, const char *reg, const char *code, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"purpose", "reason", NULL};
	struct reg_def *d = NULL;
	json_t *row = NULL, *all = NULL;
	char *sealed = NULL, *reason = NULL;
	int rc;
	if ((rc = in_only(in, members, err)))
		return rc;
	if ((rc = reg_def_load(c, reg, "register", &d, err)) || (rc = reg_entry_load(c, d, code, &row, err)))
		goto done;
	if (!reg_may_read_personal(c, d, row)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, d->personal ? KEY_entry_by_holder : KEY_personal_forbidden, NULL, NULL);
		goto done;
	}
	if ((rc = case_reading_reason(c, in, &reason, err)))
		goto done;
	if (!reason || !*reason) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_reason_required, "reason", NULL);
		goto done;
	}
	if ((rc = reg_decrypt(c, d, j_int(row, "id"), &all)) || (rc = reg_seal(c, code, reason, &sealed)) ||
	    (rc = store_begin(c->db)) || (rc = audit(c, d, "read_personal", code, all, sealed)) ||
	    (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:s, s:O}", "code", code, "fields", all);
done:
	if (rc)
		store_rollback(c->db);
	free(sealed);
	free(reason);
	json_decref(all);
	json_decref(row);
	reg_def_free(d);
	return rc;
}
