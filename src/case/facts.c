/* What the figures count of a case, kept in line with its data in the case's own write
 * transaction: the dated facts (data/stats/facts.json), the stages it entered with their
 * days, and the values of the figures' dimensions (data/stats/dimensions.json).
 *
 * A fact happened on the day its date field holds, whenever it was recorded. When the data
 * say something else about a fact already recorded, that is a correction: the fact changes in
 * place, and when it touches a month that had ended by the day it was recorded — a month
 * whose figures may have been reported — it is kept as a revision (who, when and why come
 * from the case event). On a transition, a fact dated later than the one recorded (a case
 * closed again, decided again) happened again: the earlier one stays, counted on its day. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "core/date.h"
#include "core/statdef.h"
#include "store/figunit.h"
#include "store/stats.h"

/* The key of a fact among a case's: its kind, and its code when one fact is kept per code. */
static void key_of(const struct statdef *d, json_t *f, char *out, size_t cap)
{
	const char *kind = j_str(f, "kind");
	snprintf(out, cap, "%s|%s", kind, statdef_fact_per_code(d, kind) ? j_str(f, "code") : "");
}

/* Whether a change touching these days is a revision: one of them lies in a month that had
 * ended on `today`. */
static bool revises(const struct nrm_ctx *c, const char *old_day, const char *new_day)
{
	int y, m, d;
	date_to_ymd(c->today, &y, &m, &d);
	int32_t month_start = date_from_ymd(y, m, 1), n;
	return (old_day && date_parse(old_day, &n) == 0 && n < month_start) ||
	       (new_day && date_parse(new_day, &n) == 0 && n < month_start);
}

static const char *code_of(json_t *f)
{
	return json_string_value(json_object_get(f, "code"));
}

static int sync_facts(struct nrm_ctx *c, int64_t id, json_t *now, bool again, bool quiet, int64_t event)
{
	json_t *cur = NULL, *by_key = json_object(), *f;
	size_t i;
	char key[256];
	int rc = store_facts_current(c->db, id, &cur);
	if (rc)
		goto done;
	json_array_foreach(cur, i, f) {
		key_of(c->stats, f, key, sizeof key);
		json_object_set(by_key, key, f);
	}
	json_array_foreach(now, i, f) {
		key_of(c->stats, f, key, sizeof key);
		json_t *old = json_object_get(by_key, key);
		const char *kind = j_str(f, "kind"), *day = j_str(f, "day"), *code = code_of(f);
		if (!old) {
			rc = store_fact_add(c->db, id, kind, code, day, event);
			if (!rc && !quiet && revises(c, NULL, day))
				rc = store_revision_add(c->db, id, kind, NULL, NULL, code, day, event);
		} else {
			const char *oday = j_str(old, "day"), *ocode = code_of(old);
			bool same_code = (!code && !ocode) || (code && ocode && strcmp(code, ocode) == 0);
			if (strcmp(oday, day) == 0 && same_code) {
				/* unchanged */
			} else if (again && strcmp(day, oday) > 0) {
				rc = store_fact_retire(c->db, j_int(old, "id"));
				if (!rc)
					rc = store_fact_add(c->db, id, kind, code, day, event);
				if (!rc && !quiet && revises(c, NULL, day))
					rc = store_revision_add(c->db, id, kind, NULL, NULL, code, day, event);
			} else {
				rc = store_fact_set(c->db, j_int(old, "id"), code, day, event);
				if (!rc && !quiet && revises(c, oday, day))
					rc = store_revision_add(c->db, id, kind, ocode, oday, code, day, event);
			}
			json_object_del(by_key, key);
		}
		if (rc)
			goto done;
	}
	/* What the data no longer say happened. */
	const char *k;
	json_object_foreach(by_key, k, f) {
		if ((rc = store_fact_delete(c->db, j_int(f, "id"))))
			goto done;
		if (!quiet && revises(c, j_str(f, "day"), NULL) &&
		    (rc = store_revision_add(c->db, id, j_str(f, "kind"), code_of(f), j_str(f, "day"), NULL, NULL, event)))
			goto done;
	}
done:
	json_decref(by_key);
	json_decref(cur);
	return rc;
}

