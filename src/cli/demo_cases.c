/* Demo cases for `nrm init --demo` (data/demo/cases.json): invented persons at every step of
 * the workflow over the last years, so that case lists, queues and the figures of past
 * periods show something on first start. Registered as `nrm import` registers records of
 * earlier years — in the stage they reached, with the history their dates tell — by the
 * Authority's secretariat; dates are written relative to the day of `nrm init`. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/input.h"
#include "core/statdef.h"
#include "match/match.h"
#include "secure/crypt.h"
#include "secure/perm.h"
#include "store/meeting.h"
#include "store/org.h"
#include "store/user.h"

struct demo {
	struct nrm_ctx ctx;
	struct principal me;
	int64_t shelter, police, authority;
	json_t *meetings; /* date → id */
};

/* "today-N" as a date; false when s is not written so. */
static bool relative(struct demo *d, const char *s, char out[DATE_LEN])
{
	char *end;
	if (strncmp(s, "today-", 6) != 0)
		return false;
	long n = strtol(s + 6, &end, 10);
	if (*end || n < 0 || n > 36500)
		return false;
	date_format(d->ctx.today - (int32_t)n, out);
	return true;
}

/* The Authority's meeting on that day, made when there is none yet. */
static int meeting(struct demo *d, const char *date, int64_t *id)
{
	json_t *have = json_object_get(d->meetings, date);
	if (have) {
		*id = json_integer_value(have);
		return 0;
	}
	struct store_meeting m = {.date = date, .time = "10:00", .kind = "ordinary", .title = "Mbledhje e rregullt (demo)",
				  .location = "Tiranë, Ministria e Brendshme"};
	char uid[64];
	snprintf(uid, sizeof uid, "demo-authority-%s@nrm", date);
	/* The Authority's meetings of the demo are past: held, as its decisions say. */
	int rc = store_meeting_add(d->ctx.db, d->authority, &m, uid, 0, id);
	if (!rc)
		rc = store_meeting_set_status(d->ctx.db, *id, "held", NULL);
	if (!rc)
		json_object_set_new(d->meetings, date, json_integer(*id));
	return rc;
}

/* A value with its placeholders replaced (a new reference), or NULL on a bad placeholder. */
static json_t *resolve(struct demo *d, json_t *v, int *rc)
{
	char day[DATE_LEN];
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		int64_t id;
		if (relative(d, s, day))
			return json_string(day);
		if (strcmp(s, "@police") == 0)
			return json_integer(d->police);
		if (strcmp(s, "@shelter") == 0)
			return json_integer(d->shelter);
		if (strncmp(s, "@meeting:", 9) == 0 && relative(d, s + 9, day))
			return (*rc = meeting(d, day, &id)) ? NULL : json_integer(id);
		return s[0] == '@' ? NULL : json_incref(v);
	}
	json_t *out = json_is_array(v) ? json_array() : json_is_object(v) ? json_object() : NULL, *x, *r;
	if (!out)
		return json_incref(v);
	size_t i;
	const char *k;
	json_array_foreach(v, i, x) {
		if (!(r = resolve(d, x, rc)))
			goto fail;
		json_array_append_new(out, r);
	}
	json_object_foreach(v, k, x) {
		if (!(r = resolve(d, x, rc)))
			goto fail;
		json_object_set_new(out, k, r);
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

static int one_case(struct demo *d, size_t i, json_t *c, struct nrm_err *err)
{
	json_t *fields = json_object_get(c, "fields"), *out = NULL;
	const char *county = json_string_value(json_object_get(fields, form_bound(d->ctx.form, FB_COUNTY)));
	int64_t cid;
	int rc = 0;
	if (!county || store_county_id(d->ctx.db, county, &cid) != 0 ||
	    store_institution_find(d->ctx.db, "local_police", cid, 0, &d->police) != 0)
		return nrm_fail_file(err, NRM_EINVAL, "demo/cases.json", "case %zu: no county with a police", i + 1);
	json_t *f = resolve(d, fields, &rc);
	if (!f)
		return rc ? rc : nrm_fail_file(err, NRM_EINVAL, "demo/cases.json", "case %zu: an unknown @ value", i + 1);
	rc = case_create_at(&d->ctx, f, d->police, json_string_value(json_object_get(c, "stage")), &out, err);
	if (rc && err->msg[0]) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		nrm_fail_file(err, rc, "demo/cases.json", "case %zu: %s", i + 1, why);
	}
	json_decref(out);
	json_decref(f);
	return rc;
}

