/* Loads the organisation reference data of data/org/ into a new database: counties and
 * municipalities, institution types, the institutions of every county, and the bodies with
 * their seats (Instruction 132 §2, §8; Order 94 §1.2, §1.5, §1.7). */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/org.h"
#include "store/org.h"

static const char *lbl(json_t *o, const char *key, const char *lang)
{
	return json_string_value(json_object_get(json_object_get(o, key), lang));
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Replaces "{county}" / "{municipality}" in tmpl with value. */
static void fill(char *out, size_t cap, const char *tmpl, const char *value)
{
	const char *b = strchr(tmpl, '{'), *e = b ? strchr(b, '}') : NULL;
	if (!b || !e) {
		snprintf(out, cap, "%s", tmpl);
		return;
	}
	snprintf(out, cap, "%.*s%s%s", (int)(b - tmpl), tmpl, value, e + 1);
}

static int load_counties(struct store *s, json_t *doc, struct nrm_err *err)
{
	json_t *counties = json_object_get(doc, "counties"), *c;
	size_t i;
	if (json_array_size(counties) != 12)
		return nrm_fail_file(err, NRM_EINVAL, "counties.json", "counties.json must list the 12 counties");
	json_array_foreach(counties, i, c) {
		int64_t cid, mid;
		if (!str(c, "slug") || !str(c, "iso") || !str(c, "case_prefix") || !lbl(c, "name", "sq") || !lbl(c, "name", "en"))
			return nrm_fail_file(err, NRM_EINVAL, "counties.json", "county %zu lacks slug, iso, case_prefix or name", i + 1);
		int rc = store_county_add(s, str(c, "slug"), str(c, "iso"), str(c, "case_prefix"), lbl(c, "name", "sq"),
					  lbl(c, "name", "en"), &cid);
		if (rc)
			return nrm_fail_file(err, rc, "counties.json", "cannot add county %s", str(c, "slug"));
		size_t j;
		json_t *m;
		json_array_foreach(json_object_get(c, "municipalities"), j, m) {
			if (!str(m, "slug") || !str(m, "name"))
				return nrm_fail_file(err, NRM_EINVAL, "counties.json", "a municipality of %s lacks slug or name",
						str(c, "slug"));
			if ((rc = store_municipality_add(s, cid, str(m, "slug"), str(m, "name"), &mid)))
				return nrm_fail_file(err, rc, "counties.json", "cannot add municipality %s", str(m, "slug"));
		}
	}
	return 0;
}

static int load_types(struct store *s, json_t *doc, struct nrm_err *err)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(doc, "types"), i, t) {
		if (!str(t, "code") || !str(t, "level") || !lbl(t, "name", "sq") || !lbl(t, "name", "en"))
			return nrm_fail_file(err, NRM_EINVAL, "institution_types.json", "type %zu lacks code, level or name", i + 1);
		int rc = store_institution_type_add(s, str(t, "code"), str(t, "level"),
						    (int)json_integer_value(json_object_get(t, "krat")),
						    json_is_true(json_object_get(t, "per_municipality")), lbl(t, "name", "sq"),
						    lbl(t, "name", "en"), str(t, "source"));
		if (rc)
			return nrm_fail_file(err, rc, "institution_types.json", "cannot add type %s", str(t, "code"));
	}
	return 0;
}

/* One institution per national type, one per county of every county-level KRAT type and the
 * prefecture, one per municipality of the per-municipality types. */
