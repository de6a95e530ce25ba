/* Figures counted before anyone asks (stats_ahead): the first request of a period otherwise
 * counts every person of it — seconds at a million cases — and only then is the period kept
 * (stats/units.c). Asking for the products people ask for, in the order they ask for them,
 * counts and keeps each grid once; a grid kept already is read, which costs milliseconds, so
 * running this again after nothing changed is cheap. */
#include <assert.h>
#include <stdio.h>

#include "core/date.h"
#include "core/input.h"
#include "core/role.h"
#include "core/statdef.h"
#include "stats/internal.h"

/* The periods around `today`: of each kind, the one now running and the one just ended. */
static size_t periods_around(int32_t today, struct period out[8])
{
	static const char *const forms[] = {"%04d-%02d", "%04dQ%d", "%04dH%d", "%04d"};
	int y, m, d;
	date_to_ymd(today, &y, &m, &d);
	const int part[] = {m, (m - 1) / 3 + 1, (m - 1) / 6 + 1, 0};
	size_t n = 0;
	for (size_t i = 0; i < 4; i++) {
		char name[16];
		struct nrm_err ignored = {0};
		snprintf(name, sizeof name, forms[i], y, part[i]);
		if (period_parse(name, "period", &out[n], &ignored) != 0)
			continue;
		out[n + 1] = out[n];
		out[n] = period_previous(&out[n + 1]);
		n += 2;
	}
	return n;
}

/* One product, its answer dropped: what matters is what it left kept. A failure (busy, an
 * audience a period is not released to) is no reason to stop the others. */
static void ask(struct nrm_ctx *c, const char *table, const struct period *p, const char *audience, int *asked)
{
	json_t *out = NULL;
	struct nrm_err err = {0};
	int rc = table ? stats_table(c, table, p->name, NULL, audience, &out, &err)
		       : stats_figures(c, p->name, NULL, audience, &out, &err);
	if (rc == 0)
		(*asked)++;
	json_decref(out);
}

int stats_ahead(struct nrm_ctx *c, bool (*go_on)(void *), void *arg)
{
	assert(c->me && role_is_authority(c->me->role));
	struct period ps[8];
	size_t n = periods_around(c->today, ps), i;
	int asked = 0;
	const char *name;
	json_t *def, *t;
	for (size_t k = 0; k < n; k++) {
		const struct period *p = &ps[k];
		json_object_foreach(statdef_audiences(c->stats), name, def) {
			/* Outside the Authority only whole quarters, halves and years that have ended. */
			if (statdef_k(c->stats, name) > 1 && (p->kind == PERIOD_MONTH || !period_ended(p, c->today)))
				continue;
			if (go_on && !go_on(arg))
				return asked;
			ask(c, NULL, p, name, &asked);
			json_array_foreach(statdef_tables(c->stats), i, t) {
				if (go_on && !go_on(arg))
					return asked;
				ask(c, j_str(t, "name"), p, name, &asked);
			}
		}
	}
	return asked;
}
