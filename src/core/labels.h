/* The sq/en labels of everything nrm shows by code — body kinds, seat roles and statuses,
 * counterparts, referral and duplicate statuses (data/labels.json), roles
 * (data/org/roles.json), workflow stages and every code list — so the server prints
 * Albanian in its own documents from the same files the UI reads (GET /api/v1/labels).
 * Built once at start; read-only after, shared by threads. */
#ifndef NRM_CORE_LABELS_H
#define NRM_CORE_LABELS_H

#include <jansson.h>

#include "core/err.h"

struct labels;
struct form;

/* Builds the labels from the "groups" of labels.json, the "roles" of roles.json and the
 * form's workflow and code lists. A group name used twice is refused. *out is freed with
 * labels_free. */
int labels_build(json_t *labels_doc, json_t *roles_doc, const struct form *f, struct labels **out,
		 struct nrm_err *err);
void labels_free(struct labels *L);

/* The label of code in group, in lang ("sq" or "en"; anything else is "sq"); the code itself
 * when there is none, so a document never prints nothing. Borrowed. */
const char *labels_get(const struct labels *L, const char *group, const char *code, const char *lang);
/* Every group: {"group": {"code": {"sq", "en"}}}, borrowed. */
json_t *labels_json(const struct labels *L);

#endif
