/* Tasks that decisions create (Order 94 §1.7b) and the history of each. Writing functions need
 * the caller's transaction. json_t ** outputs are new references, written only on success. */
#ifndef NRM_STORE_TASK_H
#define NRM_STORE_TASK_H

#include "store/db.h"

struct store_task {
	int64_t body, meeting, decision; /* meeting and decision 0: none */
	const char *title, *due;         /* due "YYYY-MM-DD" */
	int64_t institution, person;     /* person 0: none */
};

int store_task_add(struct store *s, const struct store_task *t, int64_t by, int64_t *id);
/* One task with its body (kind, names, county_id), institution and person names, and the
 * date of the meeting that decided it. */
int store_task_get(struct store *s, int64_t id, json_t **out);

struct store_task_query {
	int64_t body, institution, county; /* 0: any; county -1: national bodies only */
	const char *status;                /* NULL: any */
	const char *due_before;            /* only tasks open or in progress due before this day */
	int64_t meeting_before_body;       /* with meeting_before: open tasks of that body's earlier meetings */
	const char *meeting_before;
};
/* Tasks by due date, then id. */
int store_tasks(struct store *s, const struct store_task_query *q, json_t **out);
/* Moves the task to status when it is at `version`: NRM_ECONFLICT otherwise. */
int store_task_set_status(struct store *s, int64_t id, const char *status, int64_t version);
int store_task_event_add(struct store *s, int64_t task, const char *status, const char *note, int64_t user,
			 const char *username);
int store_task_events(struct store *s, int64_t task, json_t **out);

#endif
