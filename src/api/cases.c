/* The National Database over HTTP: the form definition, cases, their personal data (with a
 * reason), workflow transitions, timeline, referrals, search, duplicates and figures. */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "core/date.h"
#include "core/input.h"

void api_case_form(struct http_req *req, struct http_resp *resp)
{
	const struct form *f = api_config()->form;
	json_t *reading = NULL;
	if (case_reading_policy(api_nrm(req), &reading) != 0)
		reading = json_null();
	http_reply_json(resp, 200, json_pack("{s:O, s:O, s:O, s:o}", "form", form_json(f), "workflow", form_workflow(f),
					     "codelists", form_codelists(f), "reading", reading));
	http_add_header(resp, "Cache-Control", "private, max-age=300");
}

/* The case fields of a request body into *out (new reference): its "fields" object, beside
 * which only the envelope's members (NULL-terminated, "fields" among them) may stand; or the
 * body itself without the envelope's members, where the form refuses what it does not know. */
static int fields_of(json_t *in, const char *const *envelope, json_t **out, struct nrm_err *err)
{
	json_t *f = json_object_get(in, "fields");
	if (f) {
		int rc = in_only(in, envelope, err);
		if (!rc)
			*out = json_incref(f);
		return rc;
	}
	json_t *o = json_deep_copy(in);
	for (; *envelope; envelope++)
		json_object_del(o, *envelope);
	*out = o;
	return 0;
}

void api_case_create(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	json_t *in, *out = NULL;
	int64_t inst = 0;
	if (api_body(req, resp, &in))
		return;
	static const char *const env[] = {"fields", "institution", NULL};
	json_t *fields = NULL;
	int rc;
	if (!(rc = in_int(in, "institution", false, &inst, &err)) && !(rc = fields_of(in, env, &fields, &err)))
		rc = case_create(c, fields, inst, &out, &err);
	api_reply(resp, rc, &err, 201, &out);
	json_decref(fields);
	json_decref(in);
}