int demo_cases(struct store *s, const char *data_dir, const char *key_path, struct nrm_err *err)
{
	struct form *form = NULL;
	struct statdef *stats = NULL;
	struct match_def *match = NULL;
	struct crypt_keys keys;
	json_t *u = NULL, *doc = NULL, *c;
	int64_t tirane = 0;
	struct demo d = {.meetings = json_object()};
	memset(&keys, 0, sizeof keys);
	int rc;
	if ((rc = cli_load_json(data_dir, "demo/cases.json", &doc, err)) || (rc = case_form_load(s, &form, err)) ||
	    (rc = case_statdef_load(s, form, &stats, err)) || (rc = case_match_load(s, &match, err)) ||
	    (rc = crypt_load_keys(key_path, &keys, err)) ||
	    (rc = store_user_by_name(s, "authority.secretariat", &u)) || (rc = secure_principal_of(u, &d.me)) ||
	    (rc = store_county_id(s, "tirane", &tirane)) ||
	    (rc = store_institution_find(s, "ngo_shelter", tirane, 0, &d.shelter)) ||
	    (rc = store_body_find(s, "authority", 0, &d.authority)))
		goto done;
	d.ctx = (struct nrm_ctx){.db = s, .me = &d.me, .today = clock_today(), .form = form, .keys = &keys, .stats = stats,
				 .match = match};
	size_t i;
	json_array_foreach(json_object_get(doc, "cases"), i, c)
		if ((rc = one_case(&d, i, c, err)))
			break;
done:
	json_decref(d.meetings);
	json_decref(doc);
	json_decref(u);
	crypt_keys_wipe(&keys);
	statdef_free(stats);
	match_def_free(match);
	form_free(form);
	if (rc && !err->msg[0])
		nrm_fail(err, rc, KEY_storage, NULL, "what", "demo cases", "detail", nrm_err_name(rc), NULL);
	return rc;
}

/* Reads of personal data as the people who would make them (data/demo/cases.json "reads"),
 * with their reasons, each its own transaction (as case_personal makes it), so the data-protection officer's trail, queues and patterns show
 * something on first start: {user, county, count, reasons: [...]} reads the newest `count`
 * cases of the county the user may read, giving the reasons in turn. */
static int reads_of(struct demo *d, json_t *reads, struct nrm_err *err)
{
	size_t i;
	json_t *r;
	json_array_foreach(reads, i, r) {
		json_t *u = NULL, *cases = NULL, *c, *out;
		struct principal p;
		int64_t county = 0;
		int rc = store_user_by_name(d->ctx.db, json_string_value(json_object_get(r, "user")), &u);
		if (!rc && (rc = secure_principal_of(u, &p)) == 0 &&
		    (rc = store_county_id(d->ctx.db, json_string_value(json_object_get(r, "county")), &county)) == 0) {
			struct case_filter f = {.scope = CASES_ALL, .county = county, .child = -1};
			rc = store_cases(d->ctx.db, &f, 0, (int)json_integer_value(json_object_get(r, "count")), &cases);
		}
		json_decref(u);
		if (rc)
			return nrm_fail_file(err, rc, "demo/cases.json", "reads %zu: no such user or county", i + 1);
		struct nrm_ctx as = d->ctx;
		as.me = &p;
		json_t *reasons = json_object_get(r, "reasons");
		size_t k;
		json_array_foreach(cases, k, c) {
			const char *why = json_string_value(json_array_get(reasons, k % json_array_size(reasons)));
			if ((rc = case_personal(&as, json_string_value(json_object_get(c, "code")), why, &out, err)))
				break;
			json_decref(out);
		}
		json_decref(cases);
		if (rc)
			return rc;
	}
	return 0;
}

