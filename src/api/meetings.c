/* Meetings of a body over HTTP (src/meeting/). */
#include "api/api.h"

#include "meeting/meeting.h"

void api_meetings(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = meeting_list(api_nrm(req), id, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_meeting(struct http_req *r, struct http_resp *p) { api_call_id(r, p, meeting_get, 200); }
void api_meeting_create(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_create, 201); }
