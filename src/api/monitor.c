/* The KRAT scorecard over HTTP (src/monitor/): parse → call → reply. */
#include "api/api.h"
#include "monitor/monitor.h"

void api_scorecard(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = monitor_scorecard(api_nrm(req), http_query(req, "period"), http_query(req, "county"), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

/* GET /scorecard/xlsx, /pdf and /csv. */
static void file(struct http_req *req, struct http_resp *resp, const char *format)
{
	struct nrm_err err = {0};
	struct buf b = {0};
	char *name = NULL;
	int rc = monitor_scorecard_file(api_nrm(req), http_query(req, "period"), http_query(req, "county"), format,
					http_query(req, "lang"), &b, &name, &err);
	api_reply_file(resp, rc, &err, &b, name, format);
}

void api_scorecard_xlsx(struct http_req *r, struct http_resp *p) { file(r, p, "xlsx"); }
void api_scorecard_pdf(struct http_req *r, struct http_resp *p) { file(r, p, "pdf"); }
void api_scorecard_csv(struct http_req *r, struct http_resp *p) { file(r, p, "csv"); }

void api_scorecard_seats_overdue(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = monitor_seats_overdue(api_nrm(req), http_query(req, "county"), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_scorecard_agreements_missing(struct http_req *r, struct http_resp *p)
{
	api_call_all(r, p, monitor_agreements_missing);
}
