/* Demo reports for `nrm init --demo` (data/demo/reports.json), made through the report
 * operations (src/report/) as the demo users named: written, submitted, and approved or sent
 * back as each entry says, so the reports' screens show drafts, waiting approvals and a
 * delivered report on first start. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "core/statdef.h"
#include "report/report.h"
#include "secure/crypt.h"

struct run {
	struct store *s;
	const struct form *form;
	const struct labels *labels;
	const struct statdef *stats;
	const struct crypt_keys *keys;
	int32_t today;
	struct nrm_err *err;
};

/* "quarter-1" (the last ended quarter), "month-1" (the last month), or a "today-N" day. */
static void period_of(const struct run *r, const char *spec, char out[32])
{
	int y, m, d;
	date_to_ymd(r->today, &y, &m, &d);
	if (strcmp(spec, "quarter-1") == 0) {
		int q = (m - 1) / 3; /* the quarter before this one, 0 = the last of the year before */
		snprintf(out, 32, "%dQ%d", q ? y : y - 1, q ? q : 4);
	} else if (strcmp(spec, "month-1") == 0) {
		snprintf(out, 32, "%d-%02d", m > 1 ? y : y - 1, m > 1 ? m - 1 : 12);
	} else if (!demo_day(r->today, spec, out)) {
		snprintf(out, 32, "%s", spec);
	}
}

static int as(const struct run *r, const char *user, struct principal *p, struct nrm_ctx *c)
{
	int rc = demo_acting(r->s, user, r->today, r->form, r->labels, p, c);
	c->stats = r->stats;
	c->keys = r->keys;
	return rc;
}

static int one(const struct run *r, json_t *e)
{
	struct principal p;
	struct nrm_ctx c;
	char period[32];
	json_t *in = NULL, *out = NULL, *got = NULL, *a;
	period_of(r, j_str(e, "period"), period);
	int rc = as(r, j_str(e, "as"), &p, &c);
	if (rc)
		return rc;
	in = json_pack("{s:s, s:s, s:s}", "type", j_str(e, "type"), "scope", j_str(e, "scope"), "period", period);
	if ((rc = report_create(&c, in, &out, r->err)))
		goto done;
	int64_t id = j_int(out, "id");
	json_decref(in);
	in = json_pack("{s:i, s:O}", "version", 1, "sections", json_object_get(e, "sections"));
	if ((rc = report_write(&c, id, in, &got, r->err)))
		goto done;
	if (json_is_true(json_object_get(e, "submit"))) {
		json_decref(in);
		json_decref(got);
		got = NULL;
		in = json_object();
		if ((rc = report_submit(&c, id, in, &got, r->err)))
			goto done;
	}
	size_t i;
	json_array_foreach(json_object_get(e, "approvals"), i, a) {
		struct principal mp;
		struct nrm_ctx mc;
		json_t *ain = json_pack("{s:i, s:s, s:s?}", "version", 1, "decision", j_str(a, "decision"), "comment",
					json_object_get(a, "comment") ? j_str(a, "comment") : NULL),
		       *res = NULL;
		if (!(rc = as(r, j_str(a, "as"), &mp, &mc)))
			rc = report_approve(&mc, id, ain, &res, r->err);
		json_decref(ain);
		json_decref(res);
		if (rc)
			break;
	}
done:
	json_decref(got);
	json_decref(out);
	json_decref(in);
	return rc;
}

int demo_reports(struct store *s, const char *data_dir, const char *key_path, struct nrm_err *err)
{
	struct form *form = NULL;
	struct labels *labels = NULL;
	struct statdef *stats = NULL;
	struct crypt_keys keys;
	json_t *doc = NULL, *e;
	size_t i;
	memset(&keys, 0, sizeof keys);
	int rc;
	if ((rc = cli_load_json(data_dir, "demo/reports.json", &doc, err)) || (rc = case_form_load(s, &form, err)) ||
	    (rc = case_labels_load(s, form, &labels, err)) || (rc = case_statdef_load(s, form, &stats, err)) ||
	    (rc = crypt_load_keys(key_path, &keys, err)))
		goto done;
	struct run r = {.s = s, .form = form, .labels = labels, .stats = stats, .keys = &keys, .today = clock_today(),
			.err = err};
	json_array_foreach(json_object_get(doc, "reports"), i, e)
		if ((rc = one(&r, e))) {
			char msg[sizeof err->msg];
			snprintf(msg, sizeof msg, "%s", err->msg[0] ? err->msg : nrm_err_name(rc));
			nrm_fail_file(err, rc, "demo/reports.json", "report %zu: %s", i + 1, msg);
			break;
		}
done:
	crypt_keys_wipe(&keys);
	statdef_free(stats);
	labels_free(labels);
	form_free(form);
	json_decref(doc);
	return rc;
}
