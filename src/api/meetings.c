/* Meetings of the bodies and their tasks over HTTP (src/meeting/). */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void api_meeting_ics(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	char *text = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = meeting_ics_get(api_nrm(req), id, &text, &err);
	if (rc) {
		api_error(resp, rc, &err);
		return;
	}
	char disposition[80];
	snprintf(disposition, sizeof disposition, "attachment; filename=\"meeting-%lld.ics\"", (long long)id);
	http_reply_bytes(resp, 200, "text/calendar; charset=utf-8", text, strlen(text));
	http_add_header(resp, "Content-Disposition", disposition);
}

/* ?institution=ID&body=ID&mine=1&status=S */
void api_tasks(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t ids[2] = {0, 0};
	static const char *const keys[] = {"body", "institution"};
	int rc = 0;
	for (int i = 0; !rc && i < 2; i++) {
		const char *v = http_query(req, keys[i]);
		char *end;
		if (v && *v && ((ids[i] = strtoll(v, &end, 10)) <= 0 || *end))
			rc = nrm_fail(&err, NRM_EINVAL, KEY_not_an_id, keys[i], NULL);
	}
	const char *mine = http_query(req, "mine"), *status = http_query(req, "status");
	if (!rc)
		rc = meeting_tasks(api_nrm(req), ids[0], ids[1], mine && strcmp(mine, "1") == 0,
				   status && *status ? status : NULL, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_meeting(struct http_req *r, struct http_resp *p) { api_call_id(r, p, meeting_get, 200); }
void api_meeting_create(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_create, 201); }
void api_meeting_update(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_update, 200); }
void api_meeting_cancel(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_cancel, 200); }
void api_meeting_agenda(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_agenda_set, 200); }
void api_meeting_attendance(struct http_req *r, struct http_resp *p)
{
	api_call_id_in(r, p, meeting_attendance_set, 200);
}
void api_meeting_decide(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_decide, 201); }
void api_meeting_minutes(struct http_req *r, struct http_resp *p) { api_call_id(r, p, meeting_minutes, 200); }
void api_meeting_minutes_set(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_minutes_set, 200); }
void api_meeting_minutes_approve(struct http_req *r, struct http_resp *p)
{
	api_call_id_in(r, p, meeting_minutes_approve, 200);
}
void api_body_compliance(struct http_req *r, struct http_resp *p) { api_call_id(r, p, meeting_compliance, 200); }
void api_task(struct http_req *r, struct http_resp *p) { api_call_id(r, p, meeting_task_get, 200); }
void api_task_move(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_task_move, 200); }

void api_meeting_notice(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_notice, 200); }
void api_letter_create(struct http_req *r, struct http_resp *p) { api_call_id_in(r, p, meeting_letter_create, 201); }
void api_notification_read(struct http_req *r, struct http_resp *p) { api_call_id(r, p, meeting_notification_read, 200); }

void api_letters(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = meeting_letters(api_nrm(req), id, http_query(req, "q"), http_query(req, "year"), &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_notifications(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	const char *unread = http_query(req, "unread");
	int rc = meeting_notifications(api_nrm(req), unread && strcmp(unread, "1") == 0, &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_feed_create(struct http_req *r, struct http_resp *p) { api_call_in(r, p, meeting_feed_create, 201); }

void api_feed_delete(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	int rc = meeting_feed_delete(api_nrm(req), &err);
	json_t *out = rc ? NULL : json_pack("{s:b}", "revoked", 1);
	api_reply(resp, rc, &err, 200, &out);
}

void api_feed(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	char *text = NULL;
	int rc = meeting_feed(api_nrm(req), http_param(req, 0), &text, &err);
	if (rc) {
		api_error(resp, rc, &err);
		return;
	}
	http_reply_bytes(resp, 200, "text/calendar; charset=utf-8", text, strlen(text));
	http_add_header(resp, "Cache-Control", "no-store");
}

void api_compliance_matrix(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = meeting_compliance_matrix(api_nrm(req), http_query(req, "year"), &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

/* An upload as the request carries it: the raw body, its type and X-Filename. */
static struct upload upload_of(struct http_req *req)
{
	return (struct upload){.content_type = http_header(req, "Content-Type"), .filename = http_header(req, "X-Filename"),
			       .data = req->body.p, .len = req->body.len};
}

typedef int (*put_fn)(struct nrm_ctx *, int64_t, const struct upload *, json_t **, struct nrm_err *);

static void put_file(struct http_req *req, struct http_resp *resp, put_fn fn, int status)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	struct upload f = upload_of(req);
	int rc = fn(api_nrm(req), id, &f, &out, &err);
	api_reply(resp, rc, &err, status, &out);
}

static void send_file(struct http_resp *resp, int rc, const struct nrm_err *err, struct meeting_file *f)
{
	if (rc) {
		api_error(resp, rc, err);
		return;
	}
	http_reply_bytes(resp, 200, f->mime, f->data, f->len);
	http_add_header(resp, "Content-Disposition", f->disposition);
	free(f->disposition);
}

void api_material_add(struct http_req *r, struct http_resp *p) { put_file(r, p, meeting_material_add, 201); }
void api_letter_file_put(struct http_req *r, struct http_resp *p) { put_file(r, p, meeting_letter_file_put, 200); }
void api_body_document_file_put(struct http_req *r, struct http_resp *p)
{
	put_file(r, p, meeting_body_document_file_put, 200);
}
void api_body_documents(struct http_req *r, struct http_resp *p) { api_call_id(r, p, meeting_body_documents, 200); }
void api_body_document_create(struct http_req *r, struct http_resp *p)
{
	api_call_id_in(r, p, meeting_body_document_create, 201);
}

void api_material_get(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	struct meeting_file f = {0};
	int64_t id, doc;
	if (api_path_id(req, resp, 0, &id) || api_path_id(req, resp, 1, &doc))
		return;
	send_file(resp, meeting_material_get(api_nrm(req), id, doc, &f, &err), &err, &f);
}

void api_letter_file_get(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	struct meeting_file f = {0};
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	send_file(resp, meeting_letter_file_get(api_nrm(req), id, &f, &err), &err, &f);
}

void api_body_document_file_get(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	struct meeting_file f = {0};
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	send_file(resp, meeting_body_document_file_get(api_nrm(req), id, &f, &err), &err, &f);
}
