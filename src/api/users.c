/* User accounts (the administrator) over HTTP; the audit trail is api/oversight.c. */
#include "api/api.h"

#include "user/user.h"

void api_users(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t county, after;
	int limit;
	if (api_query_county(req, resp, &county) || api_page(req, resp, &after, &limit))
		return;
	int rc = user_list(api_nrm(req), county, after, limit, &out, &err);
	api_reply_items(resp, rc, &err, &out, limit);
}

void api_user(struct http_req *r, struct http_resp *p) { api_call_id(r, p, user_get, 200); }
void api_user_create(struct http_req *r, struct http_resp *p) { api_call_in(r, p, user_create, 201); }
void api_user_update(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, user_update, 200); }

void api_tokens(struct http_req *r, struct http_resp *p) { api_call_all(r, p, token_list); }
void api_token_create(struct http_req *r, struct http_resp *p) { api_call_in(r, p, token_create, 201); }
void api_token_revoke(struct http_req *r, struct http_resp *p) { api_call_id(r, p, token_revoke, 200); }
