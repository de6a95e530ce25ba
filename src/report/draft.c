/* A report's sections drafted from the live data, each as numbered tables the renderers print
 * alike: figures of cases from the statistics engine and of the registers from theirs, both for
 * the report's audience; the issuing bodies' meetings, tasks and seats; the county's
 * agreements; the cases a Table's meeting handled (by code); each KRAT's performance. Nothing
 * personal of a victim is read: only codes, counts and the registers' public parts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/labels.h"
#include "meeting/meeting.h"
#include "monitor/monitor.h"
#include "org/org.h"
#include "prevention/prevention.h"
#include "report/internal.h"
#include "stats/stats.h"
#include "store/agreement.h"
#include "store/case.h"
#include "store/meeting.h"
#include "store/org.h"

static json_t *L2(const char *sq, const char *en)
{
	return json_pack("{s:s, s:s}", "sq", sq ? sq : "", "en", en ? en : (sq ? sq : ""));
}

/* A label of the labels' group as {sq, en}. */
static json_t *label(struct nrm_ctx *c, const char *group, const char *code)
{
	return L2(labels_get(c->labels, group, code, "sq"), labels_get(c->labels, group, code, "en"));
}

static json_t *table(json_t *title, json_t *columns)
{
	return json_pack("{s:o, s:o, s:[]}", "title", title, "columns", columns, "rows");
}

static void row(json_t *t, json_t *cells)
{
	json_array_append_new(json_object_get(t, "rows"), cells);
}

/* A figures table of the statistics (columns, blocks of rows with cells) as a report's table. */
static json_t *from_stats(json_t *st)
{
	json_t *cols = json_array(), *c, *b, *r;
	json_array_append_new(cols, L2("", ""));
	size_t i, j;
	json_array_foreach(json_object_get(st, "columns"), i, c)
		json_array_append(cols, json_object_get(c, "label"));
	json_t *t = table(json_incref(json_object_get(st, "label")), cols);
	json_array_foreach(json_object_get(st, "blocks"), i, b) json_array_foreach(json_object_get(b, "rows"), j, r) {
		json_t *cells = json_array();
		json_t *lab = json_deep_copy(json_object_get(r, "label"));
		/* A sub-level (a labour industry under labour) is indented. */
		if (json_integer_value(json_object_get(r, "level")) > 0) {
			const char *langs[] = {"sq", "en"};
			for (int k = 0; k < 2; k++) {
				char ind[300];
				snprintf(ind, sizeof ind, "   %s", json_string_value(json_object_get(lab, langs[k])));
				json_object_set_new(lab, langs[k], json_string(ind));
			}
		}
		json_array_append_new(cells, lab);
		json_array_extend(cells, json_object_get(r, "cells"));
		row(t, cells);
	}
	return t;
}

static json_t *case_figures(struct nrm_ctx *c, const struct report_type *t, const struct report_scope *s,
			    struct nrm_err *err)
{
	json_t *f;
	if (stats_figures(c, s->p.name, s->county ? s->county_slug : NULL, t->audience, &f, err) != 0)
		return NULL;
	json_t *tables = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(f, "flows"), i, x)
		json_array_append_new(tables, from_stats(x));
	if (json_object_get(f, "open"))
		json_array_append_new(tables, from_stats(json_object_get(f, "open")));
	json_t *ref = json_object_get(f, "referrals");
	if (json_is_object(ref)) {
		json_t *rt = table(L2("Referimet brenda nrm", "Referrals within nrm"), json_pack("[{s:s, s:s}, {s:s, s:s}]", "sq",
								   "", "en", "", "sq", "Numri", "en", "Number"));
		static const char *const keys[][3] = {{"made", "Të bëra", "Made"},
						      {"answered", "Me përgjigje", "Answered"},
						      {"accepted", "Të pranuara", "Accepted"},
						      {"declined", "Të refuzuara", "Declined"},
						      {"pending", "Në pritje", "Pending"}};
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
			row(rt, json_pack("[o, O]", L2(keys[k][1], keys[k][2]), json_object_get(ref, keys[k][0])));
		json_array_append_new(tables, rt);
	}
	json_decref(f);
	return tables;
}

