/* The case form and workflow as data. */
#include "core/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

/* The bindings: which kind of field each meaning needs, and whether it must be personal
 * (1: encrypted, it identifies the person), must not be (0: figures are counted from it) or
 * may be either (-1). */
static const struct {
	const char *name, *type;
	int personal;
} binds[FB_COUNT] = {
	[FB_STATUS] = {"status", "code", 0},
	[FB_SEX] = {"sex", "code", 0},
	[FB_BIRTH_DATE] = {"birth_date", "date", 1},
	[FB_ESTIMATED_AGE] = {"estimated_age", "integer", 0},
	[FB_IS_CHILD] = {"is_child", "boolean", 0},
	[FB_CITIZENSHIP] = {"citizenship", "codes", 0},
	[FB_COUNTY] = {"county", "code", 0},
	[FB_MUNICIPALITY] = {"municipality", "code", 0},
	[FB_RESIDENCE_COUNTY] = {"residence_county", "code", 0},
	[FB_RESIDENCE_MUNICIPALITY] = {"residence_municipality", "code", 0},
	[FB_IDENTIFYING_INSTITUTION] = {"identifying_institution", "integer", 0},
	[FB_IDENTIFICATION_DATE] = {"identification_date", "date", 0},
	[FB_IDENTIFICATION_METHOD] = {"identification_method", "code", 0},
	[FB_INDICATORS_A] = {"indicators_a", "codes", 0},
	[FB_INDICATORS_B] = {"indicators_b", "codes", 0},
	[FB_INDICATORS_C] = {"indicators_c", "codes", 0},
	[FB_EXPLOITATION] = {"exploitation", "codes", 0},
	[FB_FIRST_NAME] = {"first_name", "text", 1},
	[FB_LAST_NAME] = {"last_name", "text", 1},
	[FB_IDENTITY_NUMBER] = {"identity_number", "text", 1},
	[FB_DOCUMENTS] = {"documents", "group", 1},
	[FB_DOCUMENT_NUMBER] = {"document_number", "text", 1},
	[FB_DECISION] = {"decision", "code", 0},
	[FB_DECISION_DATE] = {"decision_date", "date", 0},
	[FB_DECISION_MEETING] = {"decision_meeting", "integer", 0},
	[FB_REFERRAL_DATE] = {"referral_date", "date", 0},
	[FB_REFERRED_TO] = {"referred_to", "integer", 0},
};

struct form {
	const char *file; /* what load errors name */
	json_t *form, *workflow, *codelists;
	json_t *fields; /* name → definition (top-level and sub-fields) */
	json_t *top;    /* top-level names in order */
	json_t *topset; /* top-level name → true */
	json_t *codes;  /* list name → object of code → true */
	struct fsm *fsm;
	const char *bound[FB_COUNT];
	const char *decision_stage, *undecided;
	json_t *outcomes; /* decision code → status code */
};

json_t *form_json(const struct form *f) { return f->form; }
json_t *form_workflow(const struct form *f) { return f->workflow; }
json_t *form_codelists(const struct form *f) { return f->codelists; }
json_t *form_field_names(const struct form *f) { return f->top; }
const struct fsm *form_fsm(const struct form *f) { return f->fsm; }
const char *form_bound(const struct form *f, enum form_bind b) { return f->bound[b]; }

const char *form_bound_named(const struct form *f, const char *binding)
{
	for (int i = 0; binding && i < FB_COUNT; i++)
		if (strcmp(binds[i].name, binding) == 0)
			return f->bound[i];
	return NULL;
}

const char *form_stage_date_field(const struct form *f, const char *stage)
{
	return json_string_value(json_object_get(fsm_state(f->fsm, stage), "date"));
}

const char *form_referral_stage(const struct form *f)
{
	const char *date = form_bound(f, FB_REFERRAL_DATE);
	json_t *st;
	size_t i;
	json_array_foreach(json_object_get(f->workflow, "stages"), i, st) {
		const char *d = json_string_value(json_object_get(st, "date"));
		if (date && d && strcmp(d, date) == 0)
			return json_string_value(json_object_get(st, "code"));
	}
	return NULL;
}

json_t *form_field(const struct form *f, const char *name)
{
	return name ? json_object_get(f->fields, name) : NULL;
}

bool form_field_is(const struct form *f, const char *name, const char *attribute)
{
	return json_is_true(json_object_get(form_field(f, name), attribute));
}

bool form_is_personal(const struct form *f, const char *name)
{
	return form_field_is(f, name, "personal");
}

