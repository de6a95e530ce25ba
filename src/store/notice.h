/* What a body sends and receives: its correspondence register, the notices of its meetings,
 * the notifications shown inside nrm, and the e-mail outbox. Writing functions need the
 * caller's transaction. json_t ** outputs are new references, written only on success. */
#ifndef NRM_STORE_NOTICE_H
#define NRM_STORE_NOTICE_H

#include "store/db.h"

struct store_letter {
	int64_t body, meeting;  /* meeting 0: none */
	const char *direction;  /* "out" | "in" */
	const char *day, *party, *subject;
};
/* Registers a letter with the body's next number of the year of its day. */
int store_letter_add(struct store *s, const struct store_letter *l, int64_t by, int64_t *id);
int store_letter_get(struct store *s, int64_t id, json_t **out);
int store_letter_set_document(struct store *s, int64_t id, int64_t document);
/* A body's register, newest first; q (may be NULL) matches party or subject, any case;
 * year 0: every year. */
int store_letters(struct store *s, int64_t body, const char *q, int year, json_t **out);

struct store_notice {
	int64_t meeting, letter;           /* letter 0: none */
	const char *kind;                  /* "notice" | "reschedule" | "cancel" */
	const char *recipient;             /* a name, or a username */
	int64_t seat, guest, user;         /* 0: none */
	const char *channel, *address, *status;
};
int store_notice_add(struct store *s, const struct store_notice *n, int64_t *id);
int store_notices(struct store *s, int64_t meeting, json_t **out);
int store_notice_set_status(struct store *s, int64_t id, const char *status);

/* A notification for user; with a dedup key (may be NULL), only once per user and key: *id is 0
 * when the user had it already. */
int store_notification_add(struct store *s, int64_t user, const char *kind, const char *entity, int64_t entity_id,
			   json_t *params, const char *dedup, int64_t *id);
/* A user's notifications, newest first (unread only when `unread`). */
int store_notifications(struct store *s, int64_t user, int unread, int limit, json_t **out);
int store_notification_read(struct store *s, int64_t user, int64_t id);
/* Marks every unread notification of the user read; *n: how many. */
int store_notifications_read_all(struct store *s, int64_t user, int *n);
int store_notifications_unread(struct store *s, int64_t user, int64_t *n);
/* Active users {id, username, email, lang} of an institution / of the account of a registry person. */
int store_users_of_institution(struct store *s, int64_t institution, json_t **out);
int store_users_of_person(struct store *s, int64_t person, json_t **out);
/* Active users {id, username, email, lang} of the roles listed (a JSON array of role codes) in a county (0: national roles). */
int store_users_of_roles(struct store *s, json_t *roles, int64_t county, json_t **out);

/* A message for the outbox, carrying a meeting's notice or a notification (0: none). */
int store_mail_queue(struct store *s, int64_t notice, int64_t notification, const char *to, const char *subject,
		     const char *message, int64_t *id);
/* Messages still to send, oldest first, with fewer than `attempts` attempts. */
int store_mail_pending(struct store *s, int attempts, int limit, json_t **out);
/* Records an attempt: sent, or failed with its error (queued again until attempts run out). */
int store_mail_attempt(struct store *s, int64_t id, int sent, const char *error, int max_attempts);

#endif
