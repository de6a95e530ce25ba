/* The audit trail and the data-protection officer's tools over HTTP: the filtered trail
 * (auditor and administrator), its export, the person search, the patterns and the latest
 * reads (the officer). Search terms travel only in a POST body, never in a URL. */
#include "api/api.h"

#include <stdlib.h>

#include "oversight/oversight.h"

static struct oversight_filter filter_of(struct http_req *req)
{
	return (struct oversight_filter){
		.user = http_query(req, "user"),
		.case_code = http_query(req, "case"),
		.entity = http_query(req, "entity"),
		.entity_id = http_query(req, "entity_id"),
		.action = http_query(req, "action"),
		.from = http_query(req, "from"),
		.to = http_query(req, "to"),
	};
}

void api_audit(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t before;
	int limit;
	if (api_page(req, resp, &before, &limit))
		return;
	struct oversight_filter f = filter_of(req);
	int rc = oversight_trail(api_nrm(req), &f, before, limit, &out, &err);
	api_reply_items(resp, rc, &err, &out, limit);
}

void api_audit_export(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	struct buf b = {0};
	char *name = NULL;
	const char *format = http_query(req, "format");
	format = format && *format ? format : "csv";
	struct oversight_filter f = filter_of(req);
	int rc = oversight_export(api_nrm(req), &f, format, http_query(req, "lang"), &b, &name, &err);
	api_reply_file(resp, rc, &err, &b, name, format);
}

void api_audit_search(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *in, *out = NULL;
	if (api_body(req, resp, &in))
		return;
	int rc = oversight_search(api_nrm(req), in, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
	json_decref(in);
}

/* ?name=N as a number of 1..max (0 when absent); answers 400 otherwise. */
static int query_num(struct http_req *req, struct http_resp *resp, const char *name, int max, int *out)
{
	const char *s = http_query(req, name);
	char *end;
	long v = s && *s ? strtol(s, &end, 10) : 0;
	if (s && *s && (*end || v < 1 || v > max)) {
		struct nrm_err e = {0};
		api_error(resp, nrm_fail(&e, NRM_EINVAL, KEY_out_of_range, name, NULL), &e);
		return -1;
	}
	*out = (int)v;
	return 0;
}

void api_audit_patterns(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int days;
	if (query_num(req, resp, "days", 366, &days))
		return;
	int rc = oversight_patterns(api_nrm(req), days, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_audit_reads(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int limit;
	if (query_num(req, resp, "limit", 100, &limit))
		return;
	int rc = oversight_recent_reads(api_nrm(req), limit ? limit : 50, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}
