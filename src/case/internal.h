/* Helpers shared by the files of src/case/ (not part of its interface). */
#ifndef NRM_CASE_INTERNAL_H
#define NRM_CASE_INTERNAL_H

#include <sodium.h>

#include "case/case.h"

static inline int64_t cj_int(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static inline const char *cj_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static inline void sodium_memzero_str(char *s, size_t n)
{
	sodium_memzero(s, n);
}

/* Loads a case by code if the caller may see it (NRM_ENOTFOUND otherwise). */
int case_load(struct case_ctx *c, const char *code, json_t **row, enum case_access *access, struct nrm_err *err);
/* The decrypted personal fields of a case as an object. */
int case_decrypt(struct case_ctx *c, int64_t id, json_t **out);
/* Rebuilds the blind indexes of a case from its whole data and records likely duplicates;
 * *dups = the codes of the other cases it matches. Inside the caller's transaction. */
int case_index(struct case_ctx *c, int64_t id, json_t *data, json_t **dups);
int case_event(struct case_ctx *c, int64_t id, const char *action, const char *from, const char *to, json_t *changed,
	       const char *reason, json_t *state);
int case_audit(struct case_ctx *c, const char *action, const char *code, json_t *changed, const char *reason);
json_t *case_state(json_t *pub, const struct case_row *r, int64_t holder, bool merged);

#endif
