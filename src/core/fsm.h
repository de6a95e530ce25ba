/* A state machine defined as data: its states in order, the states each may move to, the
 * roles that may move something into a state, and the fields that must be filled to enter
 * it (with more under named conditions, e.g. "child"). The case workflow is one
 * (data/forms/workflow.json); task states, minutes and report approvals are others.
 *
 * The definition:
 *   {"initial": S, "final": S?, "reopen": S?,
 *    "states" (or "stages"): [{"code", "label": {"sq", "en"}, "next": [S...], "roles": [ROLE...],
 *                             "requires": [FIELD...], "requires_if": {"COND": [FIELD...]}}]}
 * Leaving the final state goes back to the state it was entered from, or to "reopen".
 * A loaded machine is read-only and may be shared by threads. */
#ifndef NRM_CORE_FSM_H
#define NRM_CORE_FSM_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"

struct fsm;

/* Builds a machine from def (file names it in errors). Keeps a reference to def. *out is
 * freed with fsm_free. */
int fsm_load(json_t *def, const char *file, struct fsm **out, struct nrm_err *err);
void fsm_free(struct fsm *m);

const char *fsm_initial(const struct fsm *m);
/* The final and reopen states, or NULL when the definition has none. */
const char *fsm_final(const struct fsm *m);
const char *fsm_reopen(const struct fsm *m);
bool fsm_has(const struct fsm *m, const char *state);
/* Position of state in the definition's order, or -1. */
int fsm_index(const struct fsm *m, const char *state);
/* The definition of a state (borrowed), or NULL. */
json_t *fsm_state(const struct fsm *m, const char *state);
/* Whether a role may move something into state. */
bool fsm_role_enters(const struct fsm *m, const char *state, const char *role);

/* A proposed move. `previous` is the state before `from` (used when leaving the final state);
 * `conds` the NULL-terminated names of the conditions that hold ("child"), or NULL; `filled`
 * says whether a field has a value. */
struct fsm_move {
	const char *from, *to, *previous, *role;
	const char *const *conds;
	bool (*filled)(const char *field, void *ctx);
	void *ctx;
};

/* 0 when the move is allowed; otherwise fills err: unknown_stage (400), bad_transition or
 * reopen (409), stage_role (403), needed_for_stage naming the first missing field (400). */
int fsm_check(const struct fsm *m, const struct fsm_move *mv, struct nrm_err *err);
/* Only what being in mv->to requires (the fields of "requires" and of the conditions that
 * hold): for something that starts in a state, or stays in one while it changes. */
int fsm_requirements(const struct fsm *m, const struct fsm_move *mv, struct nrm_err *err);

#endif
