/* Agreements (memoranda / cooperation protocols, Order 94 §1.3) and uploaded documents. */
#ifndef NRM_STORE_AGREEMENT_H
#define NRM_STORE_AGREEMENT_H

#include "store/db.h"

struct agreement {
	int64_t county;
	const char *counterpart_kind, *counterpart, *title, *signed_on, *valid_from, *valid_until, *note;
};

int store_agreement_add(struct store *s, const struct agreement *a, int64_t *id);
/* Updates when the stored version equals `version`; NRM_ECONFLICT when it does not. */
int store_agreement_update(struct store *s, int64_t id, int64_t version, const struct agreement *a);
int store_agreement_get(struct store *s, int64_t id, json_t **out);
int store_agreements(struct store *s, int64_t county, int64_t after, int limit, json_t **out);
int store_agreement_set_document(struct store *s, int64_t id, int64_t document);
/* The id of the agreement's document; NRM_ENOTFOUND when none was uploaded. */
int store_agreement_document_id(struct store *s, int64_t id, int64_t *document);

int store_document_add(struct store *s, const char *filename, const char *mime, const void *data, size_t size,
		       const char *sha256, int64_t by, int64_t *id);
/* The document's bytes (*data malloc'd, free() it) and its metadata as JSON. */
int store_document_get(struct store *s, int64_t id, void **data, size_t *size, json_t **meta);

#endif
