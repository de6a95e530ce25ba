/* State machines defined as data. */
#include "core/fsm.h"

#include <stdlib.h>
#include <string.h>

struct fsm {
	json_t *def;
	json_t *states; /* code → definition */
	json_t *order;  /* code → index */
	const char *initial, *final, *reopen;
};

static const char *s_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static bool listed(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

void fsm_free(struct fsm *m)
{
	if (!m)
		return;
	json_decref(m->def);
	json_decref(m->states);
	json_decref(m->order);
	free(m);
}

/* A named special state must be a state when given. */
static int special(struct fsm *m, const char *key, const char **out, bool required, const char *file,
		   struct nrm_err *err)
{
	json_t *v = json_object_get(m->def, key);
	*out = NULL;
	if (!v && !required)
		return 0;
	if (!json_is_string(v) || !json_object_get(m->states, json_string_value(v)))
		return nrm_fail_file(err, NRM_EINVAL, file, "%s", required ? "\"initial\" must name one of the states"
					       : "\"final\" and \"reopen\" must name states");
	*out = json_string_value(v);
	return 0;
}

int fsm_load(json_t *def, const char *file, struct fsm **out, struct nrm_err *err)
{
	struct fsm *m = calloc(1, sizeof *m);
	if (!m)
		return nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	m->def = json_incref(def);
	m->states = json_object();
	m->order = json_object();
	json_t *list = json_object_get(def, "states");
	if (!list)
		list = json_object_get(def, "stages");
	int rc = 0;
	size_t i, j;
	json_t *st, *n;
	if (!json_is_array(list) || json_array_size(list) == 0) {
		rc = nrm_fail_file(err, NRM_EINVAL, file, "a state machine needs a list of states");
		goto fail;
	}
	json_array_foreach(list, i, st) {
		const char *code = s_of(st, "code");
		if (!code || json_object_get(m->states, code)) {
			rc = nrm_fail_file(err, NRM_EINVAL, file, "every state needs a code of its own");
			goto fail;
		}
		json_object_set(m->states, code, st);
		json_object_set_new(m->order, code, json_integer((json_int_t)i));
	}
	json_array_foreach(list, i, st)
		json_array_foreach(json_object_get(st, "next"), j, n)
			if (!json_is_string(n) || !json_object_get(m->states, json_string_value(n))) {
				rc = nrm_fail_file(err, NRM_EINVAL, file, "\"next\" names a state that does not exist");
				goto fail;
			}
	if ((rc = special(m, "initial", &m->initial, true, file, err)) ||
	    (rc = special(m, "final", &m->final, false, file, err)) ||
	    (rc = special(m, "reopen", &m->reopen, false, file, err)))
		goto fail;
	*out = m;
	return 0;
fail:
	fsm_free(m);
	return rc;
}

const char *fsm_initial(const struct fsm *m) { return m->initial; }
const char *fsm_final(const struct fsm *m) { return m->final; }
const char *fsm_reopen(const struct fsm *m) { return m->reopen; }

bool fsm_has(const struct fsm *m, const char *state)
{
	return state && json_object_get(m->states, state) != NULL;
}

int fsm_index(const struct fsm *m, const char *state)
{
	json_t *v = state ? json_object_get(m->order, state) : NULL;
	return v ? (int)json_integer_value(v) : -1;
}

json_t *fsm_state(const struct fsm *m, const char *state)
{
	return state ? json_object_get(m->states, state) : NULL;
}

bool fsm_role_enters(const struct fsm *m, const char *state, const char *role)
{
	return listed(json_object_get(fsm_state(m, state), "roles"), role);
}

static int requires(json_t *list, const struct fsm_move *mv, struct nrm_err *err)
{
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
		if (json_is_string(f) && !mv->filled(json_string_value(f), mv->ctx))
			return nrm_fail(err, NRM_EINVAL, KEY_needed_for_stage, json_string_value(f), "to", mv->to, NULL);
	return 0;
}

int fsm_check(const struct fsm *m, const struct fsm_move *mv, struct nrm_err *err)
{
	json_t *src = fsm_state(m, mv->from), *dst = fsm_state(m, mv->to);
	if (!dst)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_stage, "to", NULL);
	if (!src || !listed(json_object_get(src, "next"), mv->to))
		return nrm_fail(err, NRM_ECONFLICT, KEY_bad_transition, "to", "from", mv->from ? mv->from : "", "to",
				mv->to, NULL);
	/* Leaving the final state goes back where it came from, or to the reopening state. */
	if (m->final && strcmp(mv->from, m->final) == 0 && !(m->reopen && strcmp(mv->to, m->reopen) == 0) &&
	    !(mv->previous && strcmp(mv->to, mv->previous) == 0))
		return nrm_fail(err, NRM_ECONFLICT, KEY_reopen, "to", "reopen", m->reopen ? m->reopen : "",
				"previous", mv->previous ? mv->previous : "", NULL);
	if (!fsm_role_enters(m, mv->to, mv->role))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_stage_role, "to", "to", mv->to, NULL);
	return fsm_requirements(m, mv, err);
}

int fsm_requirements(const struct fsm *m, const struct fsm_move *mv, struct nrm_err *err)
{
	json_t *dst = fsm_state(m, mv->to);
	if (!dst)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_stage, "to", NULL);
	int rc = requires(json_object_get(dst, "requires"), mv, err);
	json_t *when = json_object_get(dst, "requires_if");
	for (const char *const *c = mv->conds; !rc && c && *c; c++)
		rc = requires(json_object_get(when, *c), mv, err);
	return rc;
}
