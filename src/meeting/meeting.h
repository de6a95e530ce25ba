/* Meetings of the bodies and the tasks their decisions create (Order 94 §1.4, §1.6, §1.7a-b,
 * §2.2; Instruction 132 §§3, 7, 9, 14), shared by the API and the command line.
 *
 * Who may do what: the body's secretariat (perm_org_edit for the body's county) schedules,
 * changes, records attendance, decisions and minutes; national roles read every body's
 * meetings, county roles those of their own county (another county's: 403
 * meeting_forbidden); the Ministry monitor reads no case references and only approved
 * minutes; case workers read no meetings but see the tasks of their institution.
 *
 * Every function checks the caller (c->me), runs each change as one transaction with its
 * audit row and its entry in the meeting's history, and fills err naming the field on
 * failure. Every json_t ** out-parameter receives a new reference, written only on success. */
#ifndef NRM_MEETING_MEETING_H
#define NRM_MEETING_MEETING_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"
#include "secure/upload.h"

/* {"date", "time"?, "end_time"? ("HH:MM", Europe/Tirane), "kind"? ("ordinary" |
 * "extraordinary"), "title"?, "location"?, "link"?, "agenda"?: [ITEM], "guests"?: [GUEST]}
 * with ITEM {"title", "presenter"?, "refs"?: {"cases": [CODE], "tasks": [ID], "meetings":
 * [ID], "documents": [ID]}} and GUEST {"guest": ID} (from the body's guest list) or {"name",
 * "organisation"?, "email"?}. The first items of the agenda are proposed by nrm: the
 * approval of the previous meeting's minutes while they are a draft, and the follow-up of
 * open tasks. *out: the meeting as meeting_get shows it. */
int meeting_create(struct nrm_ctx *c, int64_t body, json_t *in, json_t **out, struct nrm_err *err);
/* The meeting with its agenda, attendance (per seat, with the member of that day), guests,
 * materials, decisions, quorum, history and can_edit. */
int meeting_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* A body's meetings, newest first. */
int meeting_list(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err);
/* {"version", "reason"?, any of date, time, end_time, kind, title, location, link}: a
 * change of day, time or place is a reschedule (its reason is kept; the calendar sequence
 * rises). Only while the meeting is scheduled. */
