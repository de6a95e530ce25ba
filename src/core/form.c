/* The case form and workflow as data. */
#include "core/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

struct form {
	json_t *form, *workflow, *codelists;
	json_t *fields; /* name → definition (top-level and sub-fields) */
	json_t *top;    /* top-level names in order */
	json_t *codes;  /* list name → object of code → true */
	json_t *stages; /* code → stage definition */
	json_t *order;  /* stage code → index */
};

json_t *form_json(const struct form *f) { return f->form; }
json_t *form_workflow(const struct form *f) { return f->workflow; }
json_t *form_codelists(const struct form *f) { return f->codelists; }
json_t *form_field_names(const struct form *f) { return f->top; }

json_t *form_field(const struct form *f, const char *name)
{
	return json_object_get(f->fields, name);
}

bool form_is_personal(const struct form *f, const char *name)
{
	return json_is_true(json_object_get(form_field(f, name), "personal"));
}

static const char *s_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

void form_free(struct form *f)
{
	if (!f)
		return;
	json_decref(f->form);
	json_decref(f->workflow);
	json_decref(f->codelists);
	json_decref(f->fields);
	json_decref(f->top);
	json_decref(f->codes);
	json_decref(f->stages);
	json_decref(f->order);
	free(f);
}

static int index_fields(struct form *f, json_t *list, bool top, bool personal_parent, struct nrm_err *err)
{
	size_t i;
	json_t *fd;
	json_array_foreach(list, i, fd) {
		const char *name = s_of(fd, "name"), *type = s_of(fd, "type");
		if (!*name || !*type)
			return nrm_fail(err, NRM_EINVAL, "case.json", "a field lacks name or type");
		if (json_object_get(f->fields, name))
			return nrm_fail(err, NRM_EINVAL, "case.json", "field %s is defined twice", name);
		if (personal_parent && !json_is_true(json_object_get(fd, "personal")))
			json_object_set_new(fd, "personal", json_true());
		json_object_set(f->fields, name, fd);
		if (top)
			json_array_append_new(f->top, json_string(name));
		const char *cl = s_of(fd, "codelist");
		if ((strcmp(type, "code") == 0 || strcmp(type, "codes") == 0) && !json_object_get(f->codes, cl))
			return nrm_fail(err, NRM_EINVAL, "case.json", "field %s uses unknown code list %s", name, cl);
		if (strcmp(type, "group") == 0) {
			int rc = index_fields(f, json_object_get(fd, "fields"), false,
					      json_is_true(json_object_get(fd, "personal")), err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int form_load(json_t *form, json_t *workflow, json_t *codelists, struct form **out, struct nrm_err *err)
{
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		return NRM_ENOMEM;
	/* A private copy: index_fields marks sub-fields of personal groups personal. */
	f->form = json_deep_copy(form);
	f->workflow = json_incref(workflow);
	f->codelists = json_incref(codelists);
	f->fields = json_object();
	f->top = json_array();
	f->codes = json_object();
	f->stages = json_object();
	f->order = json_object();
	const char *name;
	json_t *list, *item;
	size_t i;
	json_object_foreach(codelists, name, list) {
		json_t *set = json_object();
		json_array_foreach(json_object_get(list, "items"), i, item)
			json_object_set_new(set, s_of(item, "code"), json_true());
		json_object_set_new(f->codes, name, set);
	}
	int rc = 0;
	json_t *sec;
	json_array_foreach(json_object_get(f->form, "sections"), i, sec)
		if ((rc = index_fields(f, json_object_get(sec, "fields"), true, false, err)))
			goto fail;
	json_t *st;
	json_array_foreach(json_object_get(workflow, "stages"), i, st) {
		json_object_set(f->stages, s_of(st, "code"), st);
		json_object_set_new(f->order, s_of(st, "code"), json_integer((json_int_t)i));
	}
	if (!json_object_get(f->stages, s_of(workflow, "initial"))) {
		rc = nrm_fail(err, NRM_EINVAL, "workflow.json", "the initial stage is not a stage");
		goto fail;
	}
	*out = f;
	return 0;
fail:
	form_free(f);
	return rc;
}

bool form_filled(json_t *v)
{
	if (!v || json_is_null(v))
		return false;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return true;
}

static bool has_code(const struct form *f, json_t *fd, json_t *v)
{
	return json_is_string(v) && json_object_get(json_object_get(f->codes, s_of(fd, "codelist")), json_string_value(v));
}

/* Validates one value against its definition; path names it in errors. */
static int check_value(const struct form *f, json_t *fd, json_t *v, const char *path, struct nrm_err *err)
{
	const char *type = s_of(fd, "type");
	if (json_is_null(v))
		return 0;
	json_t *minj = json_object_get(fd, "min"), *maxj = json_object_get(fd, "max");
	if (strcmp(type, "text") == 0 || strcmp(type, "textarea") == 0) {
		if (!json_is_string(v))
			return nrm_fail(err, NRM_EINVAL, path, "%s must be text", path);
		const char *s = json_string_value(v);
		size_t chars = 0;
		for (const char *p = s; *p; p++)
			chars += ((unsigned char)*p & 0xc0) != 0x80;
		if (strlen(s) != json_string_length(v))
			return nrm_fail(err, NRM_EINVAL, path, "%s must not contain NUL characters", path);
		if (json_is_integer(maxj) && chars > (size_t)json_integer_value(maxj))
			return nrm_fail(err, NRM_EINVAL, path, "%s is longer than %lld characters", path,
					(long long)json_integer_value(maxj));
		return 0;
	}
	if (strcmp(type, "date") == 0) {
		int32_t d;
		if (!json_is_string(v) || date_parse(json_string_value(v), &d) != 0)
			return nrm_fail(err, NRM_EINVAL, path, "%s must be a date written YYYY-MM-DD", path);
		return 0;
	}
	if (strcmp(type, "integer") == 0) {
		if (!json_is_integer(v))
			return nrm_fail(err, NRM_EINVAL, path, "%s must be a whole number", path);
		json_int_t n = json_integer_value(v);
		if ((json_is_integer(minj) && n < json_integer_value(minj)) || (json_is_integer(maxj) && n > json_integer_value(maxj)))
			return nrm_fail(err, NRM_EINVAL, path, "%s is out of range", path);
		if (*s_of(fd, "ref") && n <= 0)
			return nrm_fail(err, NRM_EINVAL, path, "%s must be an id", path);
		return 0;
	}
	if (strcmp(type, "boolean") == 0) {
		if (!json_is_boolean(v))
			return nrm_fail(err, NRM_EINVAL, path, "%s must be true or false", path);
		return 0;
	}
	if (strcmp(type, "code") == 0) {
		if (!has_code(f, fd, v))
			return nrm_fail(err, NRM_EINVAL, path, "%s must be a code of the list %s", path, s_of(fd, "codelist"));
		return 0;
	}
	if (strcmp(type, "codes") == 0) {
		if (!json_is_array(v))
			return nrm_fail(err, NRM_EINVAL, path, "%s must be a list of codes", path);
		size_t i, j;
		json_t *c, *d;
		json_array_foreach(v, i, c) {
			if (!has_code(f, fd, c))
				return nrm_fail(err, NRM_EINVAL, path, "%s holds a value that is not a code of the list %s", path,
						s_of(fd, "codelist"));
			json_array_foreach(v, j, d)
				if (j < i && json_equal(c, d))
					return nrm_fail(err, NRM_EINVAL, path, "%s lists a code twice", path);
		}
		return 0;
	}
	if (strcmp(type, "group") == 0) {
		if (!json_is_array(v) || json_array_size(v) > 100)
			return nrm_fail(err, NRM_EINVAL, path, "%s must be a list (at most 100 entries)", path);
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) {
			char ip[96];
			snprintf(ip, sizeof ip, "%s.%zu", path, i);
			if (!json_is_object(item))
				return nrm_fail(err, NRM_EINVAL, ip, "%s must be an object", ip);
			const char *k;
			json_t *sv;
			json_object_foreach(item, k, sv) {
				json_t *sub = NULL, *sf;
				size_t j;
				json_array_foreach(json_object_get(fd, "fields"), j, sf)
					if (strcmp(s_of(sf, "name"), k) == 0)
						sub = sf;
				char sp[160];
				snprintf(sp, sizeof sp, "%s.%.60s", ip, k);
				if (!sub)
					return nrm_fail(err, NRM_EINVAL, sp, "unknown field %s", sp);
				int rc = check_value(f, sub, sv, sp, err);
				if (rc)
					return rc;
			}
		}
		return 0;
	}
	return nrm_fail(err, NRM_EINVAL, path, "%s has an unknown type", path);
}

int form_validate(const struct form *f, json_t *fields, struct nrm_err *err)
{
	if (!json_is_object(fields))
		return nrm_fail(err, NRM_EINVAL, "fields", "fields must be an object");
	const char *k;
	json_t *v;
	json_object_foreach(fields, k, v) {
		json_t *fd = form_field(f, k);
		bool top = false;
		size_t i;
		json_t *n;
		json_array_foreach(f->top, i, n)
			top |= strcmp(json_string_value(n), k) == 0;
		if (!fd || !top)
			return nrm_fail(err, NRM_EINVAL, k, "unknown field %.60s", k);
		int rc = check_value(f, fd, v, k, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* Whether a required_when rule holds, looking in `local` (a group entry) first. */
static bool rule_holds(json_t *rule, json_t *local, json_t *data)
{
	const char *name = s_of(rule, "field");
	json_t *v = local ? json_object_get(local, name) : NULL;
	if (!v)
		v = json_object_get(data, name);
	json_t *eq = json_object_get(rule, "equals"), *inc = json_object_get(rule, "includes");
	if (json_is_true(json_object_get(rule, "empty")))
		return !form_filled(v);
	if (eq)
		return v && json_equal(v, eq);
	if (inc) {
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c)
			if (json_equal(c, inc))
				return true;
	}
	return false;
}

static bool needed(json_t *fd, json_t *local, json_t *data)
{
	json_t *rule = json_object_get(fd, "required_when");
	return json_is_true(json_object_get(fd, "required")) || (rule && rule_holds(rule, local, data));
}

int form_check_required(const struct form *f, json_t *data, const char *stage, struct nrm_err *err)
{
	json_int_t now = json_integer_value(json_object_get(f->order, stage));
	size_t i;
	json_t *n;
	json_array_foreach(f->top, i, n) {
		const char *name = json_string_value(n);
		json_t *fd = form_field(f, name);
		json_t *fst = json_object_get(f->order, s_of(fd, "stage"));
		if (fst && json_integer_value(fst) > now)
			continue;
		json_t *v = json_object_get(data, name);
		if (needed(fd, NULL, data) && !form_filled(v))
			return nrm_fail(err, NRM_EINVAL, name, "%s is required", name);
		if (strcmp(s_of(fd, "type"), "group") != 0)
			continue;
		size_t j, k;
		json_t *item, *sf;
		json_array_foreach(v, j, item) {
			json_array_foreach(json_object_get(fd, "fields"), k, sf) {
				if (needed(sf, item, data) && !form_filled(json_object_get(item, s_of(sf, "name")))) {
					char p[160];
					snprintf(p, sizeof p, "%s.%zu.%s", name, j, s_of(sf, "name"));
					return nrm_fail(err, NRM_EINVAL, p, "%s is required", p);
				}
			}
		}
	}
	return 0;
}

const char *form_initial_stage(const struct form *f)
{
	return s_of(f->workflow, "initial");
}

bool form_stage_exists(const struct form *f, const char *stage)
{
	return stage && json_object_get(f->stages, stage) != NULL;
}

static bool listed(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

static int requires(json_t *list, json_t *data, const char *to, struct nrm_err *err)
{
	size_t i;
	json_t *n;
	json_array_foreach(list, i, n)
		if (!form_filled(json_object_get(data, json_string_value(n))))
			return nrm_fail(err, NRM_EINVAL, json_string_value(n), "%s is needed to move the case to %s",
					json_string_value(n), to);
	return 0;
}

int form_check_transition(const struct form *f, const char *from, const char *to, const char *closed_from,
			  enum role role, json_t *data, bool is_child, struct nrm_err *err)
{
	json_t *src = json_object_get(f->stages, from), *dst = json_object_get(f->stages, to);
	if (!dst)
		return nrm_fail(err, NRM_EINVAL, "to", "unknown stage");
	if (!src || !listed(json_object_get(src, "next"), to))
		return nrm_fail(err, NRM_ECONFLICT, "to", "a case cannot move from %s to %s", from, to);
	/* Reopening goes back to the stage the case was closed from, or to referral. */
	if (strcmp(from, "closed") == 0 && strcmp(to, "referral") != 0 && (!closed_from || strcmp(to, closed_from) != 0))
		return nrm_fail(err, NRM_ECONFLICT, "to", "a closed case reopens to referral or to the stage it was closed from (%s)",
				closed_from ? closed_from : "unknown");
	if (!listed(json_object_get(dst, "roles"), role_name(role)))
		return nrm_fail(err, NRM_EFORBIDDEN, "to", "your role may not move a case to %s", to);
	int rc = requires(json_object_get(dst, "requires"), data, to, err);
	if (!rc && is_child)
		rc = requires(json_object_get(dst, "child_requires"), data, to, err);
	if (!rc)
		rc = form_check_required(f, data, to, err);
	return rc;
}

json_t *form_screening(json_t *data, bool is_child)
{
	static const char *const sections[][2] = {{"A", "al_indicators_a"}, {"B", "al_indicators_b"}, {"C", "al_indicators_c"}};
	json_t *missing = json_array();
	for (size_t i = 0; i < 3; i++) {
		if (is_child && i == 1)
			continue;
		if (!form_filled(json_object_get(data, sections[i][1])))
			json_array_append_new(missing, json_string(sections[i][0]));
	}
	return json_pack("{s:b, s:o, s:s}", "meets", json_array_size(missing) == 0, "missing", missing, "rule",
			 is_child ? "child: A and C" : "adult: A, B and C");
}

int form_age_years(int32_t birth, int32_t on)
{
	int by, bm, bd, y, m, d;
	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(on, &y, &m, &d);
	int age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}
