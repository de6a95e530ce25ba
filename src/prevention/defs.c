/* The registers as data: data/registers/NAME.json, stored by `nrm init` / `nrm forms load`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prevention/internal.h"
#include "store/register.h"

void reg_def_free(struct reg_def *d)
{
	if (!d)
		return;
	form_free(d->form);
	json_decref(d->doc);
	free(d);
}

void reg_defs_free(struct reg_def **d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		reg_def_free(d[i]);
	free(d);
}

static const char *role_field(json_t *roles, const char *key, const char *member)
{
	json_t *v = json_object_get(roles, key);
	return json_string_value(member && json_is_object(v) ? json_object_get(v, member) : v);
}

/* A definition from its stored document; the fields its roles name must exist. */
static int build(struct nrm_ctx *c, json_t *doc, struct reg_def **out, struct nrm_err *err)
{
	struct reg_def *d = calloc(1, sizeof *d);
	if (!d)
		return NRM_ENOMEM;
	d->doc = json_incref(doc);
	snprintf(d->name, sizeof d->name, "%s", j_str(doc, "register"));
	int rc = form_load_plain(doc, form_codelists(c->form), d->name, &d->form, err);
	if (rc) {
		reg_def_free(d);
		return rc;
	}
	json_t *roles = json_object_get(doc, "roles");
	d->county_f = role_field(roles, "county", NULL);
	d->muni_f = role_field(roles, "municipality", NULL);
	d->first_f = role_field(roles, "first", NULL);
	d->last_f = role_field(roles, "last", NULL);
	d->title_f = role_field(roles, "title", NULL);
	d->status_f = role_field(roles, "status", NULL);
	d->parent_f = role_field(roles, "parent", "field");
	d->parent_reg = role_field(roles, "parent", "register");
	d->meeting_f = role_field(roles, "meeting", "field");
	d->meeting_kind = role_field(roles, "meeting", "kind");
	d->meeting_body = role_field(roles, "meeting", "body");
	d->meeting_within = (int)json_integer_value(json_object_get(json_object_get(roles, "meeting"), "within_days"));
	d->part_f = role_field(roles, "participants", "field");
	d->part_person = role_field(roles, "participants", "person");
	d->review_f = json_string_value(json_object_get(doc, "review"));
	d->stock = json_is_true(json_object_get(roles, "stock"));
	d->personal = json_is_true(json_object_get(doc, "personal"));
	d->one_per_county = json_is_true(json_object_get(doc, "one_per_county"));
	d->county_required = strcmp(j_str(doc, "county"), "required") == 0;
	const char *named[] = {d->county_f, d->muni_f, d->first_f, d->last_f, d->title_f, d->status_f, d->parent_f,
			       d->meeting_f, d->part_f, d->review_f};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (named[i] && !form_is_top(d->form, named[i])) {
			rc = nrm_fail_file(err, NRM_EINVAL, d->name, "\"roles\" names %s, which is not a field", named[i]);
			reg_def_free(d);
			return rc;
		}
	if (!d->first_f || form_is_personal(d->form, d->first_f)) {
		rc = nrm_fail_file(err, NRM_EINVAL, d->name, "\"roles.first\" must name a non-personal date field");
		reg_def_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

int reg_def_load(struct nrm_ctx *c, const char *name, const char *field, struct reg_def **out, struct nrm_err *err)
{
	json_t *docs;
	int rc = store_register_docs(c->db, &docs);
	if (rc)
		return rc;
	char want[80];
	snprintf(want, sizeof want, "register:%s", name ? name : "");
	json_t *doc = NULL, *r;
	size_t i;
	json_array_foreach(docs, i, r)
		if (name && strlen(name) < 48 && strcmp(j_str(r, "name"), want) == 0)
			doc = json_object_get(r, "doc");
	rc = doc ? build(c, doc, out, err) : nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_register, field, NULL);
	json_decref(docs);
	return rc;
}

static int by_order(const void *a, const void *b)
{
	const struct reg_def *x = *(const struct reg_def *const *)a, *y = *(const struct reg_def *const *)b;
	json_int_t ox = json_integer_value(json_object_get(x->doc, "order")),
		   oy = json_integer_value(json_object_get(y->doc, "order"));
	return ox < oy ? -1 : ox > oy ? 1 : strcmp(x->name, y->name);
}

int reg_defs_all(struct nrm_ctx *c, struct reg_def ***out, size_t *n, struct nrm_err *err)
{
	json_t *docs;
	int rc = store_register_docs(c->db, &docs);
	if (rc)
		return rc;
	size_t count = json_array_size(docs), i;
	if (!count) {
		json_decref(docs);
		return nrm_fail(err, NRM_EINVAL, KEY_registers_missing, NULL, NULL);
	}
	struct reg_def **all = calloc(count, sizeof *all);
	if (!all) {
		json_decref(docs);
		return NRM_ENOMEM;
	}
	json_t *r;
	json_array_foreach(docs, i, r)
		if (!rc)
			rc = build(c, json_object_get(r, "doc"), &all[i], err);
	json_decref(docs);
	if (rc) {
		reg_defs_free(all, count);
		return rc;
	}
	qsort(all, count, sizeof *all, by_order);
	*out = all;
	*n = count;
	return 0;
}

const char *reg_def_label(const struct reg_def *d, const char *lang)
{
	json_t *l = json_object_get(d->doc, "label");
	const char *s = json_string_value(json_object_get(l, lang && strcmp(lang, "en") == 0 ? "en" : "sq"));
	return s ? s : d->name;
}

json_t *reg_code_label(struct nrm_ctx *c, const char *list, const char *code)
{
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(json_object_get(form_codelists(c->form), list), "items"), i, item)
		if (code && strcmp(j_str(item, "code"), code) == 0)
			return json_object_get(item, "label");
	return NULL;
}
