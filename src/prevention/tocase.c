/* A person at risk who becomes a possible victim: the entry turns into a case of the
 * National Database, which takes the fields "to_case" maps from the entry, in one
 * transaction; the entry keeps its history, is kept as it was, and links to the case. */
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "prevention/internal.h"
#include "secure/audit.h"

int reg_to_case(struct nrm_ctx *c, const char *reg, const char *code, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"fields", "reason", NULL};
	struct reg_def *d = NULL;
	json_t *row = NULL, *personal = NULL, *fields = NULL, *made = NULL, *given = json_object_get(in, "fields");
	const char *reason = NULL;
	char *sealed = NULL, *pubs = NULL;
	int rc;
	if ((rc = in_only(in, members, err)) || (rc = in_str(in, "reason", false, 500, &reason, err)))
		return rc;
	if (given && !json_is_object(given))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "fields", NULL);
	if ((rc = reg_def_load(c, reg, "register", &d, err)) || (rc = reg_entry_load(c, d, code, &row, err)))
		goto done;
	json_t *to = json_object_get(d->doc, "to_case");
	if (!to) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_register_no_cases, NULL, NULL);
		goto done;
	}
	if (!reg_may_read_personal(c, d, row)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_entry_by_holder, NULL, NULL);
		goto done;
	}
	if (j_int(row, "case_id")) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_entry_became_case, NULL, "case", j_str(row, "case_code"), NULL);
		goto done;
	}
	/* Copying the person's data into a case reads it: a reason, as for any read. */
	if (!reason || !*reason) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_reason_required, "reason", NULL);
		goto done;
	}
	if ((rc = reg_decrypt(c, d, j_int(row, "id"), &personal)))
		goto done;
	json_t *whole = json_deep_copy(json_object_get(row, "fields"));
	json_object_update(whole, personal);
	fields = json_object();
	const char *from;
	json_t *case_field;
	json_object_foreach(json_object_get(to, "fields"), from, case_field) {
		json_t *v = json_object_get(whole, from);
		if (form_filled(v) && form_field(c->form, json_string_value(case_field)))
			json_object_set(fields, json_string_value(case_field), v);
	}
	json_decref(whole);
	json_object_update(fields, given);
	if ((rc = reg_seal(c, code, reason, &sealed)) || (rc = store_begin(c->db)) ||
	    (rc = case_create(c, fields, 0, &made, err)))
		goto done;
	/* The entry is kept as it was, with the state that says what became of it. */
	json_t *pub = json_deep_copy(json_object_get(row, "fields"));
	if (d->status_f)
		json_object_set_new(pub, d->status_f, json_string(j_str(to, "status")));
	pubs = json_dumps(pub, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(pub);
	struct reg_row r = {.county = j_int(row, "county_id"), .holder = j_int(row, "holder"),
			    .parent = j_int(row, "parent_id"), .meeting = j_int(row, "meeting_id"),
			    .first_day = json_string_value(json_object_get(row, "first_day")),
			    .last_day = json_string_value(json_object_get(row, "last_day")), .data_json = pubs};
	json_t *after = json_pack("{s:s, s:O, s:[s]}", "register", d->name, "case", json_object_get(made, "code"), "fields",
				  d->status_f ? d->status_f : "case");
	if (!pubs || !after)
		rc = NRM_ENOMEM;
	if (rc || (rc = store_reg_update(c->db, j_int(row, "id"), j_int(row, "version"), &r)) ||
	    (rc = store_reg_set_case(c->db, j_int(row, "id"), j_int(made, "id"))) ||
	    (rc = store_reg_event_add(c->db, j_int(row, "id"), "to_case", "[\"case\"]", sealed, c->me->id,
				      c->me->username)) ||
	    (rc = secure_audit(c->db, c->me, "to_case", "register_entry", code, NULL, after, sealed)) ||
	    (rc = store_commit(c->db))) {
		json_decref(after);
		goto done;
	}
	json_decref(after);
	*out = json_pack("{s:O, s:s}", "code", json_object_get(made, "code"), "entry", code);
done:
	if (rc)
		store_rollback(c->db);
	if (rc == NRM_ECONFLICT && !err->msg[0])
		nrm_fail(err, rc, KEY_stale, NULL, NULL);
	free(pubs);
	free(sealed);
	json_decref(made);
	json_decref(fields);
	json_decref(personal);
	json_decref(row);
	reg_def_free(d);
	return rc;
}
