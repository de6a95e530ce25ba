/* Meetings of the bodies in the database: the meeting, its changes, agenda, attendance,
 * guests, materials and decisions. Writing functions need the caller's transaction.
 * json_t ** outputs are new references, written only on success. */
#ifndef NRM_STORE_MEETING_H
#define NRM_STORE_MEETING_H

#include "store/db.h"

struct store_meeting {
	const char *date, *time, *end_time; /* "YYYY-MM-DD", "HH:MM" or NULL (Europe/Tirane) */
	const char *kind;                   /* "ordinary" | "extraordinary" */
	const char *title, *location, *link; /* NULL when none */
};

/* A new meeting, scheduled, with sequence 0 and the calendar uid given. */
int store_meeting_add(struct store *s, int64_t body, const struct store_meeting *m, const char *uid, int64_t by,
		      int64_t *id);
/* Replaces what m holds when the meeting is at `version` (NRM_ECONFLICT otherwise); raises
 * the version, and the calendar sequence when `resequence`. */
int store_meeting_update(struct store *s, int64_t id, int64_t version, const struct store_meeting *m, int resequence);
/* Sets the state ("held", "cancelled", "scheduled") and its reason; raises version and sequence. */
int store_meeting_set_status(struct store *s, int64_t id, const char *status, const char *reason);
/* One meeting with its body's kind, names and county_id (and county slug). */
int store_meeting_get(struct store *s, int64_t id, json_t **out);
/* A body's meetings, newest first. */
int store_meetings(struct store *s, int64_t body, json_t **out);
/* Meetings of the bodies of a county (0: national bodies only; -1: every body) from `first`
 * to `last` (inclusive, NULL: open), by date. */
int store_meetings_between(struct store *s, int64_t county, const char *first, const char *last, json_t **out);
/* The days of a body's meetings that were held (their attendance recorded), of `kind` (NULL:
 * any), up to `last`, oldest first. */
int store_meeting_days(struct store *s, int64_t body, const char *kind, const char *last, json_t **out);
/* The day of a body's first meeting scheduled on or after `from`: *out malloc'd (free() it);
 * NRM_ENOTFOUND when there is none. */
int store_meeting_next_day(struct store *s, int64_t body, const char *from, char **out);
/* The latest held meeting of a body before `when` ("YYYY-MM-DD HH:MM", the time may be
 * empty) whose minutes are a draft. */
int store_meeting_unapproved_before(struct store *s, int64_t body, const char *date, int64_t exclude, int64_t *id);

int store_meeting_change_add(struct store *s, int64_t meeting, const char *action, json_t *before, json_t *after,
			     const char *reason, int64_t user, const char *username);
int store_meeting_changes(struct store *s, int64_t meeting, json_t **out);

/* The agenda: [{"kind", "title", "presenter"?, "refs"?}] in order, replacing the items (and
 * their minutes) the meeting had. */
int store_agenda_replace(struct store *s, int64_t meeting, json_t *items);
int store_agenda(struct store *s, int64_t meeting, json_t **out);
int store_agenda_set_minutes(struct store *s, int64_t item, const char *minutes);

int store_attendance_set(struct store *s, int64_t meeting, int64_t seat, const char *status, const char *member,
			 const char *substitute, const char *authorisation);
int store_attendance(struct store *s, int64_t meeting, json_t **out);

int store_meeting_guest_add(struct store *s, int64_t meeting, int64_t guest, const char *name,
			    const char *organisation, const char *email, int64_t *id);
int store_meeting_guests(struct store *s, int64_t meeting, json_t **out);
/* attended: 1, 0, or -1 (not recorded). */
int store_meeting_guest_attended(struct store *s, int64_t meeting, int64_t id, int attended);

int store_meeting_document_add(struct store *s, int64_t meeting, int64_t document);
int store_meeting_documents(struct store *s, int64_t meeting, json_t **out);
/* Whether the document is a material of one of the body's meetings (NRM_ENOTFOUND if not). */
int store_body_document(struct store *s, int64_t body, int64_t document);
/* Whether the document is one of the meeting's materials. */
int store_meeting_document_of(struct store *s, int64_t meeting, int64_t document);

struct store_decision {
	int64_t item;                  /* 0: none */
	const char *text;
	int votes_for, votes_against, abstentions; /* -1: not voted */
	int quorum;
	int64_t case_id;               /* 0: none */
};
/* The decision gets the meeting's next number. */
int store_decision_add(struct store *s, int64_t meeting, const struct store_decision *d, int64_t by, int64_t *id);
int store_decisions(struct store *s, int64_t meeting, json_t **out);

/* Freezes the minutes: the document approved, its hash, the meeting that approved them. */
int store_minutes_freeze(struct store *s, int64_t meeting, json_t *minutes, const char *hash, int64_t approved_in,
			 const char *amendments);
int store_minutes_summary_set(struct store *s, int64_t meeting, const char *summary);

/* A body's standing documents (rules of procedure, ...), each kind and title in versions. */
struct store_body_document {
	int64_t body, adopted_in; /* adopted_in 0: not (yet) adopted in a meeting */
	const char *kind, *title, *adopted_on;
};
/* Adds the next version of the body's document of that kind (its title may change). */
int store_body_document_add(struct store *s, const struct store_body_document *d, int64_t by, int64_t *id);
int store_body_document_get(struct store *s, int64_t id, json_t **out);
int store_body_document_set_file(struct store *s, int64_t id, int64_t document);
/* A body's documents, newest version first within each kind and title. */
int store_body_documents(struct store *s, int64_t body, json_t **out);

/* The codes of cases (not merged) with a referral still unanswered that was made before
 * `before` (a UTC stamp), oldest first. */
int store_unanswered_referrals(struct store *s, const char *before, int limit, json_t **out);

/* The personal calendar feed of a user: one secret per user (its SHA-256 kept), replaced or
 * removed; the user of a secret (NRM_ENOTFOUND when none). */
int store_feed_set(struct store *s, int64_t user, const char *hash);
int store_feed_delete(struct store *s, int64_t user);
int store_feed_user(struct store *s, const char *hash, int64_t *user);

#endif
