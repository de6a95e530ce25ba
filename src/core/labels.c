/* Labels by group and code. */
#include "core/labels.h"

#include <stdlib.h>
#include <string.h>

#include "core/form.h"

struct labels {
	json_t *groups; /* group → code → {"sq", "en"} */
};

void labels_free(struct labels *L)
{
	if (!L)
		return;
	json_decref(L->groups);
	free(L);
}

static int add_group(struct labels *L, const char *name, json_t *group, const char *file, struct nrm_err *err)
{
	if (json_object_get(L->groups, name)) {
		json_decref(group);
		return nrm_fail(err, NRM_EINVAL, KEY_data_file, NULL, "file", file, "problem",
				"a label group has the name of another group or code list", NULL);
	}
	json_object_set_new(L->groups, name, group);
	return 0;
}

/* A group from a list of items with "code" and "label". */
static json_t *from_items(json_t *items)
{
	json_t *g = json_object(), *it;
	size_t i;
	json_array_foreach(items, i, it) {
		const char *code = json_string_value(json_object_get(it, "code"));
		json_t *label = json_object_get(it, "label");
		if (code && json_is_object(label))
			json_object_set(g, code, label);
	}
	return g;
}

int labels_build(json_t *labels_doc, json_t *roles_doc, const struct form *f, struct labels **out,
		 struct nrm_err *err)
{
	struct labels *L = calloc(1, sizeof *L);
	if (!L)
		return nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	L->groups = json_object();
	int rc = 0;
	const char *name;
	json_t *g;
	json_object_foreach(json_object_get(labels_doc, "groups"), name, g)
		if (!rc)
			rc = add_group(L, name, json_deep_copy(g), "labels.json", err);
	if (!rc)
		rc = add_group(L, "role", from_items(json_object_get(roles_doc, "roles")), "roles.json", err);
	if (!rc && f)
		rc = add_group(L, "stage", from_items(json_object_get(form_workflow(f), "stages")), "workflow.json", err);
	json_object_foreach(f ? form_codelists(f) : NULL, name, g)
		if (!rc)
			rc = add_group(L, name, from_items(json_object_get(g, "items")), "codes", err);
	if (rc) {
		labels_free(L);
		return rc;
	}
	*out = L;
	return 0;
}

const char *labels_get(const struct labels *L, const char *group, const char *code, const char *lang)
{
	json_t *l = json_object_get(json_object_get(json_object_get(L->groups, group), code), lang && strcmp(lang, "en") == 0 ? "en" : "sq");
	return json_is_string(l) ? json_string_value(l) : code;
}

json_t *labels_json(const struct labels *L)
{
	return L->groups;
}