/* The day the case entered `stage`: the stage's own date field when the data hold one, else
 * `fallback`. */
static void stage_day(struct nrm_ctx *c, json_t *data, const char *stage, int32_t fallback, char out[DATE_LEN])
{
	const char *field = form_stage_date_field(c->form, stage);
	int32_t n;
	if (field && date_parse(j_str(data, field), &n) == 0 && n <= c->today)
		date_format(n, out);
	else
		date_format(fallback, out);
}

/* The latest stage entered follows its date field when that is corrected. */
static int redate_stage(struct nrm_ctx *c, int64_t id, json_t *data)
{
	json_t *stages;
	int rc = store_stages(c->db, id, &stages);
	if (rc)
		return rc;
	json_t *last = NULL, *g;
	size_t i;
	json_array_foreach(stages, i, g)
		if (!last || j_int(g, "id") > j_int(last, "id"))
			last = g;
	if (last) {
		char day[DATE_LEN];
		int32_t was = 0;
		date_parse(j_str(last, "day"), &was);
		stage_day(c, data, j_str(last, "stage"), was, day);
		if (strcmp(day, j_str(last, "day")) != 0)
			rc = store_stage_redate(c->db, j_int(last, "id"), day);
	}
	json_decref(stages);
	return rc;
}

static int sync_dims(struct nrm_ctx *c, int64_t id, json_t *data, int age)
{
	struct statdef_case k = {.age = age, .child = age >= 0 && age < 18};
	char *type = NULL;
	json_t *inst = json_object_get(data, FIELD(c, FB_IDENTIFYING_INSTITUTION));
	if (json_is_integer(inst) && store_institution_type(c->db, json_integer_value(inst), &type) == 0)
		k.institution_type = type;
	json_t *dims = statdef_dims(c->stats, data, &k);
	int rc = dims ? store_dims_replace(c->db, id, dims) : NRM_ENOMEM;
	json_decref(dims);
	free(type);
	return rc;
}

static const struct case_watch *watch;

void case_watch_set(const struct case_watch *w)
{
	watch = w;
}

int case_figures_hold(struct nrm_ctx *c, int64_t id, void **held)
{
	*held = NULL;
	return watch ? watch->hold(c, id, held) : 0;
}

void case_figures_drop(void *held)
{
	if (watch && held)
		watch->drop(held);
}

int case_figures_apply(struct nrm_ctx *c, int64_t id, void *held)
{
	if (watch)
		return watch->apply(c, id, held);
	bool any = false;
	int rc = store_fig_any(c->db, &any);
	return rc || !any ? rc : store_fig_clear(c->db);
}

/* The shared path: facts, dimensions, and the stage entered (if any); `fresh`: a new case,
 * counted for nothing before. */
static int figures_sync(struct nrm_ctx *c, int64_t id, json_t *data, int age, const char *entered, bool again, bool quiet,
			bool fresh)
{
	assert(c->stats);
	int64_t event = 0;
	void *held = NULL;
	json_t *facts = statdef_facts(c->stats, data);
	int rc = facts ? 0 : NRM_ENOMEM;
	if (!rc && !fresh)
		rc = case_figures_hold(c, id, &held);
	if (!rc)
		rc = store_event_last(c->db, id, &event);
	if (!rc)
		rc = sync_facts(c, id, facts, again, quiet, event);
	if (!rc)
		rc = sync_dims(c, id, data, age);
	if (!rc && entered) {
		char day[DATE_LEN];
		stage_day(c, data, entered, c->today, day);
		rc = store_stage_add(c->db, id, entered, day, event);
	}
	if (!rc)
		rc = redate_stage(c, id, data);
	if (!rc)
		rc = case_figures_apply(c, id, held);
	else
		case_figures_drop(held);
	json_decref(facts);
	return rc;
}