void api_cases(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	struct case_filter f = {.child = -1};
	int64_t before;
	int limit;
	if (api_page(req, resp, &before, &limit) || api_query_county(req, resp, &f.county))
		return;
	static const char *const texts[] = {"code", "stage", "status", "from", "to", "exploitation"};
	const char **dst[] = {&f.code, &f.stage, &f.status, &f.from, &f.to, &f.exploitation};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		const char *v = http_query(req, texts[i]);
		*dst[i] = v && *v ? v : NULL;
	}
	int32_t d;
	int rc = 0;
	const char *child = http_query(req, "child"), *inst = http_query(req, "institution");
	char *end = NULL;
	if (inst && *inst && ((f.institution = strtoll(inst, &end, 10)) <= 0 || *end))
		rc = nrm_fail(&err, NRM_EINVAL, KEY_not_an_id, "institution", NULL);
	else if (child && *child && strcmp(child, "true") != 0 && strcmp(child, "false") != 0)
		rc = nrm_fail(&err, NRM_EINVAL, KEY_not_boolean, "child", NULL);
	else if (f.from)
		rc = date_field(f.from, "from", &d, &err);
	if (!rc && f.to)
		rc = date_field(f.to, "to", &d, &err);
	if (!rc && child && *child)
		f.child = strcmp(child, "true") == 0;
	/* The rows go out as the store made them: a list page is read often, and parsing and
	 * writing again each row's JSON was most of its cost. */
	struct buf body = {0};
	size_t n = 0;
	int64_t last = 0;
	if (!rc && buf_puts(&body, "{\"items\":["))
		rc = nrm_fail(&err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	if (!rc)
		rc = case_list_json(c, &f, before, limit, &body, &n, &last, &err);
	if (!rc && (limit > 0 && n == (size_t)limit ? buf_printf(&body, "],\"next\":\"%lld\"}", (long long)last)
						   : buf_puts(&body, "],\"next\":null}")))
		rc = nrm_fail(&err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	if (rc) {
		buf_free(&body);
		api_error(resp, rc, &err);
		return;
	}
	size_t len = body.len;
	http_reply_bytes(resp, 200, "application/json; charset=utf-8", buf_take(&body), len);
}

void api_case(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = case_get(c, http_param(req, 0), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_case_personal(struct http_req *req, struct http_resp *resp)
{
	static const char *const allowed[] = {"purpose", "reason", NULL};
	struct nrm_err err = {0};
	json_t *in = NULL, *out = NULL;
	int rc = 0;
	/* The reason travels in the body, never in the URL that proxies log; once given in a
	 * session it may be left out. */
	if (req->body.len && api_body(req, resp, &in))
		return;
	if (!in || !(rc = in_only(in, allowed, &err)))
		rc = case_personal_read(api_nrm(req), http_param(req, 0), in, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
	json_decref(in);
}

void api_case_update(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	json_t *in, *out = NULL, *fields = NULL;
	int64_t version;
	const char *reason;
	if (api_body(req, resp, &in))
		return;
	static const char *const env[] = {"fields", "version", "reason", NULL};
	int rc;
	if (!(rc = in_int(in, "version", true, &version, &err)) && !(rc = in_str(in, "reason", false, 1000, &reason, &err)) &&
	    !(rc = fields_of(in, env, &fields, &err)))
		rc = case_update(c, http_param(req, 0), version, fields, reason, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
	json_decref(fields);
	json_decref(in);
}

void api_case_transition(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	static const char *const allowed[] = {"to", "version", "fields", "reason", NULL};
	json_t *in, *out = NULL;
	int64_t version;
	const char *to, *reason;
	if (api_body(req, resp, &in))
		return;
	int rc;
	if (!(rc = in_only(in, allowed, &err)) && !(rc = in_str(in, "to", true, 64, &to, &err)) &&
	    !(rc = in_int(in, "version", true, &version, &err)) && !(rc = in_str(in, "reason", false, 1000, &reason, &err)))
		rc = case_transition(c, http_param(req, 0), version, to, json_object_get(in, "fields"), reason, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
	json_decref(in);
}

void api_case_events(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = case_events(c, http_param(req, 0), &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_case_refer(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	static const char *const allowed[] = {"institution", "reason", "fields", "service", "advance", "stage_fields", NULL};
	json_t *in, *out = NULL;
	struct case_referral_in r = {0};
	int adv = 0;
	if (api_body(req, resp, &in))
		return;
	int rc;
	if (!(rc = in_only(in, allowed, &err)) && !(rc = in_int(in, "institution", true, &r.to, &err)) &&
	    !(rc = in_str(in, "reason", true, 2000, &r.reason, &err)) &&
	    !(rc = in_str(in, "service", false, 64, &r.service, &err)) && !(rc = in_bool(in, "advance", &adv, &err))) {
		r.fields = json_object_get(in, "fields");
		r.stage_fields = json_object_get(in, "stage_fields");
		r.advance = adv == 1;
		rc = case_refer(c, http_param(req, 0), &r, &out, &err);
	}
	api_reply(resp, rc, &err, 201, &out);
	json_decref(in);
}

void api_referrals(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	json_t *out = NULL;
	const char *dir = http_query(req, "direction"), *status = http_query(req, "status");
	int rc = 0;
	if (dir && strcmp(dir, "in") != 0 && strcmp(dir, "out") != 0)
		rc = nrm_fail(&err, NRM_EINVAL, KEY_not_one_of, "direction", "allowed", "in, out", NULL);
	else if (status && *status && strcmp(status, "pending") != 0 && strcmp(status, "accepted") != 0 &&
		 strcmp(status, "declined") != 0)
		rc = nrm_fail(&err, NRM_EINVAL, KEY_not_one_of, "status", "allowed", "pending, accepted, declined", NULL);
	if (!rc)
		rc = case_referrals(c, dir && strcmp(dir, "out") == 0 ? 'o' : 'i', status && *status ? status : NULL, &out,
				    &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

static void respond(struct http_req *req, struct http_resp *resp, bool accept)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	static const char *const allowed[] = {"note", NULL};
	json_t *in = NULL, *out = NULL;
	int64_t id;
	const char *note = NULL;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = 0;
	if (req->body.len) {
		if (api_body(req, resp, &in))
			return;
		if (!(rc = in_only(in, allowed, &err)))
			rc = in_str(in, "note", false, 2000, &note, &err);
	}
	if (!rc)
		rc = case_referral_respond(c, id, accept, note, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
	json_decref(in);
}

void api_referral_accept(struct http_req *req, struct http_resp *resp) { respond(req, resp, true); }
void api_referral_decline(struct http_req *req, struct http_resp *resp) { respond(req, resp, false); }

void api_case_search(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	static const char *const allowed[] = {"first_name", "last_name", "birthdate", "document", NULL};
	json_t *in, *out = NULL;
	const char *s;
	if (api_body(req, resp, &in))
		return;
	int rc = in_only(in, allowed, &err);
	for (const char *const *k = allowed; !rc && *k; k++)
		rc = in_str(in, *k, false, 200, &s, &err);
	if (!rc)
		rc = case_search(c, in, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
	json_decref(in);
}

void api_case_dedup(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = case_dedup(c, http_param(req, 0), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_duplicates(struct http_req *req, struct http_resp *resp)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	int64_t after;
	int limit;
	json_t *out = NULL;
	if (api_page(req, resp, &after, &limit))
		return;
	const char *status = http_query(req, "status");
	int rc = case_duplicates(c, status && *status ? status : "open", after, limit, &out, &err);
	api_reply_items_by(resp, rc, &err, &out, limit, "rank", true);
}

static void resolve(struct http_req *req, struct http_resp *resp, bool merge)
{
	struct nrm_ctx *c = api_nrm(req);
	struct nrm_err err = {0};
	static const char *const allowed[] = {"keep", NULL};
	json_t *in = NULL, *out = NULL;
	int64_t id;
	const char *keep = NULL;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = 0;
	if (merge) {
		if (api_body(req, resp, &in))
			return;
		if (!(rc = in_only(in, allowed, &err)))
			rc = in_str(in, "keep", true, 32, &keep, &err);
	} else if (req->body.len) {
		/* A dismissal takes nothing: {"keep": ...} sent here was meant for a merge. */
		static const char *const none[] = {NULL};
		if (api_body(req, resp, &in))
			return;
		rc = in_only(in, none, &err);
	}
	if (!rc)
		rc = case_duplicate_resolve(c, id, keep, merge, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
	json_decref(in);
}

void api_duplicate_merge(struct http_req *req, struct http_resp *resp) { resolve(req, resp, true); }
void api_duplicate_dismiss(struct http_req *req, struct http_resp *resp) { resolve(req, resp, false); }

void api_case_print(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *in = NULL, *out = NULL;
	if (api_body(req, resp, &in))
		return;
	int rc = case_print(api_nrm(req), http_param(req, 0), in, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
	json_decref(in);
}