static int load_institutions(struct store *s, json_t *types, struct nrm_err *err)
{
	json_t *counties, *munis;
	int rc = store_counties(s, &counties);
	if (rc)
		return rc;
	size_t i, j, k;
	json_t *t, *c, *m;
	char sq[400], en[400];
	int64_t id;
	json_array_foreach(json_object_get(types, "types"), i, t) {
		const char *code = str(t, "code"), *level = str(t, "level");
		bool national = strcmp(level, "national") == 0 || strcmp(level, "any") == 0;
		if (national && strncmp(code, "prosecution", 11) != 0 && strncmp(code, "ngo", 3) != 0 &&
		    (rc = store_institution_add(s, code, 0, 0, lbl(t, "name", "sq"), lbl(t, "name", "en"), &id)))
			goto done;
		if (!json_object_get(t, "krat") && strcmp(code, "prefecture") != 0)
			continue;
		json_array_foreach(counties, j, c) {
			int64_t cid = json_integer_value(json_object_get(c, "id"));
			if (json_is_true(json_object_get(t, "per_municipality"))) {
				if ((rc = store_municipalities(s, cid, &munis)))
					goto done;
				json_array_foreach(munis, k, m) {
					snprintf(sq, sizeof sq, "%s — Bashkia %s", lbl(t, "name", "sq"), str(m, "name"));
					snprintf(en, sizeof en, "%s — %s Municipality", lbl(t, "name", "en"), str(m, "name"));
					rc = store_institution_add(s, code, cid, json_integer_value(json_object_get(m, "id")), sq,
								   en, &id);
					if (rc)
						break;
				}
				json_decref(munis);
				if (rc)
					goto done;
				continue;
			}
			snprintf(sq, sizeof sq, "%s %s", lbl(t, "name", "sq"), str(c, "name_sq"));
			snprintf(en, sizeof en, "%s, %s", lbl(t, "name", "en"), str(c, "name_en"));
			if ((rc = store_institution_add(s, code, cid, 0, sq, en, &id)))
				goto done;
		}
	}
done:
	json_decref(counties);
	if (rc)
		return nrm_fail_file(err, rc, "institution_types.json", "cannot create the institutions");
	return 0;
}

static int add_fixed_seats(struct store *s, json_t *tmpl, int64_t body, int64_t county, struct nrm_err *err)
{
	size_t i;
	json_t *seat;
	json_array_foreach(json_object_get(tmpl, "seats"), i, seat) {
		int64_t inst = 0, id;
		if (str(seat, "institution") && store_institution_find(s, str(seat, "institution"), county, 0, &inst) &&
		    store_institution_find(s, str(seat, "institution"), 0, 0, &inst))
			inst = 0;
		if (!str(seat, "code") || !str(seat, "role") || !lbl(seat, "label", "sq") || !lbl(seat, "label", "en"))
			return nrm_fail_file(err, NRM_EINVAL, "bodies.json", "a seat of %s lacks code, role or label",
					str(tmpl, "kind"));
		int rc = store_seat_add(s, body, str(seat, "code"), str(seat, "role"), inst, lbl(seat, "label", "sq"),
					lbl(seat, "label", "en"), &id);
		if (rc)
			return nrm_fail_file(err, rc, "bodies.json", "cannot add seat %s of %s", str(seat, "code"), str(tmpl, "kind"));
	}
	return 0;
}

