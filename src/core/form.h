/* The case form as data (data/forms/case.json, workflow.json, data/codes/): validation of
 * case fields, required-when rules, personal-data flags, the workflow's transitions, and the
 * screening suggestion. The form is read-only once loaded and may be shared by threads. */
#ifndef NRM_CORE_FORM_H
#define NRM_CORE_FORM_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "core/role.h"

struct form;

/* Builds a form from case.json, workflow.json and an object of code lists (name → list
 * document with "items"). Takes new references of its own; *out is freed with form_free. */
int form_load(json_t *form, json_t *workflow, json_t *codelists, struct form **out, struct nrm_err *err);
void form_free(struct form *f);

/* The parts, borrowed. */
json_t *form_json(const struct form *f);
json_t *form_workflow(const struct form *f);
json_t *form_codelists(const struct form *f);
/* The definition of a top-level field or sub-field, or NULL. */
json_t *form_field(const struct form *f, const char *name);
bool form_is_personal(const struct form *f, const char *name);
/* Top-level field names in form order (a JSON array, borrowed). */
json_t *form_field_names(const struct form *f);

/* Checks the types, code values, lengths and ranges of the fields in `fields` (an object of
 * top-level field → value; null clears). Unknown fields are refused. */
int form_validate(const struct form *f, json_t *fields, struct nrm_err *err);
/* Checks `required` and `required_when` over the whole case data for a case in `stage`:
 * a field that belongs to a later stage is not yet required. */
int form_check_required(const struct form *f, json_t *data, const char *stage, struct nrm_err *err);

/* True when v counts as filled: not null, not "", not an empty array. */
bool form_filled(json_t *v);

/* Workflow. */
const char *form_initial_stage(const struct form *f);
bool form_stage_exists(const struct form *f, const char *stage);
/* Checks that a case in `from` (before closing: `reopen_to` = the stage it was closed from)
 * may move to `to` by someone of `role`, with `data` holding what the target stage requires
 * (child_requires too when is_child). Errors name the missing field or say why not. */
int form_check_transition(const struct form *f, const char *from, const char *to, const char *closed_from,
			  enum role role, json_t *data, bool is_child, struct nrm_err *err);

/* The screening rule of Albania's identification form as a suggestion: an adult needs an
 * indicator in each of A, B and C; a child in A and C. Returns a new object
 * {"meets": bool, "missing": ["A", ...]}. */
json_t *form_screening(json_t *data, bool is_child);

/* Whole years between birth and `on` (day numbers). */
int form_age_years(int32_t birth, int32_t on);

#endif
