/* Figures: two-way tables, standard tables (JSON or CSV), a period's figures, what can be
 * asked, and the revisions. Parse → call src/stats/ → reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "stats/stats.h"

void api_stats(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	struct stats_query q = {.period = http_query(req, "period"), .rows = http_query(req, "rows"),
				.cols = http_query(req, "cols"), .county = http_query(req, "county"),
				.measure = http_query(req, "measure"), .audience = http_query(req, "audience")};
	int rc = stats_twoway(api_nrm(req), &q, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_stats_table(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	const char *format = http_query(req, "format"), *lang = http_query(req, "lang");
	int rc = 0;
	if (format && *format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
		rc = nrm_fail(&err, NRM_EINVAL, KEY_not_one_of, "format", "allowed", "json, csv", NULL);
	if (!rc)
		rc = stats_table(api_nrm(req), http_param(req, 0), http_query(req, "period"), http_query(req, "county"),
				 http_query(req, "audience"), &out, &err);
	if (rc || !format || strcmp(format, "csv") != 0) {
		api_reply(resp, rc, &err, 200, &out);
		return;
	}
	struct buf b = {0};
	if (buf_puts(&b, "\xEF\xBB\xBF") || stats_table_csv(out, lang && strcmp(lang, "en") == 0 ? "en" : "sq", &b)) {
		buf_free(&b);
		json_decref(out);
		api_reply(resp, NRM_ENOMEM, &err, 200, NULL);
		return;
	}
	/* The name says what and when; the table's name and period are checked values. */
	char disposition[200];
	const char *county = json_string_value(json_object_get(out, "county"));
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s%s%s-%s.csv\"",
		 json_string_value(json_object_get(out, "table")), county ? "-" : "", county ? county : "",
		 json_string_value(json_object_get(out, "period")));
	json_decref(out);
	size_t len = b.len;
	http_reply_bytes(resp, 200, "text/csv; charset=utf-8", buf_take(&b), len);
	http_add_header(resp, "Content-Disposition", disposition);
}

void api_stats_figures(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = stats_figures(api_nrm(req), http_query(req, "period"), http_query(req, "county"),
			       http_query(req, "audience"), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_stats_catalogue(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = stats_catalogue(api_nrm(req), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_stats_revisions(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = stats_revisions(api_nrm(req), http_query(req, "period"), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}
