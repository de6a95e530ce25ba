/* The definitions of the figures, and a case's facts and dimension values. */
#include "core/statdef.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/form.h"

struct statdef {
	json_t *facts, *dims, *tables; /* the documents */
	json_t *dim_by_name;           /* name → definition */
	json_t *table_by_name;
	json_t *parents;               /* code list → code → parent */
	json_t *fact_dims;             /* fact kind → the dimension of its codes */
	const struct form *form;
};

static const char *s_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

void statdef_free(struct statdef *d)
{
	if (!d)
		return;
	json_decref(d->facts);
	json_decref(d->dims);
	json_decref(d->tables);
	json_decref(d->dim_by_name);
	json_decref(d->table_by_name);
	json_decref(d->parents);
	json_decref(d->fact_dims);
	free(d);
}

/* A date field of the form's top level. */
static bool date_field_of(const struct form *f, const char *name)
{
	json_t *fd = form_field(f, name);
	return fd && form_is_top(f, name) && !form_is_personal(f, name) && strcmp(s_of(fd, "type"), "date") == 0;
}

static int check_facts(struct statdef *d, struct nrm_err *err)
{
	size_t i;
	json_t *fact;
	json_array_foreach(json_object_get(d->facts, "facts"), i, fact) {
		const char *kind = s_of(fact, "kind"), *code = s_of(fact, "code"), *codes = s_of(fact, "codes");
		if (!kind || !date_field_of(d->form, s_of(fact, "date")))
			return nrm_fail_file(err, NRM_EINVAL, "facts.json", "fact %zu needs a kind and a non-personal date field",
					     i + 1);
		if ((code && (!form_field(d->form, code) || form_is_personal(d->form, code))) ||
		    (codes && (!form_field(d->form, codes) || form_is_personal(d->form, codes))))
			return nrm_fail_file(err, NRM_EINVAL, "facts.json", "fact %s names a field that is not a non-personal one",
					     kind);
		if (code || codes)
			json_object_set_new(d->fact_dims, kind,
					    json_pack("{s:s, s:O, s:s, s:s?}", "name", "code", "label", json_object_get(fact, "label"),
						      "from", "fact_code", "codelist",
						      s_of(form_field(d->form, code ? code : codes), "codelist")));
	}
	if (!statdef_has_fact(d, "identified"))
		return nrm_fail_file(err, NRM_EINVAL, "facts.json", "the fact \"identified\" is needed");
	return 0;
}

/* A source of a dimension: a binding of the form, or what nrm works out. */
static bool source_ok(const struct statdef *d, const char *src)
{
	static const char *const own[] = {"status", "stage", "child", "age", "institution_type", NULL};
	if (!src)
		return false;
	if (strncmp(src, "binding:", 8) == 0) {
		const char *field = form_bound_named(d->form, src + 8);
		return field && !form_is_personal(d->form, field);
	}
	for (const char *const *o = own; *o; o++)
		if (strcmp(*o, src) == 0)
			return true;
	return false;
}

static int check_dims(struct statdef *d, struct nrm_err *err)
{
	size_t i, j;
	json_t *dim, *src;
	json_array_foreach(json_object_get(d->dims, "dimensions"), i, dim) {
		const char *name = s_of(dim, "name");
		json_t *from = json_object_get(dim, "from");
		bool ok = name && !json_object_get(d->dim_by_name, name) && json_is_object(json_object_get(dim, "label"));
		if (json_is_array(from)) {
			json_array_foreach(from, j, src)
				ok &= source_ok(d, json_string_value(src));
			ok &= json_array_size(from) > 0;
		} else {
			ok &= source_ok(d, json_string_value(from));
		}
		if (!ok)
			return nrm_fail_file(err, NRM_EINVAL, "dimensions.json",
					     "dimension %zu needs a name of its own, a label and sources nrm knows (non-personal)", i + 1);
		json_object_set(d->dim_by_name, name, dim);
	}
	return 0;
}