/* The chair, then one seat per KRAT institution of the county (core/org.c decides which). */
static int add_krat_seats(struct store *s, json_t *tmpl, json_t *types, int64_t body, int64_t county,
			  struct nrm_err *err)
{
	json_t *chair = json_object_get(tmpl, "chair"), *munis = NULL, *tarr = json_object_get(types, "types");
	int64_t inst = 0, id;
	int rc;
	store_institution_find(s, str(chair, "institution"), county, 0, &inst);
	if ((rc = store_seat_add(s, body, "chair", "chair", inst, lbl(chair, "label", "sq"), lbl(chair, "label", "en"), &id)))
		return nrm_fail_file(err, rc, "bodies.json", "cannot add the chair of %s", str(tmpl, "kind"));
	size_t nt = json_array_size(tarr);
	struct org_type *ot = calloc(nt ? nt : 1, sizeof *ot);
	struct org_slot slots[256];
	if (!ot)
		return NRM_ENOMEM;
	for (size_t i = 0; i < nt; i++) {
		json_t *t = json_array_get(tarr, i);
		ot[i].krat_order = (int)json_integer_value(json_object_get(t, "krat"));
		ot[i].per_municipality = json_is_true(json_object_get(t, "per_municipality"));
	}
	if ((rc = store_municipalities(s, county, &munis)))
		goto done;
	size_t n = org_compose_members(ot, nt, json_array_size(munis), slots, 256);
	for (size_t i = 0; i < n && i < 256 && !rc; i++) {
		json_t *t = json_array_get(tarr, slots[i].type);
		json_t *m = slots[i].municipality >= 0 ? json_array_get(munis, (size_t)slots[i].municipality) : NULL;
		int64_t mid = m ? json_integer_value(json_object_get(m, "id")) : 0;
		char code[128];
		json_t *row = NULL;
		snprintf(code, sizeof code, "%s%s%s", str(t, "code"), m ? ":" : "", m ? str(m, "slug") : "");
		if ((rc = store_institution_find(s, str(t, "code"), county, mid, &inst)) ||
		    (rc = store_institution_get(s, inst, &row)))
			break;
		rc = store_seat_add(s, body, code, "member", inst, str(row, "name"), str(row, "name_en"), &id);
		json_decref(row);
	}
done:
	free(ot);
	json_decref(munis);
	if (rc)
		return nrm_fail_file(err, rc, "bodies.json", "cannot compose the seats of %s", str(tmpl, "kind"));
	return 0;
}

static int load_bodies(struct store *s, json_t *doc, json_t *types, struct nrm_err *err)
{
	json_t *counties;
	int rc = store_counties(s, &counties);
	if (rc)
		return rc;
	size_t i, j;
	json_t *b, *c;
	json_array_foreach(json_object_get(doc, "bodies"), i, b) {
		const char *kind = str(b, "kind");
		int k = org_kind_parse(kind);
		if (k < 0) {
			rc = nrm_fail_file(err, NRM_EINVAL, "bodies.json", "unknown body kind %s", kind ? kind : "(none)");
			goto done;
		}
		if (k == ORG_MUNICIPAL_GROUP)
			continue; /* created by each county's secretariat as needed */
		int days = (int)json_integer_value(json_object_get(b, "nomination_days"));
		int every = (int)json_integer_value(json_object_get(b, "meeting_every_months"));
		int64_t id;
		if (!org_kind_is_county((enum org_kind)k)) {
			if ((rc = store_body_add(s, kind, 0, 0, 0, lbl(b, "name", "sq"), lbl(b, "name", "en"),
						 str(b, "established"), days, every, &id)) ||
			    (rc = add_fixed_seats(s, b, id, 0, err)))
				goto done;
			continue;
		}
		json_array_foreach(counties, j, c) {
			int64_t cid = json_integer_value(json_object_get(c, "id"));
			char sq[300], en[300];
			fill(sq, sizeof sq, lbl(b, "name", "sq"), str(c, "name_sq"));
			fill(en, sizeof en, lbl(b, "name", "en"), str(c, "name_en"));
			if ((rc = store_body_add(s, kind, cid, 0, 0, sq, en, str(b, "established"), days, every, &id)))
				goto done;
			rc = json_object_get(b, "members") ? add_krat_seats(s, b, types, id, cid, err)
							   : add_fixed_seats(s, b, id, cid, err);
			if (rc)
				goto done;
		}
	}
done:
	json_decref(counties);
	return rc;
}

int refdata_load(struct store *s, const char *data_dir, struct nrm_err *err)
{
	json_t *counties = NULL, *types = NULL, *bodies = NULL;
	int rc;
	if ((rc = cli_load_json(data_dir, "org/counties.json", &counties, err)) ||
	    (rc = cli_load_json(data_dir, "org/institution_types.json", &types, err)) ||
	    (rc = cli_load_json(data_dir, "org/bodies.json", &bodies, err)))
		goto done;
	if ((rc = load_counties(s, counties, err)) || (rc = load_types(s, types, err)) ||
	    (rc = load_institutions(s, types, err)) || (rc = load_bodies(s, bodies, types, err)))
		goto done;
done:
	json_decref(counties);
	json_decref(types);
	json_decref(bodies);
	return rc;
}
