/* Shared by the files of src/agreement/ (not part of its interface). */
#ifndef NRM_AGREEMENT_INTERNAL_H
#define NRM_AGREEMENT_INTERNAL_H

#include <stdbool.h>

#include "agreement/agreement.h"

/* Loads agreement id if the caller may read it (and edit it, when `edit`): not_found when
 * they may not see it, agreements_by_secretariat when they may not change it. */
int agreement_load(struct nrm_ctx *c, int64_t id, bool edit, json_t **out, struct nrm_err *err);

#endif