bool form_is_top(const struct form *f, const char *name)
{
	return name && json_object_get(f->topset, name) != NULL;
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
	json_decref(f->topset);
	json_decref(f->codes);
	json_decref(f->outcomes);
	fsm_free(f->fsm);
	free(f);
}

/* Records the binding a field declares; `parent` is the group it is in (NULL at the top). */
static int bind_field(struct form *f, json_t *fd, const char *parent, struct nrm_err *err)
{
	const char *b = json_string_value(json_object_get(fd, "binding")), *name = s_of(fd, "name");
	if (!b)
		return 0;
	for (int i = 0; i < FB_COUNT; i++) {
		if (strcmp(binds[i].name, b) != 0)
			continue;
		if (f->bound[i])
			return nrm_fail_file(err, NRM_EINVAL, f->file, "two fields are bound to %s", b);
		if (strcmp(s_of(fd, "type"), binds[i].type) != 0)
			return nrm_fail_file(err, NRM_EINVAL, f->file, "the field bound to %s has the wrong type", b);
		bool personal = json_is_true(json_object_get(fd, "personal"));
		if (binds[i].personal >= 0 && personal != (binds[i].personal == 1))
			return nrm_fail_file(err, NRM_EINVAL, f->file, "the field bound to %s must %sbe personal (encrypted)", b,
				   binds[i].personal ? "" : "not ");
		/* A document number lives in the documents group; every other binding at the top. */
		bool want_sub = i == FB_DOCUMENT_NUMBER;
		if (want_sub != (parent != NULL))
			return nrm_fail_file(err, NRM_EINVAL, f->file, "the field bound to %s is at the wrong level", b);
		f->bound[i] = name;
		return 0;
	}
	return nrm_fail_file(err, NRM_EINVAL, f->file, "unknown binding %s", b);
}

static int index_fields(struct form *f, json_t *list, const char *parent, bool personal_parent, struct nrm_err *err)
{
	size_t i;
	json_t *fd;
	json_array_foreach(list, i, fd) {
		const char *name = s_of(fd, "name"), *type = s_of(fd, "type");
		if (!*name || !*type)
			return nrm_fail_file(err, NRM_EINVAL, f->file, "a field lacks name or type");
		if (json_object_get(f->fields, name))
			return nrm_fail_file(err, NRM_EINVAL, f->file, "field %s is defined twice", name);
		if (personal_parent && !json_is_true(json_object_get(fd, "personal")))
			json_object_set_new(fd, "personal", json_true());
		json_object_set(f->fields, name, fd);
		if (!parent) {
			json_array_append_new(f->top, json_string(name));
			json_object_set_new(f->topset, name, json_true());
		}
		const char *cl = s_of(fd, "codelist");
		if ((strcmp(type, "code") == 0 || strcmp(type, "codes") == 0) && !json_object_get(f->codes, cl))
			return nrm_fail_file(err, NRM_EINVAL, f->file, "field %s uses the unknown code list %s", name, cl);
		int rc = bind_field(f, fd, parent, err);
		if (rc)
			return rc;
		if (strcmp(type, "group") == 0 &&
		    (rc = index_fields(f, json_object_get(fd, "fields"), name, json_is_true(json_object_get(fd, "personal")), err)))
			return rc;
	}
	return 0;
}

static bool has_code(const struct form *f, json_t *fd, json_t *v);

/* The decision stage and what its outcomes set the status to (workflow.json "decision"). */
static int load_decision(struct form *f, struct nrm_err *err)
{
	json_t *d = json_object_get(f->workflow, "decision");
	f->decision_stage = json_string_value(json_object_get(d, "stage"));
	f->undecided = json_string_value(json_object_get(d, "undecided"));
	json_t *out = json_object_get(d, "outcomes"), *status = form_field(f, f->bound[FB_STATUS]);
	if (!fsm_has(f->fsm, f->decision_stage))
		return nrm_fail_file(err, NRM_EINVAL, "workflow.json", "\"decision\" must name the stage of the formal decision");
	if (!f->undecided || !has_code(f, status, json_object_get(d, "undecided")))
		return nrm_fail_file(err, NRM_EINVAL, "workflow.json", "\"decision.undecided\" must be a code of the status list");
	if (!json_is_object(out) || json_object_size(out) == 0)
		return nrm_fail_file(err, NRM_EINVAL, "workflow.json", "\"decision.outcomes\" must map decisions to statuses");
	const char *k;
	json_t *v;
	json_object_foreach(out, k, v) {
		json_t *key = json_string(k);
		bool ok = has_code(f, form_field(f, f->bound[FB_DECISION]), key) && has_code(f, status, v);
		json_decref(key);
		if (!ok)
			return nrm_fail_file(err, NRM_EINVAL, "workflow.json", "decision outcome %s must map a decision code to a status code", k);
	}
	f->outcomes = json_incref(out);
	return 0;
}