int case_figures_create(struct nrm_ctx *c, int64_t id, json_t *data, int age, json_t *history)
{
	int64_t event = 0;
	size_t i;
	json_t *h;
	int rc = store_event_last(c->db, id, &event);
	json_array_foreach(history, i, h)
		if (!rc)
			rc = store_stage_add(c->db, id, j_str(h, "stage"), j_str(h, "day"), event);
	/* A case registered late is not a correction: the revisions of a period list it apart. */
	return rc ? rc : figures_sync(c, id, data, age, NULL, false, true, true);
}

json_t *case_history(struct nrm_ctx *c, json_t *data, const char *stage)
{
	const char *initial = form_initial_stage(c->form), *closed = form_closed_stage(c->form);
	int32_t ident = 0, target = -1, n;
	date_parse(j_str(data, FIELD(c, FB_IDENTIFICATION_DATE)), &ident);
	char day[DATE_LEN];
	json_t *out = json_array(), *st;
	size_t i;
	date_format(ident, day);
	json_array_append_new(out, json_pack("{s:s, s:s}", "stage", initial, "day", day));
	if (strcmp(stage, initial) == 0)
		return out;
	const char *field = form_stage_date_field(c->form, stage);
	if (field && date_parse(j_str(data, field), &n) == 0 && n >= ident && n <= c->today)
		target = n;
	/* The stages between, in the order of their days (the workflow's order on the same day);
	 * the final stage only as the target (a closure date of an open case is an earlier one). */
	json_t *between = json_array();
	json_array_foreach(json_object_get(form_workflow(c->form), "stages"), i, st) {
		const char *code = j_str(st, "code"), *f = j_str(st, "date");
		if (strcmp(code, initial) == 0 || strcmp(code, stage) == 0 || strcmp(code, closed) == 0 || !*f ||
		    date_parse(j_str(data, f), &n) != 0 || n < ident || n > c->today || (target >= 0 && n > target))
			continue;
		size_t at = json_array_size(between);
		json_t *b;
		size_t k;
		json_array_foreach(between, k, b)
			if (j_int(b, "n") > n) {
				at = k;
				break;
			}
		json_array_insert_new(between, at, json_pack("{s:s, s:I}", "stage", code, "n", (json_int_t)n));
	}
	int32_t last = ident;
	json_array_foreach(between, i, st) {
		last = (int32_t)j_int(st, "n");
		date_format(last, day);
		json_array_append_new(out, json_pack("{s:s, s:s}", "stage", j_str(st, "stage"), "day", day));
	}
	json_decref(between);
	date_format(target >= 0 ? target : last, day);
	json_array_append_new(out, json_pack("{s:s, s:s}", "stage", stage, "day", day));
	return out;
}

int case_figures_change(struct nrm_ctx *c, int64_t id, json_t *data, int age, const char *entered)
{
	return figures_sync(c, id, data, age, entered, entered != NULL, false, false);
}

int case_figures_merged(struct nrm_ctx *c, int64_t id)
{
	json_t *cur;
	int64_t event = 0;
	int rc = store_facts_current(c->db, id, &cur);
	if (rc)
		return rc;
	rc = store_event_last(c->db, id, &event);
	size_t i;
	json_t *f;
	/* The facts stay (the case is left out of every count); a reported month loses a person. */
	json_array_foreach(cur, i, f)
		if (!rc && revises(c, j_str(f, "day"), NULL))
			rc = store_revision_add(c->db, id, j_str(f, "kind"), code_of(f), j_str(f, "day"), NULL, NULL, event);
	json_decref(cur);
	return rc;
}

/* ---- cases written before schema 5 ---- */

