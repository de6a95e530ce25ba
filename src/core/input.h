/* Reading and checking the members of a JSON input document (a request body, or what the
 * CLI builds from its options). Each failure names the member. Absent or null optional
 * values give NULL / 0 / false; out-parameters are written only on success. */
#ifndef NRM_CORE_INPUT_H
#define NRM_CORE_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Refuses a member not named in the NULL-terminated `allowed`. */
int in_only(json_t *obj, const char *const *allowed, struct nrm_err *err);
/* A string of at most max characters without control characters; blank counts as absent. */
int in_str(json_t *obj, const char *key, bool required, size_t max, const char **out, struct nrm_err *err);
/* A one-line string (a name, a title): as in_str, and no tab or line break either. */
int in_line(json_t *obj, const char *key, bool required, size_t max, const char **out, struct nrm_err *err);
/* A date "YYYY-MM-DD" that exists; *days (may be NULL) gets its day number. */
int in_date(json_t *obj, const char *key, bool required, const char **out, int32_t *days, struct nrm_err *err);
int in_int(json_t *obj, const char *key, bool required, int64_t *out, struct nrm_err *err);
/* *out is left alone when the member is absent (callers preset "no change"). */
int in_bool(json_t *obj, const char *key, int *out, struct nrm_err *err);
/* A string that must be one of the NULL-terminated `allowed`. */
int in_enum(json_t *obj, const char *key, bool required, const char *const *allowed, const char **out,
	    struct nrm_err *err);
bool in_has(json_t *obj, const char *key);
/* A string with an '@' between two non-empty parts. */
int in_email(json_t *obj, const char *key, const char **out, struct nrm_err *err);

/* Typed reads of a stored row: 0 / "" when absent. */
int64_t j_int(json_t *obj, const char *key);
const char *j_str(json_t *obj, const char *key);
/* Copies `keys` (NULL-terminated) of src into a new object. */
json_t *j_pick(json_t *src, const char *const *keys);
/* Whether an array of strings holds s. */
bool j_has(json_t *array, const char *s);

#endif
