/* Shared by the files of src/prevention/ (not part of its interface). */
#ifndef NRM_PREVENTION_INTERNAL_H
#define NRM_PREVENTION_INTERNAL_H

#include <stdbool.h>

#include "core/form.h"
#include "core/input.h"
#include "prevention/prevention.h"
#include "store/register.h"

/* A register as data/registers/NAME.json defines it: its document, its form, and what its
 * "roles" name — the fields the code gives a meaning to. */
struct reg_def {
	char name[48];
	json_t *doc;       /* owned */
	struct form *form; /* owned */
	const char *county_f, *muni_f, *first_f, *last_f, *title_f, *status_f;
	const char *parent_f, *parent_reg;   /* an entry of another register it belongs to */
	const char *meeting_f, *meeting_kind; /* a meeting of the county's body, of that kind, */
	const char *meeting_body;             /* of that body (kind), */
	int meeting_within;                   /* held from `first` to so many days after it (0: any day) */
	const char *part_f, *part_person;     /* participants: a group and its person sub-field */
	const char *review_f;                 /* a date by which the entry must be reviewed */
	bool personal, stock, one_per_county, county_required;
};

/* Loads register `name` (not_such_register naming `field` when there is none). *out is freed
 * with reg_def_free. */
int reg_def_load(struct nrm_ctx *c, const char *name, const char *field, struct reg_def **out, struct nrm_err *err);
/* Every register, by their "order": *out is an array of n definitions (reg_defs_free). */
int reg_defs_all(struct nrm_ctx *c, struct reg_def ***out, size_t *n, struct nrm_err *err);
void reg_def_free(struct reg_def *d);
void reg_defs_free(struct reg_def **d, size_t n);
/* The register's label in the caller's language. */
const char *reg_def_label(const struct reg_def *d, const char *lang);
/* The sq/en label of a code of list `list` ({"sq","en"}, borrowed), or NULL. */
json_t *reg_code_label(struct nrm_ctx *c, const char *list, const char *code);

/* Who may do what (access.c). */
bool reg_role_reads(struct nrm_ctx *c, const struct reg_def *d);
bool reg_may_read(struct nrm_ctx *c, const struct reg_def *d, json_t *row);
/* Whether the caller may record entries of county (0: national) in d. */
bool reg_may_write(struct nrm_ctx *c, const struct reg_def *d, int64_t county);
bool reg_may_edit(struct nrm_ctx *c, const struct reg_def *d, json_t *row);
bool reg_may_read_personal(struct nrm_ctx *c, const struct reg_def *d, json_t *row);
/* Loads entry `code` of d when the caller may read it (no_such_entry otherwise). */
int reg_entry_load(struct nrm_ctx *c, const struct reg_def *d, const char *code, json_t **row, struct nrm_err *err);
/* The list query of a filter as the caller may see it: counties, holders, days. */
/* Register `reg` (*d, reg_def_free) and the entries f selects for the caller (*rows). */
int reg_rows(struct nrm_ctx *c, const char *reg, const struct reg_filter *f, struct reg_def **d, json_t **rows,
	     struct nrm_err *err);
int reg_query_of(struct nrm_ctx *c, const struct reg_def *d, const struct reg_filter *f, struct reg_query *q,
		 char first[11], char last[11], struct nrm_err *err);

/* The personal fields of an entry, decrypted (entry.c). */
int reg_decrypt(struct nrm_ctx *c, const struct reg_def *d, int64_t id, json_t **out);
/* The names of references in fields: {"kind:id": "name"} for every ref the form declares. */
json_t *reg_ref_names(struct nrm_ctx *c, const struct reg_def *d, json_t *fields);
/* An entry as its readers see it in lists: id, code, county, days, title, fields. */
json_t *reg_entry_view(struct nrm_ctx *c, const struct reg_def *d, json_t *row);
/* Seals free text about the person of an entry (a reason) for the context of its code. */
int reg_seal(struct nrm_ctx *c, const char *code, const char *text, char **out);

#endif
