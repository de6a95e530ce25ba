/* Shared by the files of src/meeting/ (not part of its interface). */
#ifndef NRM_MEETING_INTERNAL_H
#define NRM_MEETING_INTERNAL_H

#include <stdbool.h>

#include "core/date.h"

#include "meeting/meeting.h"

/* What the caller may do with a body's meetings. */
enum meeting_access { MA_NONE, MA_MONITOR, MA_READ, MA_EDIT };
enum meeting_access meeting_access_of(struct nrm_ctx *c, json_t *body_or_meeting);

/* Whether the caller may read (edit, when `edit`) a record of a body (a row with its
 * county_id): 0, or 403 meeting_forbidden / meetings_by_secretariat. The Ministry's monitor
 * reads only when `monitor`. *access (may be NULL) gets the caller's access. */
int meeting_allowed(struct nrm_ctx *c, json_t *row, bool edit, bool monitor, enum meeting_access *access,
		    struct nrm_err *err);
/* Loads meeting id (store row) when the caller may read it, and edit it when `edit`:
 * no_such_meeting (404), meeting_forbidden or meetings_by_secretariat (403). *access
 * (may be NULL) gets the caller's access. */
int meeting_load(struct nrm_ctx *c, int64_t id, bool edit, json_t **out, enum meeting_access *access,
		 struct nrm_err *err);
/* Refuses (409 meeting_state) unless the meeting's status is `status`. */
int meeting_require(json_t *m, const char *status, struct nrm_err *err);

/* The meeting rules of a body kind from data/org/bodies.json ("meetings", with
 * "every_months" from the body row): {"every_months"?, "basis", "quorum_more_than",
 * "notice_days"} (a new object). */
json_t *meeting_rules(struct nrm_ctx *c, json_t *body);

/* The seats of the meeting's body with the member of the meeting's day, each with the
 * attendance recorded ("status" null when none); and the quorum:
 * {"seats", "present", "represented", "required", "held"} (new objects). */
int meeting_seats(struct nrm_ctx *c, json_t *m, json_t **seats, json_t **quorum);

/* Records one change in the meeting's history and the audit trail. */
int meeting_log(struct nrm_ctx *c, int64_t id, const char *action, json_t *before, json_t *after,
		const char *reason);

/* A day "YYYY-MM-DD" as Albanian documents write it, "dd.mm.yyyy" (the text itself when it
 * is no date). */
void meeting_day_text(const char *day, char out[DATE_LEN]);

/* A time "HH:MM" (00:00-23:59), or absent. */
int meeting_in_time(json_t *in, const char *key, const char **out, struct nrm_err *err);

/* The agenda nrm proposes before the secretariat's own items (new array). */
int meeting_agenda_proposed(struct nrm_ctx *c, json_t *body, const char *date, const char *hour, int64_t exclude,
			    json_t **out);
/* Checks and normalises agenda items given in `in` (array `key`) into *out (new array). */
int meeting_agenda_check(struct nrm_ctx *c, json_t *body, json_t *in, const char *key, json_t **out,
			 struct nrm_err *err);

/* The calendar event of a meeting row with its agenda (meeting/ics.h): never a case
 * reference (a new object). */
json_t *meeting_event(struct nrm_ctx *c, json_t *m, json_t *agenda);
/* Inside the caller's transaction: registers an outgoing letter and tells everyone concerned
 * of the meeting ("notice", "reschedule" or "cancel"); *out (may be NULL) {"number", "letter"}. */
int meeting_notify(struct nrm_ctx *c, int64_t id, const char *kind, json_t **out);
/* Whether a notice of the meeting was ever sent. */
int meeting_noticed(struct nrm_ctx *c, int64_t id, bool *yes);

#endif