int meeting_update(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* {"reason"}: cancels a scheduled meeting. */
int meeting_cancel(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* {"items": [ITEM]}: replaces the agenda while the meeting has no decisions. */
int meeting_agenda_set(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* The iCalendar document of one meeting (*out malloc'd text, free() it). */
int meeting_ics_get(struct nrm_ctx *c, int64_t id, char **out, struct nrm_err *err);

/* {"seats": [{"seat", "status" ("present" | "represented" | "excused" | "absent"),
 * "substitute"?, "authorisation"?}], "guests"?: [{"id", "attended"}]}: from the meeting's day;
 * marks it held. *out: the meeting. */
int meeting_attendance_set(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* {"text", "item"? (agenda item id), "votes"?: {"for", "against", "abstain"}, "tasks"?:
 * [{"title", "institution", "person"?, "due"}]}: a decision of a held meeting, with whether
 * quorum held when it was taken; its tasks are created with it. *out: {"id", "number",
 * "quorum", "tasks": [ID]}. */
int meeting_decide(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* {"summary"?, "items"?: [{"item", "minutes"}]}: the draft minutes of a held meeting. */
int meeting_minutes_set(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* The minutes as a document: the meeting, attendance, agenda with minutes and decisions
 * (the frozen copy once approved, with its hash). */
int meeting_minutes(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* {"in": MEETING, "amendments"?}: approves the minutes of meeting id in a later, held
 * meeting of the same body; they are frozen with their SHA-256. */
int meeting_minutes_approve(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);

/* {}: sends the notice of a scheduled meeting: a numbered outgoing letter of the body's
 * register, a notification inside nrm for the body's users (data/org/bodies.json
 * "notify_roles"), an e-mail (queued; when an SMTP server is set) or a letter to deliver for
 * each member and guest. A later reschedule or cancellation is noticed the same way.
 * *out: {"number": "N/YYYY", "letter", "notices": [...]}. */
int meeting_notice(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* The body's correspondence register, newest first: q matches party or subject, year "YYYY"
 * (both may be NULL). For the body's secretariat and members. */
int meeting_letters(struct nrm_ctx *c, int64_t body, const char *q, const char *year, json_t **out,
		    struct nrm_err *err);
/* {"direction" ("out" | "in"), "day", "party", "subject", "meeting"?}: registered with the
 * body's next number of the day's year. */
int meeting_letter_create(struct nrm_ctx *c, int64_t body, json_t *in, json_t **out, struct nrm_err *err);
/* The caller's notifications inside nrm (newest first; unread only when `unread`), and
 * marking one read. */
int meeting_notifications(struct nrm_ctx *c, int unread, json_t **out, struct nrm_err *err);
int meeting_notification_read(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);

/* {}: a new secret address of the caller's personal calendar (replacing the one before):
 * {"path": "/api/v1/calendar/SECRET.ics"}, shown this once. meeting_feed_delete revokes it. */
int meeting_feed_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
int meeting_feed_delete(struct nrm_ctx *c, struct nrm_err *err);
/* The feed behind "SECRET.ics" (no session: the secret is the key): the meetings of every
 * body its user reads, from three months back. *out malloc'd text; not_found otherwise. */
int meeting_feed(struct nrm_ctx *c, const char *file, char **out, struct nrm_err *err);

/* A file for download: bytes (malloc'd), MIME type, Content-Disposition (malloc'd). */
struct meeting_file {
	void *data;
	size_t len;
	const char *mime;
	char *disposition;
};
/* Adds an uploaded material to a meeting (its secretariat; not once the minutes are
 * approved); *out: the meeting. meeting_material_get downloads one (not for the monitor). */
int meeting_material_add(struct nrm_ctx *c, int64_t id, const struct upload *f, json_t **out, struct nrm_err *err);
int meeting_material_get(struct nrm_ctx *c, int64_t id, int64_t doc, struct meeting_file *out, struct nrm_err *err);
/* The attachment of a letter of the register. */
int meeting_letter_file_put(struct nrm_ctx *c, int64_t id, const struct upload *f, json_t **out, struct nrm_err *err);
int meeting_letter_file_get(struct nrm_ctx *c, int64_t id, struct meeting_file *out, struct nrm_err *err);
/* A body's standing documents: {"documents": [{id, kind, title, version, adopted_in,
 * adopted_on, document, document_name}], "required": [{kind, due, adopted_on, overdue,
 * source}]} — what data/org/bodies.json requires ("documents", due some months after the
 * body's act entered into force). */
int meeting_body_documents(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err);
/* {"kind" (labels.json body_document_kind), "title", "adopted_in"? (a held meeting of the
 * body)}: the next version of that document. */
int meeting_body_document_create(struct nrm_ctx *c, int64_t body, json_t *in, json_t **out, struct nrm_err *err);
int meeting_body_document_file_put(struct nrm_ctx *c, int64_t id, const struct upload *f, json_t **out,
				   struct nrm_err *err);
int meeting_body_document_file_get(struct nrm_ctx *c, int64_t id, struct meeting_file *out, struct nrm_err *err);

/* {"last_meeting", "next_due", "overdue", "every_months", "basis", "next_meeting",
 * "held_last_12_months"} as on c->today; next_due is null (and overdue false) for a body
 * without a required frequency. Only ordinary meetings count towards the frequency: an
 * extraordinary meeting (marked so when scheduled) is held in addition to them. */
int meeting_compliance(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err);

/* The national matrix for a year ("YYYY"; NULL or "": this year): per body with a required frequency (those the
 * caller reads) {"body", "kind", "county", "name", "name_en", "every_months", "basis",
 * "months": [12 counts of ordinary meetings], "required", "held", "on_time"} — the windows of
 * every_months from January that have ended, those with a meeting, and those whose meeting
 * came no later than every_months after the one before. */
int meeting_compliance_matrix(struct nrm_ctx *c, const char *year, json_t **out, struct nrm_err *err);

/* Tasks of a body and/or an institution (0 = any; at least one unless `mine`), or the
 * caller's own (`mine`: their institution's), with "status" (NULL: any; "overdue"). Each
 * with "overdue". */
int meeting_tasks(struct nrm_ctx *c, int64_t body, int64_t institution, int mine, const char *status, json_t **out,
		  struct nrm_err *err);
/* Tells the task's institution (and its person's account) of it: kind "task_assigned" or
 * "task_overdue" (then the body's secretariat too); dedup as notify/notify.h. In the caller's
 * transaction. */
int meeting_task_announce(struct nrm_ctx *c, int64_t id, const char *kind, const char *dedup);
/* One task with its history and can_change. */
int meeting_task_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* {"status", "note", "version"}: by the body's secretariat or a user of the owner
 * institution, along data/meetings/tasks.json. */
int meeting_task_move(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);

#endif
