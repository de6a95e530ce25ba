/* The registers of prevention and cooperation over HTTP (src/prevention/): parse → call →
 * reply. A register's name and an entry's code travel in the path; personal data only in
 * bodies and answers, never in a URL. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/input.h"
#include "prevention/prevention.h"

void api_registers(struct http_req *r, struct http_resp *p) { api_call_all(r, p, reg_catalogue); }

void api_register(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = reg_definition(api_nrm(req), http_param(req, 0), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

static int filter_of(struct http_req *req, struct http_resp *resp, struct reg_filter *f)
{
	int64_t after;
	int limit;
	if (api_page(req, resp, &after, &limit))
		return -1;
	*f = (struct reg_filter){.county = http_query(req, "county"), .period = http_query(req, "period"),
				 .parent = http_query(req, "parent"), .after = after, .limit = limit};
	return 0;
}

void api_register_entries(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	struct reg_filter f;
	if (filter_of(req, resp, &f))
		return;
	int rc = reg_list(api_nrm(req), http_param(req, 0), &f, &out, &err);
	api_reply_items(resp, rc, &err, &out, f.limit);
}

void api_register_export(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	struct reg_filter f = {.county = http_query(req, "county"), .period = http_query(req, "period")};
	struct buf b = {0};
	char *name = NULL;
	const char *format = http_query(req, "format");
	format = format && *format ? format : "csv";
	int rc = reg_export(api_nrm(req), http_param(req, 0), &f, format, http_query(req, "lang"), &b, &name, &err);
	api_reply_file(resp, rc, &err, &b, name, format);
}

/* The shapes of the entry routes: /registers/{name}/entries/{code}[/...]. */
typedef int (*entry_op)(struct nrm_ctx *c, const char *reg, const char *code, json_t *in, json_t **out,
			struct nrm_err *err);

static void call_entry(struct http_req *req, struct http_resp *resp, entry_op op, int status)
{
	struct nrm_err err = {0};
	json_t *in = NULL, *out = NULL;
	if (api_body(req, resp, &in))
		return;
	int rc = op(api_nrm(req), http_param(req, 0), http_param(req, 1), in, &out, &err);
	json_decref(in);
	api_reply(resp, rc, &err, status, &out);
}

void api_register_entry(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = reg_get(api_nrm(req), http_param(req, 0), http_param(req, 1), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_register_entry_create(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *in = NULL, *out = NULL;
	if (api_body(req, resp, &in))
		return;
	int rc = reg_create(api_nrm(req), http_param(req, 0), in, &out, &err);
	json_decref(in);
	api_reply(resp, rc, &err, 201, &out);
}

void api_register_entry_update(struct http_req *r, struct http_resp *p) { call_entry(r, p, reg_update, 200); }
void api_register_entry_personal(struct http_req *r, struct http_resp *p) { call_entry(r, p, reg_personal, 200); }
void api_register_entry_case(struct http_req *r, struct http_resp *p) { call_entry(r, p, reg_to_case, 201); }

void api_prevention_figures(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = reg_figures(api_nrm(req), http_query(req, "county"), http_query(req, "period"),
			     http_query(req, "audience"), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_person_trainings(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = reg_person_trainings(api_nrm(req), id, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_body_training(struct http_req *r, struct http_resp *p) { api_call_id(r, p, reg_body_training, 200); }

void api_training_certificate(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	const char *q = http_query(req, "participant");
	char *end = NULL;
	long long n = q && *q ? strtoll(q, &end, 10) : -1;
	if (!end || *end)
		n = -1;
	int rc = reg_certificate(api_nrm(req), http_param(req, 0), (int64_t)n, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}