static json_t *register_figures(struct nrm_ctx *c, const struct report_type *t, const struct report_scope *s,
				struct nrm_err *err)
{
	json_t *f;
	const char *audience = strcmp(t->audience, "authority") == 0 ? NULL : t->audience;
	if (reg_figures(c, s->county ? s->county_slug : NULL, s->p.name, audience, &f, err) != 0)
		return NULL;
	json_t *tables = json_array(), *b, *fig, *r;
	size_t i, j, k;
	json_array_foreach(json_object_get(f, "registers"), i, b) {
		json_t *tb = table(json_incref(json_object_get(b, "label")),
				   json_pack("[o, o]", L2("", ""), L2("Numri", "Number")));
		if (json_object_get(b, "withheld")) {
			json_object_set(tb, "withheld", json_object_get(b, "withheld"));
			json_array_append_new(tables, tb);
			continue;
		}
		json_array_foreach(json_object_get(b, "figures"), j, fig) {
			row(tb, json_pack("[O, O]", json_object_get(fig, "label"), json_object_get(fig, "value")));
			json_array_foreach(json_object_get(fig, "rows"), k, r) {
				json_t *lab = json_object_get(r, "label");
				char sq[300], en[300];
				snprintf(sq, sizeof sq, "   %s", json_string_value(json_object_get(lab, "sq")));
				snprintf(en, sizeof en, "   %s", json_string_value(json_object_get(lab, "en")));
				row(tb, json_pack("[o, O]", L2(sq, en), json_object_get(r, "value")));
			}
		}
		json_array_append_new(tables, tb);
	}
	json_decref(f);
	return tables;
}

/* The bodies a section names (their kinds) in the report's county, or the national ones. */
static json_t *bodies_of(struct nrm_ctx *c, json_t *section, const struct report_scope *s)
{
	json_t *ids = json_array(), *k;
	size_t i;
	json_array_foreach(json_object_get(section, "bodies"), i, k) {
		int64_t id;
		if (store_body_find(c->db, json_string_value(k), s->county, &id) == 0)
			json_array_append_new(ids, json_integer(id));
	}
	return ids;
}

static json_t *body_title(struct nrm_ctx *c, int64_t body, const char *what_sq, const char *what_en)
{
	json_t *b = NULL;
	char sq[300], en[300];
	struct nrm_err ignored = {0};
	if (org_body(c, body, &b, &ignored) != 0)
		return L2(what_sq, what_en);
	snprintf(sq, sizeof sq, "%s — %s", what_sq, j_str(b, "name"));
	snprintf(en, sizeof en, "%s — %s", what_en, *j_str(b, "name_en") ? j_str(b, "name_en") : j_str(b, "name"));
	json_decref(b);
	return L2(sq, en);
}

static json_t *meetings(struct nrm_ctx *c, json_t *section, const struct report_scope *s)
{
	json_t *tables = json_array(), *ids = bodies_of(c, section, s), *id;
	size_t i, j;
	json_array_foreach(ids, i, id) {
		int64_t body = (int64_t)json_integer_value(id);
		json_t *ms;
		if (store_meetings(c->db, body, &ms) != 0)
			continue;
		json_t *t = table(body_title(c, body, "Mbledhjet", "Meetings"),
				  json_pack("[o, o, o, o]", L2("Data", "Date"), L2("Lloji", "Kind"), L2("Gjendja", "Status"),
					    L2("Titulli", "Title")));
		json_int_t held = 0, ordinary = 0;
		json_t *m;
		json_array_foreach(ms, j, m) {
			const char *day = j_str(m, "date");
			if (strcmp(day, s->first) < 0 || strcmp(day, s->last) > 0)
				continue;
			if (s->meeting && j_int(m, "id") != s->meeting)
				continue;
			bool was = strcmp(j_str(m, "status"), "held") == 0;
			held += was;
			ordinary += was && strcmp(j_str(m, "kind"), "ordinary") == 0;
			row(t, json_pack("[s, o, o, s]", day, label(c, "meeting_kind", j_str(m, "kind")),
					 label(c, "meeting_status", j_str(m, "status")), j_str(m, "title")));
		}
		json_decref(ms);
		json_object_set_new(t, "summary", json_pack("{s:I, s:I}", "held", held, "ordinary", ordinary));
		json_array_append_new(tables, t);
	}
	json_decref(ids);
	return tables;
}

