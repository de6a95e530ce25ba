/* Demo entries of the registers of prevention and cooperation for `nrm init --demo`
 * (data/demo/registers.json): people at risk, campaigns and their activities, trainings,
 * cross-border contacts, emergency plans and an activation, over the past months — made
 * through the register operations (src/prevention/) as the demo user named in each entry.
 * Strings "@..." name what the database gives ids to: "@inst:caseworker" (the county's
 * demo case worker's institution), "@inst:TYPE" (the county's, else the entry's municipality's, else the national one),
 * "@body:KIND" (the county's body),
 * "@member:KIND:N" (the person in the Nth held seat of that body), "@entry:REGISTER:N" (the
 * Nth demo entry of that register), "@meeting:extraordinary" (the county KRAT's latest such
 * meeting). */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "core/statdef.h"
#include "prevention/prevention.h"
#include "secure/crypt.h"
#include "store/meeting.h"
#include "store/org.h"
#include "store/user.h"

struct run {
	struct store *s;
	const struct form *form;
	const struct statdef *stats; /* a case made from an entry is counted */
	int32_t today;
	int64_t county, municipality; /* of the entry being made (0: none) */
	const char *slug;
	json_t *made; /* register → [id, ...] */
};

static int resolve_ref(struct run *r, const char *ref, int64_t *id)
{
	char a[64] = "", b[64] = "";
	int n = 0;
	if (sscanf(ref, "@inst:%63s", a) == 1) {
		/* Of the county, else of the entry's municipality (municipal social services). */
		if (strcmp(a, "caseworker") != 0)
			return store_institution_find(r->s, a, r->county, 0, id) == 0 ||
					       store_institution_find(r->s, a, r->county, r->municipality, id) == 0
				       ? 0
				       : store_institution_find(r->s, a, 0, 0, id);
		char user[80];
		json_t *u;
		snprintf(user, sizeof user, "%s.caseworker", r->slug);
		int rc = store_user_by_name(r->s, user, &u);
		if (!rc)
			*id = j_int(u, "institution");
		json_decref(u);
		return rc;
	}
	if (sscanf(ref, "@body:%63s", a) == 1)
		return store_body_find(r->s, a, r->county, id);
	if (sscanf(ref, "@member:%63[^:]:%d", a, &n) == 2) {
		int64_t body;
		json_t *seats, *seat;
		char today[DATE_LEN];
		date_format(r->today, today);
		int rc = store_body_find(r->s, a, r->county, &body);
		if (rc || (rc = store_seats(r->s, body, 0, 0, today, &seats)))
			return rc;
		size_t i;
		int k = 0;
		rc = NRM_ENOTFOUND;
		json_array_foreach(seats, i, seat) {
			json_t *m = json_object_get(seat, "member");
			if (json_is_object(m) && k++ == n) {
				*id = j_int(m, "person");
				rc = 0;
				break;
			}
		}
		json_decref(seats);
		return rc;
	}
	if (sscanf(ref, "@entry:%63[^:]:%d", b, &n) == 2) {
		json_t *v = json_array_get(json_object_get(r->made, b), (size_t)n);
		*id = (int64_t)json_integer_value(v);
		return v ? 0 : NRM_ENOTFOUND;
	}
	if (strcmp(ref, "@meeting:extraordinary") == 0) {
		int64_t body;
		json_t *ms, *m;
		int rc = store_body_find(r->s, "krat", r->county, &body);
		if (rc || (rc = store_meetings(r->s, body, &ms)))
			return rc;
		size_t i;
		rc = NRM_ENOTFOUND;
		json_array_foreach(ms, i, m)
			if (strcmp(j_str(m, "kind"), "extraordinary") == 0) {
				*id = j_int(m, "id");
				rc = 0;
			}
		json_decref(ms);
		return rc;
	}
	return NRM_EINVAL;
}

