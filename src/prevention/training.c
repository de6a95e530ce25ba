/* Training and exchanges of experience as each member of a body lived them: a person's
 * history, a body's members who were never trained, a participant's certificate. The
 * register that holds trainings is the one whose "roles" name participants. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "org/org.h"
#include "prevention/internal.h"
#include "store/org.h"

/* The register of trainings: the first one with participants. */
static int training_def(struct nrm_ctx *c, struct reg_def **out, struct nrm_err *err)
{
	struct reg_def **defs;
	size_t n;
	int rc = reg_defs_all(c, &defs, &n, err);
	if (rc)
		return rc;
	struct reg_def *found = NULL;
	for (size_t i = 0; i < n; i++)
		if (!found && defs[i]->part_f && defs[i]->part_person) {
			found = defs[i];
			defs[i] = NULL;
		}
	reg_defs_free(defs, n);
	if (!found)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_register, "register", NULL);
	if (!reg_role_reads(c, found)) {
		reg_def_free(found);
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_register_read_role, NULL, NULL);
	}
	*out = found;
	return 0;
}

/* The trainings person took part in, readable by the caller, oldest first. */
static int history(struct nrm_ctx *c, struct reg_def *d, int64_t person, json_t **out)
{
	json_t *rows, *r;
	int rc = store_reg_referring(c->db, d->name, "person", person, &rows);
	if (rc)
		return rc;
	json_t *list = json_array();
	size_t i, j;
	json_array_foreach(rows, i, r) {
		if (!reg_may_read(c, d, r))
			continue;
		json_t *f = json_object_get(r, "fields"), *p;
		json_array_foreach(json_object_get(f, d->part_f), j, p) {
			if (j_int(p, d->part_person) != person)
				continue;
			json_t *h = json_pack("{s:O, s:I, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:b}", "code",
					      json_object_get(r, "code"), "participant", (json_int_t)j, "title",
					      json_object_get(f, d->title_f ? d->title_f : ""), "kind", json_object_get(f, "kind"),
					      "topics", json_object_get(f, "topics"), "start", json_object_get(r, "first_day"),
					      "end", json_object_get(r, "last_day"), "hours", json_object_get(f, "hours"),
					      "organiser", json_object_get(f, "organiser"), "county",
					      json_object_get(r, "county"), "certificate",
					      json_is_true(json_object_get(p, "certificate")));
			json_array_append_new(list, h);
			break;
		}
	}
	json_decref(rows);
	*out = list;
	return 0;
}

int reg_person_trainings(struct nrm_ctx *c, int64_t person, json_t **out, struct nrm_err *err)
{
	struct reg_def *d;
	json_t *p = NULL;
	int rc = org_person(c, person, &p, err);
	json_decref(p);
	if (rc || (rc = training_def(c, &d, err)))
		return rc;
	rc = history(c, d, person, out);
	reg_def_free(d);
	return rc;
}