static json_t *tasks(struct nrm_ctx *c, json_t *section, const struct report_scope *s)
{
	json_t *tables = json_array(), *ids = bodies_of(c, section, s), *id;
	size_t i, j;
	json_array_foreach(ids, i, id) {
		int64_t body = (int64_t)json_integer_value(id);
		json_t *list = NULL, *x;
		struct nrm_err ignored = {0};
		if (meeting_tasks(c, body, 0, 0, NULL, &list, &ignored) != 0)
			continue;
		json_t *t = table(body_title(c, body, "Detyrat e dhëna në periudhë", "Tasks given in the period"),
				  json_pack("[o, o, o, o]", L2("Detyra", "Task"), L2("Institucioni", "Institution"),
					    L2("Afati", "Due"), L2("Gjendja", "Status")));
		json_int_t given = 0, done = 0, overdue = 0;
		json_array_foreach(list, j, x) {
			const char *day = j_str(x, "meeting_date");
			if (strcmp(day, s->first) < 0 || strcmp(day, s->last) > 0)
				continue;
			if (s->meeting && j_int(x, "meeting") != s->meeting)
				continue;
			const char *st = json_is_true(json_object_get(x, "overdue")) ? "overdue" : j_str(x, "status");
			given++;
			done += strcmp(j_str(x, "status"), "done") == 0;
			overdue += strcmp(st, "overdue") == 0;
			row(t, json_pack("[s, s, s, o]", j_str(x, "title"), j_str(x, "institution_name"), j_str(x, "due"),
					 label(c, "task_status", st)));
		}
		json_decref(list);
		json_object_set_new(t, "summary", json_pack("{s:I, s:I, s:I}", "given", given, "done", done, "overdue", overdue));
		json_array_append_new(tables, t);
	}
	json_decref(ids);
	return tables;
}

static json_t *seats(struct nrm_ctx *c, json_t *section, const struct report_scope *s)
{
	json_t *ids = bodies_of(c, section, s), *id;
	json_t *t = table(L2("Vendet në organe", "Seats in the bodies"),
			  json_pack("[o, o, o, o, o]", L2("Organi", "Body"), L2("Vende", "Seats"), L2("Të plotësuara", "Filled"),
				    L2("Të lira", "Vacant"), L2("Me emërim të vonuar", "Nomination overdue")));
	size_t i;
	json_array_foreach(ids, i, id) {
		json_t *b = NULL;
		struct nrm_err ignored = {0};
		if (org_body(c, (int64_t)json_integer_value(id), &b, &ignored) != 0)
			continue;
		json_t *sum = json_object_get(b, "summary");
		row(t, json_pack("[o, O, O, O, O]", L2(j_str(b, "name"), j_str(b, "name_en")), json_object_get(sum, "seats"),
				 json_object_get(sum, "filled"), json_object_get(sum, "vacant"), json_object_get(sum, "overdue")));
		json_decref(b);
	}
	json_decref(ids);
	return json_pack("[o]", t);
}

static json_t *agreements(struct nrm_ctx *c, const struct report_scope *s)
{
	json_t *list, *a;
	json_t *t = table(L2("Marrëveshjet në fuqi në fund të periudhës", "Agreements in force at the period's end"),
			  json_pack("[o, o, o, o]", L2("Pala", "Party"), L2("Titulli", "Title"), L2("Nënshkruar", "Signed"),
				    L2("Në fuqi deri", "Valid until")));
	if (s->county && store_agreements(c->db, s->county, 0, 10000, &list) == 0) {
		size_t i;
		json_array_foreach(list, i, a) {
			const char *from = *j_str(a, "valid_from") ? j_str(a, "valid_from") : j_str(a, "signed"),
				   *until = j_str(a, "valid_until");
			if (strcmp(from, s->last) > 0 || (*until && strcmp(until, s->last) < 0))
				continue;
			row(t, json_pack("[s, s, s, s]", j_str(a, "counterpart"), j_str(a, "title"), j_str(a, "signed"), until));
		}
		json_decref(list);
	}
	return json_pack("[o]", t);
}

/* The cases on the agenda of a Table's meeting, by code, with the stage each is in now. */
static json_t *meeting_cases(struct nrm_ctx *c, const struct report_scope *s)
{
	json_t *t = table(L2("Rastet e shqyrtuara", "Cases handled"),
			  json_pack("[o, o, o]", L2("Kodi i rastit", "Case code"), L2("Çështja", "Agenda item"),
				    L2("Faza sot", "Stage now")));
	json_t *m = NULL;
	struct nrm_err ignored = {0};
	if (s->meeting && meeting_get(c, s->meeting, &m, &ignored) == 0) {
		size_t i, j;
		json_t *it, *code;
		json_array_foreach(json_object_get(m, "agenda"), i, it) json_array_foreach(
			json_object_get(json_object_get(it, "refs"), "cases"), j, code) {
			json_t *cs = NULL;
			const char *stage = "";
			if (json_is_string(code) && store_case_get(c->db, json_string_value(code), 0, &cs) == 0)
				stage = j_str(cs, "stage");
			row(t, json_pack("[O, s, s]", code, j_str(it, "title"), stage));
			json_decref(cs);
		}
	}
	json_decref(m);
	return json_pack("[o]", t);
}

