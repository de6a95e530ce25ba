/* A user's working day over HTTP: the home page's queues, the drafts of long forms (a form's
 * name and key travel in the path; what was typed only in bodies). Parse → call → reply. */
#include <string.h>

#include "api/api.h"
#include "core/input.h"
#include "notify/notify.h"
#include "user/user.h"
#include "work/work.h"

typedef int (*draft_op)(struct nrm_ctx *c, const char *form, const char *key, json_t **out, struct nrm_err *err);

static void on_draft(struct http_req *req, struct http_resp *resp, draft_op op)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = op(api_nrm(req), http_param(req, 0), http_param(req, 1), &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}

void api_draft_get(struct http_req *r, struct http_resp *p) { on_draft(r, p, draft_get); }
void api_draft_delete(struct http_req *r, struct http_resp *p) { on_draft(r, p, draft_delete); }
void api_drafts(struct http_req *r, struct http_resp *p) { api_call_all(r, p, draft_list); }

void api_draft_put(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *in = NULL, *out = NULL;
	if (api_body(req, resp, &in))
		return;
	int rc = draft_put(api_nrm(req), http_param(req, 0), http_param(req, 1), in, &out, &err);
	json_decref(in);
	api_reply(resp, rc, &err, 200, &out);
}

void api_notifications_read_all(struct http_req *req, struct http_resp *resp)
{
	static const char *const none[] = {NULL};
	struct nrm_err err = {0};
	json_t *in = NULL, *out = NULL;
	if (req->body.len && api_body(req, resp, &in))
		return;
	int rc = in ? in_only(in, none, &err) : 0;
	if (!rc)
		rc = notify_read_all(api_nrm(req), &out, &err);
	json_decref(in);
	api_reply(resp, rc, &err, 200, &out);
}

void api_home(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	const char *counts = http_query(req, "counts");
	int rc = work_home(api_nrm(req), counts && strcmp(counts, "0") != 0, &out, &err);
	api_reply(resp, rc, &err, 200, &out);
}