/* A stage's "date" is the non-personal top-level date field that says when a case entered it. */
static int check_stage_dates(const struct form *f, struct nrm_err *err)
{
	size_t i;
	json_t *st;
	json_array_foreach(json_object_get(form_workflow(f), "stages"), i, st) {
		const char *field = s_of(st, "date");
		json_t *fd = form_field(f, field);
		if (field && (!fd || !form_is_top(f, field) || form_is_personal(f, field) || strcmp(s_of(fd, "type"), "date") != 0))
			return nrm_fail_file(err, NRM_EINVAL, "workflow.json",
					     "stage %s: \"date\" must name a non-personal top-level date field", s_of(st, "code"));
	}
	return 0;
}

/* The fields and code lists of a form, indexed (for the case form and a register's alike). */
static int load_fields(struct form *f, json_t *form, json_t *codelists, struct nrm_err *err)
{
	/* A private copy: index_fields marks sub-fields of personal groups personal. */
	f->form = json_deep_copy(form);
	f->codelists = json_incref(codelists);
	f->fields = json_object();
	f->top = json_array();
	f->topset = json_object();
	f->codes = json_object();
	const char *name;
	json_t *list, *item;
	size_t i;
	json_object_foreach(codelists, name, list) {
		json_t *set = json_object();
		json_array_foreach(json_object_get(list, "items"), i, item)
			json_object_set_new(set, s_of(item, "code"), json_true());
		json_object_set_new(f->codes, name, set);
	}
	json_t *sec;
	json_array_foreach(json_object_get(f->form, "sections"), i, sec) {
		int rc = index_fields(f, json_object_get(sec, "fields"), NULL, false, err);
		if (rc)
			return rc;
	}
	return 0;
}

int form_load_plain(json_t *form, json_t *codelists, const char *file, struct form **out, struct nrm_err *err)
{
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		return nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	f->file = file;
	int rc = load_fields(f, form, codelists, err);
	for (int b = 0; !rc && b < FB_COUNT; b++)
		if (f->bound[b])
			rc = nrm_fail_file(err, NRM_EINVAL, file, "a register's field may not be bound to %s", binds[b].name);
	if (rc) {
		form_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

int form_load(json_t *form, json_t *workflow, json_t *codelists, struct form **out, struct nrm_err *err)
{
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		return nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	f->file = "case.json";
	f->workflow = json_incref(workflow);
	int rc = load_fields(f, form, codelists, err);
	if (rc)
		goto fail;
	for (int b = 0; b < FB_COUNT; b++)
		if (!f->bound[b]) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_form_binding, NULL, "file", "case.json", "binding", binds[b].name, NULL);
			goto fail;
		}
	if ((rc = fsm_load(workflow, "workflow.json", &f->fsm, err)))
		goto fail;
	if (!fsm_final(f->fsm)) {
		rc = nrm_fail_file(err, NRM_EINVAL, "workflow.json", "\"final\" must name the stage a case is closed in");
		goto fail;
	}
	if ((rc = load_decision(f, err)) || (rc = check_stage_dates(f, err)))
		goto fail;
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

/* Whether text holds a control character other than a tab or a line break, or a
 * bidirectional override, which can make what is shown differ from what is stored. */
static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
			return true;
		if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) || (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
			return true;
	}
	return false;
}

