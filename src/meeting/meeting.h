/* Meetings of the bodies (Order 94 §1.6–1.7, §2.2; Instruction 132 §7, §9), shared by the
 * API and the command line. For now what formal identification needs: a body's meeting on a
 * date, ordinary or extraordinary, with a title and a place. json_t ** out-parameters
 * receive new references, written only on success. */
#ifndef NRM_MEETING_MEETING_H
#define NRM_MEETING_MEETING_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

/* {"date", "kind"? ("ordinary" | "extraordinary"), "title"?, "location"?}: the body's
 * secretariat records its meetings. */
int meeting_create(struct nrm_ctx *c, int64_t body, json_t *in, json_t **out, struct nrm_err *err);
int meeting_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
int meeting_list(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err);

#endif