/* The principal of a demo user. */
static int acting(struct demo *d, const char *username, struct principal *p)
{
	json_t *u = NULL;
	int rc = store_user_by_name(d->ctx.db, username ? username : "", &u);
	if (!rc)
		rc = secure_principal_of(u, p);
	json_decref(u);
	return rc;
}

/* Referrals a case worker made of the nth newest case of a county, `days_ago`, to the
 * institution of user `to`, and their answers (data/demo/cases.json "referrals"): each through
 * case_refer and case_referral_respond, on a clock set back to their day. */
static int referrals_of(struct demo *d, json_t *list, struct nrm_err *err)
{
	time_t now = clock_now();
	size_t i;
	json_t *r;
	int rc = 0;
	json_array_foreach(list, i, r) {
		struct principal by, to;
		json_t *cases = NULL, *out = NULL;
		int64_t county = 0, nth = j_int(r, "nth");
		if ((rc = acting(d, j_str(r, "user"), &by)) || (rc = acting(d, j_str(r, "to"), &to)) ||
		    (rc = store_county_id(d->ctx.db, j_str(r, "county"), &county)))
			return nrm_fail_file(err, rc, "demo/cases.json", "referrals %zu: no such user or county", i + 1);
		struct case_filter f = {.scope = CASES_ALL, .county = county, .child = -1};
		if ((rc = store_cases(d->ctx.db, &f, 0, (int)nth + 1, &cases)) || json_array_size(cases) <= (size_t)nth) {
			json_decref(cases);
			return nrm_fail_file(err, rc ? rc : NRM_EINVAL, "demo/cases.json", "referrals %zu: no such case", i + 1);
		}
		struct nrm_ctx as = d->ctx;
		as.me = &by;
		struct case_referral_in in = {.to = to.institution_id, .service = json_string_value(json_object_get(r, "service")),
					      .reason = j_str(r, "reason"), .fields = json_object_get(r, "fields")};
		clock_set(now - (time_t)j_int(r, "days_ago") * 86400);
		as.today = clock_today();
		rc = case_refer(&as, j_str(json_array_get(cases, (size_t)nth), "code"), &in, &out, err);
		json_decref(cases);
		const char *answer = j_str(r, "answer");
		if (!rc && *answer) {
			int64_t id = j_int(out, "id");
			json_decref(out);
			out = NULL;
			as.me = &to;
			clock_set(now - (time_t)j_int(r, "answer_days_ago") * 86400);
			as.today = clock_today();
			rc = case_referral_respond(&as, id, strcmp(answer, "accept") == 0, j_str(r, "note"), &out, err);
		}
		json_decref(out);
		clock_set(now);
		if (rc)
			break;
	}
	return rc;
}

int demo_case_reads(struct store *s, const char *data_dir, const char *key_path, struct nrm_err *err)
{
	struct form *form = NULL;
	struct crypt_keys keys;
	json_t *doc = NULL;
	struct demo d = {.meetings = NULL};
	memset(&keys, 0, sizeof keys);
	int rc;
	if ((rc = cli_load_json(data_dir, "demo/cases.json", &doc, err)) || (rc = case_form_load(s, &form, err)) ||
	    (rc = crypt_load_keys(key_path, &keys, err)))
		goto done;
	d.ctx = (struct nrm_ctx){.db = s, .today = clock_today(), .form = form, .keys = &keys};
	if (!(rc = referrals_of(&d, json_object_get(doc, "referrals"), err)))
		rc = reads_of(&d, json_object_get(doc, "reads"), err);
done:
	json_decref(doc);
	crypt_keys_wipe(&keys);
	form_free(form);
	if (rc && !err->msg[0])
		nrm_fail(err, rc, KEY_storage, NULL, "what", "demo reads", "detail", nrm_err_name(rc), NULL);
	return rc;
}
