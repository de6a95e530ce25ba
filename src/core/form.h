/* The case form as data (data/forms/case.json, workflow.json, data/codes/): validation of
 * case fields, required-when rules, personal-data flags, the bindings that tell the code
 * which field means what, the workflow (a core/fsm.h machine) and the screening suggestion.
 * The form is read-only once loaded and may be shared by threads. */
#ifndef NRM_CORE_FORM_H
#define NRM_CORE_FORM_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "core/fsm.h"
#include "core/role.h"

struct form;

/* What the code needs to know a field for. The form marks each such field with
 * "binding": NAME; a form that lacks one, binds it to a field of the wrong type, or leaves
 * an identifying one unencrypted, is refused at load. This enum and its table in form.c are
 * the one place where meanings meet code: nowhere else does src/ name a case field. */
enum form_bind {
	FB_STATUS,                  /* code: the trafficking status (VMT, VT, not a victim) */
	FB_SEX,                     /* code */
	FB_BIRTH_DATE,              /* date, personal */
	FB_ESTIMATED_AGE,           /* integer: when the birth date is not known */
	FB_IS_CHILD,                /* boolean: derived by the server, stored */
	FB_CITIZENSHIP,             /* codes */
	FB_COUNTY,                  /* code: the county of identification (the case code's prefix) */
	FB_MUNICIPALITY,            /* code: a municipality of FB_COUNTY */
	FB_RESIDENCE_COUNTY,        /* code */
	FB_RESIDENCE_MUNICIPALITY,  /* code: a municipality of FB_RESIDENCE_COUNTY */
	FB_IDENTIFYING_INSTITUTION, /* integer: an institution of the registry */
	FB_IDENTIFICATION_DATE,     /* date: when the person was first identified */
	FB_IDENTIFICATION_METHOD,   /* code */
	FB_INDICATORS_A,            /* codes: indicators of the screening rule, sections A, B, C */
	FB_INDICATORS_B,
	FB_INDICATORS_C,
	FB_EXPLOITATION,            /* codes: forms of exploitation */
	FB_FIRST_NAME,              /* text, personal: matched across agencies by keyed hash */
	FB_LAST_NAME,               /* text, personal */
	FB_IDENTITY_NUMBER,         /* text, personal */
	FB_DOCUMENTS,               /* group, personal: identity documents */
	FB_DOCUMENT_NUMBER,         /* text, personal: a sub-field of FB_DOCUMENTS */
	FB_DECISION,                /* code: the Authority's formal decision */
	FB_DECISION_DATE,           /* date */
	FB_DECISION_MEETING,        /* integer: the Authority's meeting that decided */
	FB_REFERRAL_DATE,           /* date: when the case was referred (the referral stage's date) */
	FB_REFERRED_TO,             /* integer: the institution it was referred to */
	FB_COUNT
};

/* Builds a form from case.json, workflow.json and an object of code lists (name → list
 * document with "items"). Takes references of its own; *out is freed with form_free. */
int form_load(json_t *form, json_t *workflow, json_t *codelists, struct form **out, struct nrm_err *err);
/* Builds the form of a register (data/registers/): fields and code lists as in case.json, no
 * workflow and no bindings (a binding is refused). `file` names it in errors and must outlive
 * the form. Only the field functions below and form_validate / form_check_required (stage
 * NULL) apply to it. */
int form_load_plain(json_t *form, json_t *codelists, const char *file, struct form **out, struct nrm_err *err);
void form_free(struct form *f);

/* The parts, borrowed. */
json_t *form_json(const struct form *f);
json_t *form_workflow(const struct form *f);
json_t *form_codelists(const struct form *f);
/* The name of the field bound to b (never NULL once loaded). */
const char *form_bound(const struct form *f, enum form_bind b);
/* The same by the binding's name ("sex"), for definitions written as data; NULL for none. */
const char *form_bound_named(const struct form *f, const char *binding);
/* The field whose date says when a case entered `stage` (its "date" in the workflow), or NULL. */
const char *form_stage_date_field(const struct form *f, const char *stage);
/* The stage a case referral moves a case to: the stage whose date is the referral date. */
const char *form_referral_stage(const struct form *f);
/* The definition of a top-level field or sub-field, or NULL. */
json_t *form_field(const struct form *f, const char *name);
bool form_is_personal(const struct form *f, const char *name);
/* A boolean attribute of a field's definition ("identifying", "list", ...). */
bool form_field_is(const struct form *f, const char *name, const char *attribute);
/* Top-level field names in form order (a JSON array, borrowed). */
json_t *form_field_names(const struct form *f);
bool form_is_top(const struct form *f, const char *name);

/* Checks the types, code values, lengths and ranges of the fields in `fields` (an object of
 * top-level field → value; null clears). Unknown fields are refused. */
int form_validate(const struct form *f, json_t *fields, struct nrm_err *err);
/* Checks `required` and `required_when` over the whole case data for a case in `stage`:
 * a field that belongs to a later stage is not yet required. */
int form_check_required(const struct form *f, json_t *data, const char *stage, struct nrm_err *err);
/* Everything a case in `stage` must hold: what the workflow requires to enter the stage (its
 * "child" requirements too when is_child) and the form's required fields up to it. For a
 * new case in the initial stage, and for a decided case, whose decision stays complete. */
int form_check_stage(const struct form *f, json_t *data, const char *stage, bool is_child, struct nrm_err *err);

/* True when v counts as filled: not null, not "", not an empty array. */
bool form_filled(json_t *v);

/* Workflow. */
const struct fsm *form_fsm(const struct form *f);
const char *form_initial_stage(const struct form *f);
/* The stage a case is closed in, and the stage of the Authority's formal decision. */
const char *form_closed_stage(const struct form *f);
const char *form_decision_stage(const struct form *f);
bool form_stage_exists(const struct form *f, const char *stage);
/* The status of a case before the formal decision ("possible victim"). */
const char *form_undecided_status(const struct form *f);
/* The status a decision code sets, or NULL when the code decides nothing. */
const char *form_decided_status(const struct form *f, const char *decision);
/* Checks that a case in `from` (entered from `previous`) may move to `to` by someone of
 * `role`, with `data` holding what the target stage requires (its "child" requirements too
 * when is_child) and what the target stage's fields require. */
int form_check_transition(const struct form *f, const char *from, const char *to, const char *previous,
			  enum role role, json_t *data, bool is_child, struct nrm_err *err);

/* The fields stage `stage` requires (a child's case: its "child" requirements too) that data
 * does not fill: a new array of names. */
json_t *form_stage_needs(const struct form *f, const char *stage, json_t *data, bool is_child);

/* The screening rule of Albania's identification form as a suggestion: an adult needs an
 * indicator in each of A, B and C; a child in A and C. Returns a new object
 * {"meets": bool, "missing": ["A", ...], "rule": text}. */
json_t *form_screening(const struct form *f, json_t *data, bool is_child);

/* Whole years between birth and `on` (day numbers). */
int form_age_years(int32_t birth, int32_t on);

#endif