/* v with every "@..." string replaced by its id (a new reference in *out). */
static int resolve(struct run *r, json_t *v, json_t **out)
{
	if (json_is_string(v) && json_string_value(v)[0] == '@') {
		int64_t id;
		int rc = resolve_ref(r, json_string_value(v), &id);
		if (!rc)
			*out = json_integer(id);
		return rc;
	}
	if (!json_is_array(v) && !json_is_object(v)) {
		*out = json_incref(v);
		return 0;
	}
	json_t *o = json_is_array(v) ? json_array() : json_object(), *x, *y;
	size_t i;
	const char *k;
	int rc = 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if ((rc = resolve(r, x, &y)))
				break;
			json_array_append_new(o, y);
		}
	} else {
		json_object_foreach(v, k, x) {
			if ((rc = resolve(r, x, &y)))
				break;
			json_object_set_new(o, k, y);
		}
	}
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

static int one(struct run *r, const struct crypt_keys *keys, json_t *e, struct nrm_err *err)
{
	struct principal p;
	struct nrm_ctx c;
	json_t *fields = NULL, *dated = NULL, *in = NULL, *out = NULL;
	const char *reg = j_str(e, "register");
	r->slug = j_str(e, "county");
	r->county = r->municipality = 0;
	json_t *muni = NULL;
	const char *mslug = j_str(json_object_get(e, "fields"), "municipality");
	if (*mslug && store_municipality_get(r->s, mslug, &muni) == 0)
		r->municipality = j_int(muni, "id");
	json_decref(muni);
	int rc = demo_acting(r->s, j_str(e, "as"), r->today, r->form, NULL, &p, &c);
	c.keys = keys;
	c.stats = r->stats;
	if (rc || (*r->slug && (rc = store_county_id(r->s, r->slug, &r->county))))
		return rc;
	dated = demo_dated(r->today, json_object_get(e, "fields"));
	if ((rc = resolve(r, dated, &fields)))
		goto done;
	in = json_pack("{s:O}", "fields", fields);
	if ((rc = reg_create(&c, reg, in, &out, err)))
		goto done;
	if (!json_object_get(r->made, reg))
		json_object_set_new(r->made, reg, json_array());
	json_array_append(json_object_get(r->made, reg), json_object_get(out, "id"));
	json_t *become = json_object_get(e, "to_case");
	if (become) {
		json_t *cf = NULL, *cin = NULL, *made = NULL;
		json_t *cd = demo_dated(r->today, json_object_get(become, "fields"));
		if (!(rc = resolve(r, cd, &cf))) {
			cin = json_pack("{s:O, s:s}", "fields", cf, "reason", j_str(become, "reason"));
			rc = reg_to_case(&c, reg, j_str(out, "code"), cin, &made, err);
		}
		json_decref(made);
		json_decref(cin);
		json_decref(cf);
		json_decref(cd);
	}
done:
	json_decref(out);
	json_decref(in);
	json_decref(fields);
	json_decref(dated);
	return rc;
}

int demo_registers(struct store *s, const char *data_dir, const char *key_path, struct nrm_err *err)
{
	struct form *form = NULL;
	struct statdef *stats = NULL;
	struct crypt_keys keys;
	json_t *doc = NULL, *e;
	size_t i;
	memset(&keys, 0, sizeof keys);
	int rc;
	if ((rc = cli_load_json(data_dir, "demo/registers.json", &doc, err)) || (rc = case_form_load(s, &form, err)) ||
	    (rc = case_statdef_load(s, form, &stats, err)) || (rc = crypt_load_keys(key_path, &keys, err)))
		goto done;
	struct run r = {.s = s, .form = form, .stats = stats, .today = clock_today(), .made = json_object()};
	json_array_foreach(json_object_get(doc, "entries"), i, e)
		if ((rc = one(&r, &keys, e, err))) {
			char msg[sizeof err->msg];
			snprintf(msg, sizeof msg, "%s", err->msg[0] ? err->msg : nrm_err_name(rc));
			nrm_fail_file(err, rc, "demo/registers.json", "entry %zu: %s", i + 1, msg);
			break;
		}
	json_decref(r.made);
done:
	crypt_keys_wipe(&keys);
	statdef_free(stats);
	json_decref(doc);
	form_free(form);
	return rc;
}
