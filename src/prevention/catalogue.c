/* What registers there are, as the caller may use them, and a register's definition for the
 * UI to draw its form from. */
#include <string.h>

#include "prevention/internal.h"

static json_t *summary(struct nrm_ctx *c, const struct reg_def *d)
{
	bool can_create = j_has(json_object_get(d->doc, "write"), role_name(c->me->role)) &&
			  (role_scope(c->me->role) == SCOPE_NATIONAL || c->me->county_id);
	return json_pack("{s:s, s:O, s:O, s:b, s:b, s:s, s:O, s:O?, s:b}", "name", d->name, "label",
			 json_object_get(d->doc, "label"), "about", json_object_get(d->doc, "about"), "personal",
			 d->personal, "can_create", can_create, "county", d->county_required ? "required" : "optional",
			 "order", json_object_get(d->doc, "order"), "prefix", json_object_get(d->doc, "prefix"),
			 "one_per_county", d->one_per_county);
}

int reg_catalogue(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	struct reg_def **defs;
	size_t n;
	int rc = reg_defs_all(c, &defs, &n, err);
	if (rc && err->key == KEY_registers_missing) {
		/* A database of before the registers, until `nrm forms load`: none to offer. */
		*err = (struct nrm_err){0};
		*out = json_array();
		return 0;
	}
	if (rc)
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		if (reg_role_reads(c, defs[i]))
			json_array_append_new(list, summary(c, defs[i]));
	reg_defs_free(defs, n);
	*out = list;
	return 0;
}

int reg_definition(struct nrm_ctx *c, const char *reg, json_t **out, struct nrm_err *err)
{
	struct reg_def *d;
	int rc = reg_def_load(c, reg, "register", &d, err);
	if (rc)
		return rc;
	if (!reg_role_reads(c, d)) {
		reg_def_free(d);
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_register_read_role, NULL, NULL);
	}
	json_t *v = summary(c, d);
	static const char *const keys[] = {"sections", "roles", "list", "figures", "to_case", "review", NULL};
	for (size_t i = 0; keys[i]; i++)
		if (json_object_get(d->doc, keys[i]))
			json_object_set(v, keys[i], json_object_get(d->doc, keys[i]));
	/* Sub-fields of personal groups are personal: as the form marked them. */
	json_object_set(v, "sections", json_object_get(form_json(d->form), "sections"));
	reg_def_free(d);
	*out = v;
	return 0;
}
