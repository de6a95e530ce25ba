/* What the figures count, as data (data/stats/): the dated facts of a case (facts.json), the
 * dimensions figures are broken down by (dimensions.json) and the standard tables
 * (tables.json) with the disclosure threshold of each audience. From a case's data this
 * works out its facts and the values of its dimensions; the store keeps them with the case,
 * in the same transaction, so a period's figures are counts over indexes.
 * Read-only once loaded; shared by threads. */
#ifndef NRM_CORE_STATDEF_H
#define NRM_CORE_STATDEF_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"

struct statdef;
struct form;

/* Builds the definitions from the three documents and the case form (the fields, bindings
 * and code lists they name must exist). Keeps references. *out is freed with statdef_free. */
int statdef_load(json_t *facts, json_t *dims, json_t *tables, const struct form *f, struct statdef **out,
		 struct nrm_err *err);
void statdef_free(struct statdef *d);

/* The facts of a case from its whole data: a new array of {"kind", "code" (or null), "day"}. */
json_t *statdef_facts(const struct statdef *d, json_t *data);
/* Whether a fact of this kind is kept once per code (a list field: each service started). */
bool statdef_fact_per_code(const struct statdef *d, const char *kind);
/* Whether a person has at most one fact of this kind (identification): its counts over
 * consecutive periods add up. */
bool statdef_fact_once(const struct statdef *d, const char *kind);
/* The kind of the fact whose code is the formal decision (status follows it), or NULL. */
const char *statdef_decision_fact(const struct statdef *d);
/* Whether a person may have several values of the dimension (it reads a list field). */
bool statdef_dim_multi(const struct statdef *d, const char *name);
/* The dimension "code" of a fact kind that records what happened (a decision, the reason of
 * a closure, the service): borrowed, or NULL for a fact without codes. */
json_t *statdef_fact_dim(const struct statdef *d, const char *kind);
/* Whether kind names a fact of the definitions. */
bool statdef_has_fact(const struct statdef *d, const char *kind);

/* What the dimensions of a case are worked out from, besides its data. */
struct statdef_case {
	int age;                      /* at identification; -1 when unknown */
	bool child;
	const char *institution_type; /* of the identifying institution, or NULL */
};
/* The values of every dimension fixed by the case's data: a new object of dimension name →
 * array of values (at least one: "unknown" when the data say nothing). The dimensions
 * "status" and "stage" depend on a day and are not among them. */
json_t *statdef_dims(const struct statdef *d, json_t *data, const struct statdef_case *k);

/* Whether dimension `name` gives each person exactly the codes of the field bound to `binding`
 * (none mapped, banded, lifted to its top level or left out; "unknown" when there is none):
 * what a list filter on that field may read from the stored dimensions instead. */
bool statdef_dim_is_codes(const struct statdef *d, const char *name, const char *binding);
/* A dimension's definition (borrowed), or NULL. */
json_t *statdef_dimension(const struct statdef *d, const char *name);
/* Every dimension (borrowed array), and every standard table (borrowed array). */
json_t *statdef_dimensions(const struct statdef *d);
json_t *statdef_tables(const struct statdef *d);
json_t *statdef_table(const struct statdef *d, const char *name);
/* Every fact definition (borrowed array). */
json_t *statdef_fact_list(const struct statdef *d);
/* The audiences with their k and labels (borrowed object). */
json_t *statdef_audiences(const struct statdef *d);
/* The disclosure threshold k of an audience ("authority": 0, nothing hidden), or -1. */
int statdef_k(const struct statdef *d, const char *audience);

#endif
