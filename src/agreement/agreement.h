/* Agreements of a county with prosecution offices and NGOs (Order 94 §1.3) and the signed
 * document of each. Shared by the API and the command line; each change is one transaction
 * with its audit row. json_t ** out-parameters receive new references, written only on
 * success. */
#ifndef NRM_AGREEMENT_AGREEMENT_H
#define NRM_AGREEMENT_AGREEMENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"
#include "secure/upload.h"

/* The agreements of a county (0: every county the caller may see), keyset by id. */
int agreement_list(struct nrm_ctx *c, int64_t county, int64_t after, int limit, json_t **out, struct nrm_err *err);
/* One agreement, with can_edit; not_found when the caller may not see it. */
int agreement_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* {"county", "counterpart_kind", "counterpart", "title", "signed", "valid_from"?, "valid_until"?, "note"?} */
int agreement_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
/* {"version", ...any of the members above but county}: absent members keep their value;
 * stale when version is not the stored one. */
int agreement_update(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);

/* Stores the signed document (checked as secure/upload.h says) and returns the agreement. */
int agreement_document_put(struct nrm_ctx *c, int64_t id, const struct upload *f, json_t **out, struct nrm_err *err);
/* The document: its bytes (*data malloc'd, free() it), length, MIME type and a
 * Content-Disposition value naming the file (*disposition malloc'd). */
int agreement_document_get(struct nrm_ctx *c, int64_t id, void **data, size_t *len, const char **mime,
			   char **disposition, struct nrm_err *err);

#endif