/* The stages a case entered, from its events: each transition's day is the day it was
 * recorded (in Tirane), except that the last entry of a stage takes its date field when the
 * data hold one. */
static int backfill_stages(struct nrm_ctx *c, int64_t id, json_t *data)
{
	json_t *events;
	int rc = store_events(c->db, id, &events);
	if (rc)
		return rc;
	size_t i, n = json_array_size(events);
	json_t *e;
	json_array_foreach(events, i, e) {
		const char *to = j_str(e, "to_stage");
		if (!*to || (strcmp(j_str(e, "action"), "create") != 0 && strcmp(j_str(e, "action"), "transition") != 0))
			continue;
		bool last_entry = true;
		for (size_t k = i + 1; k < n; k++)
			if (strcmp(j_str(json_array_get(events, k), "to_stage"), to) == 0)
				last_entry = false;
		time_t t = 0;
		date_stamp_parse(j_str(e, "ts"), &t);
		int32_t recorded = date_tirane_today(t);
		char day[DATE_LEN];
		if (last_entry)
			stage_day(c, data, to, recorded, day);
		else
			date_format(recorded, day);
		if ((rc = store_stage_add(c->db, id, to, day, j_int(e, "id"))))
			break;
	}
	json_decref(events);
	return rc;
}

int case_figures_backfill(struct nrm_ctx *c, int *count)
{
	json_t *ids = NULL, *row = NULL;
	/* Looked for once after each upgrade: this nrm figures every case it writes, and the
	 * look reads every case. */
	if (store_done(c->db, "cases_figured")) {
		*count = 0;
		return 0;
	}
	int rc = store_cases_unfigured(c->db, &ids);
	if (rc)
		goto done;
	if (json_array_size(ids) == 0) {
		if (!(rc = store_begin(c->db)) && !(rc = store_done_mark(c->db, "cases_figured")))
			rc = store_commit(c->db);
		if (rc)
			store_rollback(c->db);
		goto done;
	}
	/* Many cases figured at once: the kept figures are counted afresh when next asked. */
	if ((rc = store_begin(c->db)) || (rc = store_fig_clear(c->db)))
		goto done;
	size_t i;
	json_t *r;
	json_array_foreach(ids, i, r) {
		int64_t id = j_int(r, "id");
		if ((rc = store_case_get(c->db, NULL, id, &row)))
			break;
		/* The age at identification needs the birth date, a personal field. */
		json_t *data = json_deep_copy(json_object_get(row, "fields")), *personal = NULL;
		if ((rc = case_decrypt(c, id, &personal))) {
			json_decref(data);
			break;
		}
		json_object_update(data, personal);
		json_decref(personal);
		int years = case_age(c, data);
		if ((rc = store_case_set_age(c->db, id, years)) || (rc = backfill_stages(c, id, data)) ||
		    (rc = figures_sync(c, id, data, years, NULL, false, true, true))) {
			json_decref(data);
			break;
		}
		json_decref(data);
		json_decref(row);
		row = NULL;
	}
	if (!rc && !(rc = store_done_mark(c->db, "cases_figured")))
		rc = store_commit(c->db);
	if (rc)
		store_rollback(c->db);
	else
		*count = (int)json_array_size(ids);
done:
	json_decref(row);
	json_decref(ids);
	return rc;
}

int case_figures_redim(struct nrm_ctx *c, int *count)
{
	assert(store_in_tx(c->db));
	json_t *rows;
	int rc = store_fig_clear(c->db);
	if (rc || (rc = store_cases_for_figures(c->db, &rows)))
		return rc;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_t *age = json_object_get(r, "age");
		if ((rc = sync_dims(c, j_int(r, "id"), json_object_get(r, "fields"),
				    json_is_integer(age) ? (int)json_integer_value(age) : -1)))
			break;
	}
	if (!rc)
		*count = (int)json_array_size(rows);
	json_decref(rows);
	return rc;
}
