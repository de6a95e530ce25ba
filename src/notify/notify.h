/* Notifications of a user's working day: inside nrm (the notification centre and its unread
 * count) and, when an SMTP server is set and the user has an address, by e-mail. The domains
 * call these inside the transaction of what they announce, so a notification is never lost
 * nor sent for a change that was rolled back.
 *
 * What a notification may carry: pseudonymous codes (a case's code), institution and body
 * names, titles of tasks and reports, dates. Never a victim's personal data. An e-mail carries
 * even less: only what kind of thing awaits the user in nrm (data/labels.json, groups
 * "notify_subject" and "notify_text", in the user's language) — no code, no name, no title. */
#ifndef NRM_NOTIFY_NOTIFY_H
#define NRM_NOTIFY_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

struct notify_msg {
	const char *kind;   /* referral_new, referral_answered, task_assigned, task_overdue, report_to_approve,
			     * report_returned, nomination_due */
	const char *entity; /* case, task, report, seat */
	int64_t entity_id;
	json_t *params;     /* borrowed; shown in nrm only */
	const char *dedup;  /* NULL, or a key: each user gets a notification of that key once */
};

/* Tells each user of `users` (rows with "id", "email", "lang"), skipping `except` (the user who
 * caused it: nobody is told of their own act; 0: none) and users told twice in the list. */
int notify_users(struct nrm_ctx *c, json_t *users, int64_t except, const struct notify_msg *m);
/* The active users of an institution. */
int notify_institution(struct nrm_ctx *c, int64_t institution, const struct notify_msg *m);
/* The users of the roles (a NULL-terminated list) in a county (0: the national ones). */
int notify_roles(struct nrm_ctx *c, const char *const *roles, int64_t county, const struct notify_msg *m);
/* The account of a registry person (a seat's member), if they have one. */
int notify_person(struct nrm_ctx *c, int64_t person, const struct notify_msg *m);

/* Marks every unread notification of the caller read: {"read": n}. */
int notify_read_all(struct nrm_ctx *c, json_t **out, struct nrm_err *err);

#endif
