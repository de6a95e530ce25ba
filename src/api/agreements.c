/* Agreements over HTTP (src/agreement/); the signed document travels as the raw request
 * body, its name in the X-Filename header. */
#include "api/api.h"

#include <stdlib.h>

#include "agreement/agreement.h"

void api_agreements(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t county, after;
	int limit;
	if (api_query_county(req, resp, &county) || api_page(req, resp, &after, &limit))
		return;
	int rc = agreement_list(api_nrm(req), county, after, limit, &out, &err);
	api_reply_items(resp, rc, &err, &out, limit);
}

void api_agreement_document_put(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	struct upload f = {.content_type = http_header(req, "Content-Type"),
				   .filename = http_header(req, "X-Filename"), .data = req->body.p, .len = req->body.len};
	int rc = agreement_document_put(api_nrm(req), id, &f, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_agreement_document_get(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	void *data;
	size_t len;
	const char *mime;
	char *disp;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = agreement_document_get(api_nrm(req), id, &data, &len, &mime, &disp, &err);
	if (rc) {
		api_error(resp, rc, &err);
		return;
	}
	http_reply_bytes(resp, 200, mime, data, len);
	http_add_header(resp, "Content-Disposition", disp);
	free(disp);
}

void api_agreement(struct http_req *r, struct http_resp *p) { api_call_id(r, p, agreement_get, 200); }
void api_agreement_create(struct http_req *r, struct http_resp *p) { api_call_in(r, p, agreement_create, 201); }
void api_agreement_update(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, agreement_update, 200); }