int reg_body_training(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err)
{
	struct reg_def *d = NULL;
	json_t *b = NULL;
	int rc = org_body(c, body, &b, err);
	/* Another county's trainings are not all visible to a county's people: no partial answer. */
	if (!rc && role_scope(c->me->role) == SCOPE_COUNTY) {
		int64_t county = 0;
		if (!*j_str(b, "county") || store_county_id(c->db, j_str(b, "county"), &county) != 0 ||
		    county != c->me->county_id)
			rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_register_own_county, "body", NULL);
	}
	if (rc || (rc = training_def(c, &d, err))) {
		json_decref(b);
		return rc;
	}
	json_t *members = json_array(), *never = json_array(), *seat;
	size_t i;
	json_array_foreach(json_object_get(b, "seats"), i, seat) {
		json_t *m = json_object_get(seat, "member"), *h = NULL, *t;
		if (!json_is_object(m))
			continue;
		int64_t person = j_int(m, "person");
		if ((rc = history(c, d, person, &h)))
			break;
		json_int_t hours = 0;
		const char *last = NULL;
		size_t j;
		json_array_foreach(h, j, t) {
			hours += json_integer_value(json_object_get(t, "hours"));
			if (!last || strcmp(j_str(t, "start"), last) > 0)
				last = j_str(t, "start");
		}
		json_t *row = json_pack("{s:O, s:O?, s:O?, s:I, s:O, s:I, s:I, s:s?}", "seat", json_object_get(seat, "id"), "label",
					json_object_get(seat, "label"), "label_en", json_object_get(seat, "label_en"), "person",
					(json_int_t)person, "name", json_object_get(m, "name"), "trainings",
					(json_int_t)json_array_size(h), "hours", hours, "last", last);
		json_array_append(members, row);
		if (!json_array_size(h))
			json_array_append(never, row);
		json_decref(row);
		json_decref(h);
	}
	if (!rc)
		*out = json_pack("{s:O, s:O?, s:O?, s:o, s:o}", "body", json_object_get(b, "id"), "name",
				 json_object_get(b, "name"), "name_en", json_object_get(b, "name_en"), "members", members,
				 "never_trained", never);
	else {
		json_decref(members);
		json_decref(never);
	}
	json_decref(b);
	reg_def_free(d);
	return rc;
}

int reg_certificate(struct nrm_ctx *c, const char *code, int64_t participant, json_t **out, struct nrm_err *err)
{
	struct reg_def *d;
	json_t *row = NULL, *p = NULL, *person = NULL, *names = NULL;
	int rc = training_def(c, &d, err);
	if (rc)
		return rc;
	if ((rc = reg_entry_load(c, d, code, &row, err)))
		goto done;
	json_t *f = json_object_get(row, "fields");
	p = json_incref(participant >= 0 ? json_array_get(json_object_get(f, d->part_f), (size_t)participant) : NULL);
	if (!p) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_no_such_participant, "participant", NULL);
		goto done;
	}
	/* A certificate for those the training marks as earning one. */
	const char *mark = j_str(json_object_get(json_object_get(d->doc, "roles"), "participants"), "certificate");
	if (*mark && !json_is_true(json_object_get(p, mark))) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_no_certificate, "participant", NULL);
		goto done;
	}
	const char *name = j_str(p, "name");
	int64_t inst = j_int(p, "institution");
	if (j_int(p, d->part_person) && org_person(c, j_int(p, d->part_person), &person, err) == 0) {
		name = j_str(person, "name");
		if (!inst)
			inst = j_int(person, "institution");
	}
	names = reg_ref_names(c, d, f);
	char key[64], number[80];
	snprintf(key, sizeof key, "institution:%lld", (long long)inst);
	json_t *inst_row = NULL;
	if (inst && !json_object_get(names, key) && store_reg_ref_target(c->db, "institution", inst, &inst_row) == 0)
		json_object_set(names, key, json_object_get(inst_row, "name"));
	json_decref(inst_row);
	snprintf(number, sizeof number, "%s/%lld", code, (long long)participant + 1);
	*out = json_pack("{s:s, s:s, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "number", number,
			 "name", name, "institution", json_object_get(names, key), "title",
			 json_object_get(f, d->title_f ? d->title_f : ""), "kind", json_object_get(f, "kind"), "topics",
			 json_object_get(f, "topics"), "organiser", json_object_get(f, "organiser"), "organiser_name",
			 json_object_get(f, "organiser_name"), "start", json_object_get(row, "first_day"), "end",
			 json_object_get(row, "last_day"), "hours", json_object_get(f, "hours"), "place",
			 json_object_get(f, "place"), "county", json_object_get(row, "county_name_sq"), "county_en",
			 json_object_get(row, "county_name_en"));
done:
	json_decref(names);
	json_decref(person);
	json_decref(p);
	json_decref(row);
	reg_def_free(d);
	return rc;
}