static int check_tables(struct statdef *d, struct nrm_err *err)
{
	size_t i, j;
	json_t *t, *b;
	json_array_foreach(json_object_get(d->tables, "tables"), i, t) {
		const char *name = s_of(t, "name");
		const char *cdim = s_of(json_object_get(t, "columns"), "dim");
		bool ok = name && statdef_has_fact(d, s_of(t, "measure")) && (!cdim || statdef_dimension(d, cdim));
		json_array_foreach(json_object_get(t, "blocks"), j, b)
			ok &= statdef_dimension(d, s_of(b, "dim")) != NULL;
		if (!ok)
			return nrm_fail_file(err, NRM_EINVAL, "tables.json",
					     "table %zu needs a name, a measure among the facts and dimensions that exist", i + 1);
		json_object_set(d->table_by_name, name, t);
	}
	json_t *aud = json_object_get(d->tables, "audiences");
	if (!json_is_integer(json_object_get(json_object_get(aud, "government"), "k")))
		return nrm_fail_file(err, NRM_EINVAL, "tables.json", "the audiences need their threshold k");
	return 0;
}

int statdef_load(json_t *facts, json_t *dims, json_t *tables, const struct form *f, struct statdef **out,
		 struct nrm_err *err)
{
	struct statdef *d = calloc(1, sizeof *d);
	if (!d)
		return nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	d->facts = json_incref(facts);
	d->dims = json_incref(dims);
	d->tables = json_incref(tables);
	d->dim_by_name = json_object();
	d->table_by_name = json_object();
	d->parents = json_object();
	d->fact_dims = json_object();
	d->form = f;
	const char *list;
	json_t *doc, *item;
	size_t i;
	json_object_foreach(form_codelists(f), list, doc) {
		json_t *p = json_object();
		json_array_foreach(json_object_get(doc, "items"), i, item)
			if (s_of(item, "parent"))
				json_object_set(p, s_of(item, "code"), json_object_get(item, "parent"));
		json_object_set_new(d->parents, list, p);
	}
	int rc;
	if ((rc = check_facts(d, err)) || (rc = check_dims(d, err)) || (rc = check_tables(d, err))) {
		statdef_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

static json_t *fact_def(const struct statdef *d, const char *kind)
{
	size_t i;
	json_t *fact;
	json_array_foreach(json_object_get(d->facts, "facts"), i, fact)
		if (kind && strcmp(s_of(fact, "kind"), kind) == 0)
			return fact;
	return NULL;
}

json_t *statdef_fact_dim(const struct statdef *d, const char *kind)
{
	return kind ? json_object_get(d->fact_dims, kind) : NULL;
}

bool statdef_has_fact(const struct statdef *d, const char *kind)
{
	return fact_def(d, kind) != NULL;
}

bool statdef_fact_per_code(const struct statdef *d, const char *kind)
{
	return s_of(fact_def(d, kind), "codes") != NULL;
}

const char *statdef_decision_fact(const struct statdef *d)
{
	size_t i;
	json_t *fact;
	json_array_foreach(json_object_get(d->facts, "facts"), i, fact)
		if (s_of(fact, "code") && strcmp(s_of(fact, "code"), form_bound(d->form, FB_DECISION)) == 0)
			return s_of(fact, "kind");
	return NULL;
}

static bool source_multi(const struct statdef *d, const char *src)
{
	if (!src || strncmp(src, "binding:", 8) != 0)
		return false;
	json_t *fd = form_field(d->form, form_bound_named(d->form, src + 8));
	return strcmp(s_of(fd, "type") ? s_of(fd, "type") : "", "codes") == 0;
}

bool statdef_dim_multi(const struct statdef *d, const char *name)
{
	json_t *dim = statdef_dimension(d, name), *from = json_object_get(dim, "from"), *v;
	size_t i;
	if (json_is_string(from))
		return source_multi(d, json_string_value(from));
	json_array_foreach(from, i, v)
		if (source_multi(d, json_string_value(v)))
			return true;
	return false;
}

bool statdef_dim_is_codes(const struct statdef *d, const char *name, const char *binding)
{
	static const char *const changes[] = {"only_under", "level", "bands", "map", "then"};
	json_t *dim = d ? statdef_dimension(d, name) : NULL;
	const char *from = dim ? s_of(dim, "from") : NULL;
	if (!from || strncmp(from, "binding:", 8) != 0 || strcmp(from + 8, binding) != 0)
		return false;
	for (size_t i = 0; i < sizeof changes / sizeof *changes; i++)
		if (json_object_get(dim, changes[i]))
			return false;
	return true;
}

bool statdef_fact_once(const struct statdef *d, const char *kind)
{
	return json_is_true(json_object_get(fact_def(d, kind), "once"));
}

json_t *statdef_facts(const struct statdef *d, json_t *data)
{
	json_t *out = json_array();
	size_t i, j;
	json_t *fact, *c;
	json_array_foreach(json_object_get(d->facts, "facts"), i, fact) {
		const char *day = s_of(data, s_of(fact, "date"));
		int32_t n;
		if (!day || date_parse(day, &n) != 0)
			continue;
		const char *kind = s_of(fact, "kind"), *codes = s_of(fact, "codes");
		if (codes && json_array_size(json_object_get(data, codes))) {
			json_array_foreach(json_object_get(data, codes), j, c)
				json_array_append_new(out, json_pack("{s:s, s:O, s:s}", "kind", kind, "code", c, "day", day));
			continue;
		}
		json_t *code = s_of(fact, "code") ? json_object_get(data, s_of(fact, "code")) : NULL;
		json_array_append_new(out, json_pack("{s:s, s:O?, s:s}", "kind", kind, "code", json_is_string(code) ? code : NULL,
						     "day", day));
	}
	return out;
}

/* ---- dimensions ---- */

/* Adds s to the array of strings a unless it is there. */
static void add_unique(json_t *a, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return;
	json_array_append_new(a, json_string(s));
}

/* The raw values of one source for a case (a new array). */
static json_t *source_values(const struct statdef *d, const char *src, json_t *data, const struct statdef_case *k)
{
	json_t *out = json_array();
	if (strcmp(src, "child") == 0) {
		json_array_append_new(out, json_string(k->child ? "child" : "adult"));
	} else if (strcmp(src, "age") == 0) {
		char a[24];
		if (k->age >= 0)
			json_array_append_new(out, json_string(nrm_num(a, k->age)));
	} else if (strcmp(src, "institution_type") == 0) {
		if (k->institution_type)
			json_array_append_new(out, json_string(k->institution_type));
	} else if (strncmp(src, "binding:", 8) == 0) {
		json_t *v = json_object_get(data, form_bound_named(d->form, src + 8)), *c;
		size_t i;
		if (json_is_string(v))
			json_array_append_new(out, json_string(json_string_value(v)));
		json_array_foreach(v, i, c)
			if (json_is_string(c))
				add_unique(out, json_string_value(c));
	}
	return out;
}

/* Whether a joined value "a:b" matches a pattern of the same number of parts ('*' any part). */
static bool matches(const char *pattern, const char *value)
{
	while (*pattern || *value) {
		size_t pl = strcspn(pattern, ":"), vl = strcspn(value, ":");
		if (!(pl == 1 && *pattern == '*') && (pl != vl || strncmp(pattern, value, pl) != 0))
			return false;
		pattern += pl, value += vl;
		if ((*pattern == ':') != (*value == ':'))
			return false;
		pattern += *pattern == ':';
		value += *value == ':';
	}
	return true;
}

/* The value a map gives v: its exact key, else the first pattern that matches, else v. */
static const char *mapped(json_t *map, const char *v)
{
	json_t *hit = json_object_get(map, v);
	if (hit)
		return json_string_value(hit);
	const char *key;
	json_t *to;
	json_object_foreach(map, key, to)
		if (strchr(key, '*') && matches(key, v))
			return json_string_value(to);
	return v;
}

/* The code's top-level code in the code list. */
static const char *top_of(const struct statdef *d, const char *list, const char *code)
{
	json_t *parents = json_object_get(d->parents, list);
	for (int depth = 0; depth < 4; depth++) {
		const char *p = s_of(parents, code);
		if (!p)
			break;
		code = p;
	}
	return code;
}

/* The values of one dimension for a case (a new array, never empty). */
static json_t *dim_values(const struct statdef *d, json_t *dim, json_t *data, const struct statdef_case *k)
{
	json_t *from = json_object_get(dim, "from"), *vals = json_array(), *next, *v;
	size_t i, j;
	if (json_is_string(from)) {
		json_decref(vals);
		vals = source_values(d, json_string_value(from), data, k);
	} else {
		/* Several sources: every combination, joined with ':' ("" for a source without one). */
		json_array_append_new(vals, json_string(""));
		json_array_foreach(from, i, v) {
			json_t *part = source_values(d, json_string_value(v), data, k), *p, *prev;
			if (json_array_size(part) == 0)
				json_array_append_new(part, json_string(""));
			next = json_array();
			json_array_foreach(vals, j, prev) {
				size_t m;
				json_array_foreach(part, m, p) {
					char joined[256];
					snprintf(joined, sizeof joined, "%s%s%s", json_string_value(prev), i ? ":" : "",
						 json_string_value(p));
					add_unique(next, joined);
				}
			}
			json_decref(part);
			json_decref(vals);
			vals = next;
		}
	}
	const char *list = s_of(dim, "codelist"), *under = s_of(dim, "only_under");
	/* The hierarchy of a form's codes is the code list of the field the dimension reads. */
	if (json_is_string(from) && strncmp(json_string_value(from), "binding:", 8) == 0)
		list = s_of(form_field(d->form, form_bound_named(d->form, json_string_value(from) + 8)), "codelist");
	json_t *bands = json_object_get(dim, "bands"), *map = json_object_get(dim, "map"), *then = json_object_get(dim, "then");
	bool top = s_of(dim, "level") && strcmp(s_of(dim, "level"), "top") == 0;
	next = json_array();
	json_array_foreach(vals, i, v) {
		const char *s = json_string_value(v);
		char band[32];
		if (under && !(s_of(json_object_get(d->parents, list), s) && strcmp(s_of(json_object_get(d->parents, list), s), under) == 0))
			continue;
		if (top)
			s = top_of(d, list ? list : "", s);
		if (json_is_array(bands)) {
			long age = strtol(s, NULL, 10);
			size_t b;
			json_t *band_def;
			s = "unknown";
			json_array_foreach(bands, b, band_def)
				if (age <= json_integer_value(json_object_get(band_def, "max"))) {
					snprintf(band, sizeof band, "%s", s_of(band_def, "code"));
					s = band;
					break;
				}
		}
		if (map)
			s = mapped(map, s);
		if (then)
			s = mapped(then, s);
		if (s && *s)
			add_unique(next, s);
	}
	json_decref(vals);
	if (json_array_size(next) == 0 && !under)
		json_array_append_new(next, json_string("unknown"));
	return next;
}

json_t *statdef_dims(const struct statdef *d, json_t *data, const struct statdef_case *k)
{
	json_t *out = json_object(), *dim;
	size_t i;
	json_array_foreach(json_object_get(d->dims, "dimensions"), i, dim) {
		const char *from = s_of(dim, "from");
		if (from && (strcmp(from, "status") == 0 || strcmp(from, "stage") == 0))
			continue;
		json_object_set_new(out, s_of(dim, "name"), dim_values(d, dim, data, k));
	}
	return out;
}

json_t *statdef_dimension(const struct statdef *d, const char *name)
{
	return name ? json_object_get(d->dim_by_name, name) : NULL;
}

json_t *statdef_dimensions(const struct statdef *d)
{
	return json_object_get(d->dims, "dimensions");
}

json_t *statdef_tables(const struct statdef *d)
{
	return json_object_get(d->tables, "tables");
}

json_t *statdef_table(const struct statdef *d, const char *name)
{
	return name ? json_object_get(d->table_by_name, name) : NULL;
}

json_t *statdef_fact_list(const struct statdef *d)
{
	return json_object_get(d->facts, "facts");
}

json_t *statdef_audiences(const struct statdef *d)
{
	return json_object_get(d->tables, "audiences");
}

int statdef_k(const struct statdef *d, const char *audience)
{
	json_t *k = json_object_get(json_object_get(json_object_get(d->tables, "audiences"), audience), "k");
	return json_is_integer(k) ? (int)json_integer_value(k) : -1;
}
