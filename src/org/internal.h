/* Helpers shared by the files of src/org/ (not part of its interface). */
#ifndef NRM_ORG_INTERNAL_H
#define NRM_ORG_INTERNAL_H

#include "org/org.h"

/* {"seats", "filled", "vacant", "overdue"} over seats (of one body when body != 0). */
json_t *org_summary(json_t *seats, int64_t body);
/* A body row as the API shows it: "name" in Albanian, no internal ids. */
void org_body_present(json_t *b);

#endif
