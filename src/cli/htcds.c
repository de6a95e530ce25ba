/* HTCDS 2.0 values for `nrm export --format htcds`: every value written in an HTCDS field is
 * one of that field's values in the standard (data/htcds/fields.json, stored with the form);
 * a sub-type goes to its own field (a labour industry to vic_ForcedLabourIndustry, a type of
 * sexual exploitation to vic_TypeOfSexExploitation) under its form; an Albanian code becomes
 * its nearest HTCDS parent, or "Other", and is kept as it is under al.al_detail. */
#include "cli/cli.h"

#include <string.h>

#include "core/form.h"
#include "core/input.h"
#include "case/case.h"
#include "store/case.h"

int htcds_load(struct store *s, json_t **out, struct nrm_err *err)
{
	int rc = case_stored_doc(s, "htcds:fields", out);
	return rc == NRM_ENOTFOUND ? nrm_fail(err, NRM_EINVAL, KEY_htcds_missing, NULL, NULL) : rc;
}

static void add_unique(json_t *a, const char *v)
{
	if (!j_has(a, v))
		json_array_append_new(a, json_string(v));
}

static const char *parent_of(const struct form *f, const char *list, const char *code)
{
	json_t *items = json_object_get(json_object_get(form_codelists(f), list), "items"), *it;
	size_t i;
	json_array_foreach(items, i, it)
		if (strcmp(json_string_value(json_object_get(it, "code")), code) == 0)
			return json_string_value(json_object_get(it, "parent"));
	return NULL;
}

/* Sets field name to the values (an array, or its first value for a single-value field). */
static void put(json_t *doc, json_t *o, const char *name, json_t *vals)
{
	if (json_array_size(vals) == 0)
		return;
	if (j_has(json_object_get(doc, "multiselect"), name))
		json_object_set(o, name, vals);
	else
		json_object_set(o, name, json_array_get(vals, 0));
}

void htcds_put(json_t *doc, const struct form *f, json_t *fd, const char *name, json_t *v, json_t *o, json_t *detail)
{
	json_t *lists = json_object_get(doc, "lists"), *list = json_object_get(lists, name);
	if (!list) {
		json_object_set(o, name, v);
		return;
	}
	const char *codelist = json_string_value(json_object_get(fd, "codelist"));
	json_t *split = json_object_get(json_object_get(doc, "split"), name);
	json_t *vals = json_is_array(v) ? json_incref(v) : json_pack("[O]", v);
	json_t *main = json_array(), *own = json_array(), *subs = json_object(), *c;
	size_t i;
	json_array_foreach(vals, i, c) {
		const char *code = json_string_value(c);
		if (!code)
			continue;
		const char *parent = parent_of(f, codelist ? codelist : "", code);
		const char *sub = parent && split ? json_string_value(json_object_get(split, parent)) : NULL;
		if (sub && j_has(json_object_get(lists, sub), code)) {
			if (!json_object_get(subs, sub))
				json_object_set_new(subs, sub, json_array());
			add_unique(json_object_get(subs, sub), code);
			add_unique(main, parent);
			continue;
		}
		const char *m = code;
		for (int depth = 0; m && depth < 4 && !j_has(list, m); depth++)
			m = parent_of(f, codelist ? codelist : "", m);
		if (!m || !j_has(list, m))
			m = j_has(list, "Other") ? "Other" : NULL;
		if (!m || strcmp(m, code) != 0)
			add_unique(own, code);
		if (m)
			add_unique(main, m);
	}
	put(doc, o, name, main);
	const char *k;
	json_t *sv;
	json_object_foreach(subs, k, sv) {
		put(doc, o, k, sv);
		/* A single-value field keeps one industry; the others stay in the detail. */
		for (size_t j = j_has(json_object_get(doc, "multiselect"), k) ? json_array_size(sv) : 1; j < json_array_size(sv); j++)
			add_unique(own, json_string_value(json_array_get(sv, j)));
	}
	if (json_array_size(own))
		json_object_set(detail, name, own);
	json_decref(vals);
	json_decref(main);
	json_decref(own);
	json_decref(subs);
}