/* Validates one value against its definition; path names it in errors. */
static int check_value(const struct form *f, json_t *fd, json_t *v, const char *path, struct nrm_err *err)
{
	const char *type = s_of(fd, "type");
	char num[24];
	if (json_is_null(v))
		return 0;
	json_t *minj = json_object_get(fd, "min"), *maxj = json_object_get(fd, "max");
	if (strcmp(type, "text") == 0 || strcmp(type, "textarea") == 0) {
		if (!json_is_string(v))
			return nrm_fail(err, NRM_EINVAL, KEY_not_text, path, NULL);
		const char *s = json_string_value(v);
		size_t chars = 0;
		for (const char *p = s; *p; p++)
			chars += ((unsigned char)*p & 0xc0) != 0x80;
		if (strlen(s) != json_string_length(v))
			return nrm_fail(err, NRM_EINVAL, KEY_nul_character, path, NULL);
		if (has_control(s))
			return nrm_fail(err, NRM_EINVAL, KEY_control_characters, path, NULL);
		if (json_is_integer(maxj) && chars > (size_t)json_integer_value(maxj))
			return nrm_fail(err, NRM_EINVAL, KEY_too_long, path, "max",
					nrm_num(num, (long long)json_integer_value(maxj)), NULL);
		return 0;
	}
	if (strcmp(type, "date") == 0) {
		int32_t d;
		if (!json_is_string(v))
			return nrm_fail(err, NRM_EINVAL, KEY_date_format, path, NULL);
		return date_field(json_string_value(v), path, &d, err);
	}
	if (strcmp(type, "integer") == 0) {
		if (!json_is_integer(v))
			return nrm_fail(err, NRM_EINVAL, KEY_not_integer, path, NULL);
		json_int_t n = json_integer_value(v);
		if ((json_is_integer(minj) && n < json_integer_value(minj)) || (json_is_integer(maxj) && n > json_integer_value(maxj)))
			return nrm_fail(err, NRM_EINVAL, KEY_out_of_range, path, NULL);
		if (*s_of(fd, "ref") && n <= 0)
			return nrm_fail(err, NRM_EINVAL, KEY_not_an_id, path, NULL);
		return 0;
	}
	if (strcmp(type, "boolean") == 0) {
		if (!json_is_boolean(v))
			return nrm_fail(err, NRM_EINVAL, KEY_not_boolean, path, NULL);
		return 0;
	}
	if (strcmp(type, "code") == 0) {
		if (!has_code(f, fd, v))
			return nrm_fail(err, NRM_EINVAL, KEY_not_code, path, "list", s_of(fd, "codelist"), NULL);
		return 0;
	}
	if (strcmp(type, "codes") == 0) {
		if (!json_is_array(v))
			return nrm_fail(err, NRM_EINVAL, KEY_not_codes, path, NULL);
		size_t i, j;
		json_t *c, *d;
		json_array_foreach(v, i, c) {
			if (!has_code(f, fd, c))
				return nrm_fail(err, NRM_EINVAL, KEY_bad_code_in_list, path, "list", s_of(fd, "codelist"), NULL);
			json_array_foreach(v, j, d)
				if (j < i && json_equal(c, d))
					return nrm_fail(err, NRM_EINVAL, KEY_code_twice, path, NULL);
		}
		return 0;
	}
	if (strcmp(type, "group") == 0) {
		if (!json_is_array(v) || json_array_size(v) > 100)
			return nrm_fail(err, NRM_EINVAL, KEY_not_list, path, "max", "100", NULL);
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) {
			char ip[96];
			snprintf(ip, sizeof ip, "%s.%zu", path, i);
			if (!json_is_object(item))
				return nrm_fail(err, NRM_EINVAL, KEY_not_object, ip, NULL);
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
					return nrm_fail(err, NRM_EINVAL, KEY_unknown_field, sp, NULL);
				int rc = check_value(f, sub, sv, sp, err);
				if (rc)
					return rc;
			}
		}
		return 0;
	}
	return nrm_fail(err, NRM_EINVAL, KEY_unknown_type, path, NULL);
}

int form_validate(const struct form *f, json_t *fields, struct nrm_err *err)
{
	if (!json_is_object(fields))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "fields", NULL);
	const char *k;
	json_t *v;
	json_object_foreach(fields, k, v) {
		if (!form_is_top(f, k)) {
			char name[64];
			snprintf(name, sizeof name, "%.60s", k);
			return nrm_fail(err, NRM_EINVAL, KEY_unknown_field, name, NULL);
		}
		int rc = check_value(f, form_field(f, k), v, k, err);
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
	int now = f->fsm ? fsm_index(f->fsm, stage) : 0;
	size_t i;
	json_t *n;
	json_array_foreach(f->top, i, n) {
		const char *name = json_string_value(n);
		json_t *fd = form_field(f, name);
		const char *fst = json_string_value(json_object_get(fd, "stage"));
		if (fst && f->fsm && fsm_index(f->fsm, fst) > now)
			continue;
		json_t *v = json_object_get(data, name);
		if (needed(fd, NULL, data) && !form_filled(v))
			return nrm_fail(err, NRM_EINVAL, KEY_required, name, NULL);
		if (strcmp(s_of(fd, "type"), "group") != 0)
			continue;
		size_t j, k;
		json_t *item, *sf;
		json_array_foreach(v, j, item) {
			json_array_foreach(json_object_get(fd, "fields"), k, sf) {
				if (needed(sf, item, data) && !form_filled(json_object_get(item, s_of(sf, "name")))) {
					char p[160];
					snprintf(p, sizeof p, "%s.%zu.%s", name, j, s_of(sf, "name"));
					return nrm_fail(err, NRM_EINVAL, KEY_required, p, NULL);
				}
			}
		}
	}
	return 0;
}

