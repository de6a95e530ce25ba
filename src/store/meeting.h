/* Meetings of the bodies in the database. json_t ** outputs are new references. */
#ifndef NRM_STORE_MEETING_H
#define NRM_STORE_MEETING_H

#include "store/db.h"

int store_meeting_add(struct store *s, int64_t body, const char *date, const char *kind, const char *title,
		      const char *location, int64_t by, int64_t *id);
/* One meeting with its body's kind, name and county_id. */
int store_meeting_get(struct store *s, int64_t id, json_t **out);
/* A body's meetings, newest first. */
int store_meetings(struct store *s, int64_t body, json_t **out);

#endif