/* Each KRAT's performance in the report's period: the KRAT scorecard (src/monitor/), one table
 * per group of its indicators, counties and the national row — the same figures and labels the
 * Ministry's scorecard screen and files show. */
static json_t *krat_performance(struct nrm_ctx *c, const struct report_scope *s, struct nrm_err *err)
{
	json_t *sc;
	if (monitor_scorecard(c, s->p.name, NULL, &sc, err) != 0)
		return NULL;
	json_t *tables = json_array(), *g, *ind, *r;
	size_t i, j, k;
	json_array_foreach(json_object_get(sc, "groups"), i, g) {
		const char *group = j_str(g, "id");
		json_t *cols = json_pack("[o]", L2("Qarku", "County"));
		json_array_foreach(json_object_get(sc, "indicators"), j, ind)
			if (strcmp(j_str(ind, "group"), group) == 0)
				json_array_append(cols, json_object_get(ind, "label"));
		char sq[200], en[200];
		snprintf(sq, sizeof sq, "Performanca e KRAT-eve — %s", monitor_text(json_object_get(g, "label"), "sq"));
		snprintf(en, sizeof en, "The KRATs' performance — %s", monitor_text(json_object_get(g, "label"), "en"));
		json_t *t = table(L2(sq, en), cols);
		json_t *all = json_copy(json_object_get(sc, "rows"));
		if (json_is_object(json_object_get(sc, "national")))
			json_array_append_new(all, json_pack("{s:s, s:s, s:O}", "name", "Kombëtare", "name_en", "National", "values",
							     json_object_get(json_object_get(sc, "national"), "values")));
		json_array_foreach(all, k, r) {
			json_t *cells = json_pack("[o]", L2(j_str(r, "name"), j_str(r, "name_en")));
			json_array_foreach(json_object_get(sc, "indicators"), j, ind) {
				if (strcmp(j_str(ind, "group"), group) != 0)
					continue;
				json_t *v = json_object_get(json_object_get(r, "values"), j_str(ind, "id"));
				json_array_append_new(cells, json_is_null(v) || !v ? json_string("–") : json_incref(v));
			}
			row(t, cells);
		}
		json_decref(all);
		json_array_append_new(tables, t);
	}
	json_decref(sc);
	return tables;
}

json_t *report_sections(struct nrm_ctx *c, const struct report_type *t, const struct report_scope *s, json_t *narrative)
{
	json_t *out = json_array(), *sec;
	size_t i;
	json_array_foreach(json_object_get(t->doc, "sections"), i, sec) {
		const char *kind = j_str(sec, "kind"), *id = j_str(sec, "id");
		json_t *v = json_pack("{s:s, s:s, s:O}", "id", id, "kind", kind, "label", json_object_get(sec, "label"));
		if (json_object_get(sec, "help"))
			json_object_set(v, "help", json_object_get(sec, "help"));
		struct nrm_err err = {0};
		json_t *tables = NULL;
		if (strcmp(kind, "text") == 0)
			json_object_set_new(v, "text", json_string(j_str(narrative, id)));
		else if (strcmp(kind, "case_figures") == 0)
			tables = case_figures(c, t, s, &err);
		else if (strcmp(kind, "register_figures") == 0)
			tables = register_figures(c, t, s, &err);
		else if (strcmp(kind, "meetings") == 0)
			tables = meetings(c, sec, s);
		else if (strcmp(kind, "tasks") == 0)
			tables = tasks(c, sec, s);
		else if (strcmp(kind, "seats") == 0)
			tables = seats(c, sec, s);
		else if (strcmp(kind, "agreements") == 0)
			tables = agreements(c, s);
		else if (strcmp(kind, "meeting_cases") == 0)
			tables = meeting_cases(c, s);
		else if (strcmp(kind, "krat_performance") == 0)
			tables = krat_performance(c, s, &err);
		/* Figures that may not leave yet (a period not ended) say why, by key. */
		if (tables)
			json_object_set_new(v, "tables", tables);
		else if (strcmp(kind, "text") != 0)
			json_object_set_new(v, "withheld", json_string(err.code ? nrm_key_name(err.key) : "internal"));
		json_array_append_new(out, v);
	}
	return out;
}