const char *form_initial_stage(const struct form *f)
{
	return fsm_initial(f->fsm);
}

const char *form_closed_stage(const struct form *f)
{
	return fsm_final(f->fsm);
}

const char *form_decision_stage(const struct form *f)
{
	return f->decision_stage;
}

bool form_stage_exists(const struct form *f, const char *stage)
{
	return fsm_has(f->fsm, stage);
}

const char *form_undecided_status(const struct form *f)
{
	return f->undecided;
}

const char *form_decided_status(const struct form *f, const char *decision)
{
	return decision ? json_string_value(json_object_get(f->outcomes, decision)) : NULL;
}

static bool filled_in(const char *field, void *data)
{
	return form_filled(json_object_get(data, field));
}

int form_check_stage(const struct form *f, json_t *data, const char *stage, bool is_child, struct nrm_err *err)
{
	static const char *const child[] = {"child", NULL};
	struct fsm_move mv = {.to = stage, .conds = is_child ? child : NULL, .filled = filled_in, .ctx = data};
	int rc = fsm_requirements(f->fsm, &mv, err);
	return rc ? rc : form_check_required(f, data, stage, err);
}

int form_check_transition(const struct form *f, const char *from, const char *to, const char *previous,
			  enum role role, json_t *data, bool is_child, struct nrm_err *err)
{
	static const char *const child[] = {"child", NULL};
	struct fsm_move mv = {.from = from, .to = to, .previous = previous, .role = role_name(role),
			      .conds = is_child ? child : NULL, .filled = filled_in, .ctx = data};
	int rc = fsm_check(f->fsm, &mv, err);
	return rc ? rc : form_check_required(f, data, to, err);
}

json_t *form_stage_needs(const struct form *f, const char *stage, json_t *data, bool is_child)
{
	json_t *needs = json_array(), *st, *lists[2], *n;
	size_t i, k;
	json_array_foreach(json_object_get(form_workflow(f), "stages"), i, st) {
		const char *code = json_string_value(json_object_get(st, "code"));
		if (!code || strcmp(code, stage) != 0)
			continue;
		lists[0] = json_object_get(st, "requires");
		lists[1] = is_child ? json_object_get(json_object_get(st, "requires_if"), "child") : NULL;
		for (k = 0; k < 2; k++) {
			json_t *name;
			size_t j;
			json_array_foreach(lists[k], j, name)
				if (!form_filled(json_object_get(data, json_string_value(name))))
					json_array_append(needs, name);
		}
	}
	/* And what the fields of the stages up to it require of themselves (form_check_required). */
	int now = f->fsm ? fsm_index(f->fsm, stage) : 0;
	json_array_foreach(f->top, i, n) {
		const char *name = json_string_value(n);
		json_t *fd = form_field(f, name), *x;
		const char *fst = json_string_value(json_object_get(fd, "stage"));
		bool listed = false;
		if ((fst && f->fsm && fsm_index(f->fsm, fst) > now) || !needed(fd, NULL, data) ||
		    form_filled(json_object_get(data, name)))
			continue;
		json_array_foreach(needs, k, x)
			listed |= strcmp(json_string_value(x), name) == 0;
		if (!listed)
			json_array_append(needs, n);
	}
	return needs;
}

json_t *form_screening(const struct form *f, json_t *data, bool is_child)
{
	static const struct {
		const char *section;
		enum form_bind field;
		bool adults_only;
	} rule[] = {{"A", FB_INDICATORS_A, false}, {"B", FB_INDICATORS_B, true}, {"C", FB_INDICATORS_C, false}};
	json_t *missing = json_array();
	for (size_t i = 0; i < sizeof rule / sizeof *rule; i++)
		if (!(is_child && rule[i].adults_only) && !form_filled(json_object_get(data, f->bound[rule[i].field])))
			json_array_append_new(missing, json_string(rule[i].section));
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
