/* Helpers shared by the files of src/oversight/ (not part of its interface). */
#ifndef NRM_OVERSIGHT_INTERNAL_H
#define NRM_OVERSIGHT_INTERNAL_H

#include <stdbool.h>

#include "core/input.h"
#include "oversight/oversight.h"

/* The data-protection officer, or false with oversight_dpo_only in err. */
bool ov_officer(struct nrm_ctx *c, struct nrm_err *err);
/* The rules of data/oversight/rules.json as stored (a new reference). */
int ov_rules(struct nrm_ctx *c, json_t **out, struct nrm_err *err);
/* The actions that may read personal data: the rules' "reads" and "personal_if", as JSON
 * array text (malloc'd). */
char *ov_read_actions(json_t *rules);
/* Whether an audit row of those actions did read personal data: a "reads" action always, a
 * "personal_if" one when its after.personal is true. */
bool ov_read_personal(json_t *rules, json_t *row);
/* The civil day in Tirane of a UTC stamp; *minute (may be NULL) the minute of that day,
 * *weekday (may be NULL) 1 = Monday .. 7 = Sunday. -1 when the stamp is not one. */
int32_t ov_local_day(const char *ts, int *minute, int *weekday);
/* The UTC stamp of midnight in Tirane that begins `day`. */
void ov_day_start(int32_t day, char out[21]);
/* The clear text of an audit row's sealed reason (malloc'd; wipe and free it), or NULL when
 * the row has none or it is not sealed. "(unreadable)" when it does not open. */
char *ov_open_reason(struct nrm_ctx *c, json_t *row);
/* Frees clear text after wiping it. */
void ov_wipe(char *s);

#endif
