/* Periodic reports over HTTP (src/report/): parse → call → reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "report/report.h"

void api_report_types(struct http_req *r, struct http_resp *p) { api_call_all(r, p, report_types); }

void api_reports(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t after;
	int limit;
	if (api_page(req, resp, &after, &limit))
		return;
	int rc = report_list(api_nrm(req), http_query(req, "county"), http_query(req, "type"), after, limit, &out, &err);
	api_reply_items(resp, rc, &err, &out, limit);
}

/* GET /reports/{id}/pdf, /xlsx and /csv: the report as a file. */
static void file(struct http_req *req, struct http_resp *resp, const char *format)
{
	struct nrm_err err = {0};
	struct buf b = {0};
	char *name = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = report_file(api_nrm(req), id, format, http_query(req, "lang"), &b, &name, &err);
	api_reply_file(resp, rc, &err, &b, name, format);
}

void api_report_pdf(struct http_req *r, struct http_resp *p) { file(r, p, "pdf"); }
void api_report_csv(struct http_req *r, struct http_resp *p) { file(r, p, "csv"); }
void api_report_xlsx(struct http_req *r, struct http_resp *p) { file(r, p, "xlsx"); }
void api_report(struct http_req *r, struct http_resp *p) { api_call_id(r, p, report_get, 200); }
void api_report_create(struct http_req *r, struct http_resp *p) { api_call_in(r, p, report_create, 201); }
void api_report_write(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, report_write, 200); }

void api_report_submit(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, report_submit, 200); }
void api_report_approve(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, report_approve, 200); }
void api_report_answer(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, report_answer, 200); }

void api_report_versions(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = report_versions(api_nrm(req), id, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_report_version(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t id, version;
	if (api_path_id(req, resp, 0, &id) || api_path_id(req, resp, 1, &version))
		return;
	int rc = report_version_file(api_nrm(req), id, version, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}
