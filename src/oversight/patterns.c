/* The data-protection officer's queues: the latest reads of personal data, and the unusual
 * patterns of data/oversight/rules.json found in the trail — many cases read by one user in
 * a day, reads outside working hours or outside one's own county or institution, failed
 * logins, exports and prints of personal data, reasons repeated or very short. An item names
 * a user and a count; the reasons are opened only to be compared here, and go nowhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "oversight/internal.h"
#include "secure/crypt.h"
#include "store/audit.h"

static json_t *pattern(json_t *rules, const char *name)
{
	return json_object_get(json_object_get(rules, "patterns"), name);
}

static json_int_t num(json_t *o, const char *key, json_int_t dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

/* "HH:MM" as minutes of the day, or dflt. */
static int minutes(json_t *o, const char *key, int dflt)
{
	int h, m;
	const char *s = j_str(o, key);
	return sscanf(s, "%2d:%2d", &h, &m) == 2 ? h * 60 + m : dflt;
}

/* Appends s to b percent-encoded for a query string. */
static int url_part(struct buf *b, const char *s)
{
	int rc = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			rc = buf_append(b, p, 1);
		else
			rc = buf_printf(b, "%%%02X", *p);
	}
	return rc;
}

/* A link to the trail narrowed to a user (or a record), days and actions. */
static json_t *href(const char *user, const char *case_code, int32_t from, int32_t to, const char *actions)
{
	struct buf b = {0};
	char d[DATE_LEN];
	int rc = buf_puts(&b, "/audit?");
	if (user)
		rc = rc || buf_puts(&b, "user=") || url_part(&b, user);
	if (case_code)
		rc = rc || buf_puts(&b, user ? "&case=" : "case=") || url_part(&b, case_code);
	if (from >= 0) {
		date_format(from, d);
		rc = rc || buf_puts(&b, "&from=") || buf_puts(&b, d);
	}
	if (to >= 0) {
		date_format(to, d);
		rc = rc || buf_puts(&b, "&to=") || buf_puts(&b, d);
	}
	if (actions)
		rc = rc || buf_puts(&b, "&action=") || url_part(&b, actions);
	json_t *s = rc ? json_null() : json_string(b.p);
	buf_free(&b);
	return s;
}

/* A home item (CONTRACT.md §1) of a pattern. */
static json_t *item(struct nrm_ctx *c, json_t *rules, const char *name, const char *user, int32_t day, int32_t from,
		    json_int_t count, const char *actions)
{
	char d[DATE_LEN];
	date_format(day, d);
	bool urgent = count >= num(pattern(rules, name), "urgent", INT32_MAX);
	return json_pack("{s:s, s:o, s:s, s:i, s:s?, s:s, s:s, s:s, s:I}", "title", user, "href",
			 href(user, NULL, from, day, actions), "date", d, "days", (int)(c->today - day), "flag",
			 urgent ? "urgent" : NULL, "note", name, "pattern", name, "user", user, "count", count);
}

/* A day number written as a key. */
static int32_t day_of(const char *key)
{
	return (int32_t)strtol(key, NULL, 10);
}

/* The object under key in o, made when missing (a borrowed reference). */
static json_t *sub(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v) {
		v = json_object();
		json_object_set_new(o, key, v);
	}
	return v;
}

static void bump(json_t *o, const char *key)
{
	json_object_set_new(o, key, json_integer(j_int(o, key) + 1));
}

/* The number of UTF-8 characters of s. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* What is gathered per user: "days" {day: {cases, hours, outside, exports, failed}} and
 * "reasons" {normalised: {record: day}}, "short" n, "short_last" day. */
struct gather {
	struct nrm_ctx *c;
	json_t *rules, *users;
	int32_t first; /* the window's first day */
	int start, end; /* working hours, minutes of the day */
	json_t *weekdays, *scope_roles, *failed_actions;
};

static void read_row(struct gather *g, json_t *r, json_t *u, json_t *day, int32_t d, int minute, int wd)
{
	char record[96];
	snprintf(record, sizeof record, "%s:%s", j_str(r, "entity"), j_str(r, "entity_id"));
	json_object_set_new(sub(day, "cases"), record, json_true());
	if (d < g->first)
		return; /* the baseline: only what the user usually reads */
	bool working = minute >= g->start && minute < g->end;
	json_t *w;
	size_t i;
	bool weekday = false;
	json_array_foreach(g->weekdays, i, w)
		weekday |= json_integer_value(w) == wd;
	if (!working || !weekday)
		bump(day, "hours");
	if (strcmp(j_str(r, "entity"), "case") == 0 && j_int(r, "case_county") && j_has(g->scope_roles, j_str(r, "role"))) {
		int64_t uc = j_int(r, "user_county"), ui = j_int(r, "user_institution");
		if ((!uc && !ui) || (uc && j_int(r, "case_county") != uc) || (ui && j_int(r, "case_holder") != ui))
			json_object_set_new(sub(day, "outside"), record, json_true());
	}
	char *clear = ov_open_reason(g->c, r), *norm = NULL;
	if (clear && crypt_normalise(clear, &norm) == 0 && *norm) {
		json_object_set_new(sub(sub(u, "reasons"), norm), record, json_integer(d));
		if ((json_int_t)chars(clear) < num(pattern(g->rules, "short_reasons"), "length", 15)) {
			bump(u, "short");
			if (d > j_int(u, "short_last"))
				json_object_set_new(u, "short_last", json_integer(d));
		}
	}
	ov_wipe(norm);
	ov_wipe(clear);
}

static void gather_row(struct gather *g, json_t *r)
{
	int minute, wd;
	int32_t d = ov_local_day(j_str(r, "ts"), &minute, &wd);
	if (d < 0)
		return;
	char dk[16];
	snprintf(dk, sizeof dk, "%d", (int)d);
	json_t *u = sub(g->users, j_str(r, "username")), *day = sub(sub(u, "days"), dk);
	const char *action = j_str(r, "action");
	if (j_has(g->failed_actions, action)) {
		if (d >= g->first)
			bump(day, "failed");
	} else if (ov_read_personal(g->rules, r)) {
		if (j_has(json_object_get(g->rules, "reads"), action))
			read_row(g, r, u, day, d, minute, wd);
		else if (d >= g->first)
			bump(day, "exports");
	}
}

/* The patterns of one user's day. */
static void day_items(struct gather *g, json_t *items, const char *user, json_t *days, int32_t d, json_t *day)
{
	json_t *rules = g->rules, *many = pattern(rules, "many_cases");
	json_int_t n = (json_int_t)json_object_size(json_object_get(day, "cases"));
	/* The usual day: the mean of the days of the baseline before this one that read any. */
	json_int_t base = num(rules, "baseline_days", 90), sum = 0, active = 0;
	const char *k;
	json_t *o;
	json_object_foreach(days, k, o) {
		int32_t e = day_of(k);
		json_int_t m = (json_int_t)json_object_size(json_object_get(o, "cases"));
		if (e < d && e >= d - base && m) {
			sum += m;
			active++;
		}
	}
	double usual = active ? (double)sum / (double)active : 0;
	bool above = active && n >= num(many, "factor_min", 5) && (double)n >= (double)num(many, "factor", 3) * usual;
	if (n && (n >= num(many, "min", 10) || above)) {
		json_t *it = item(g->c, rules, "many_cases", user, d, d, n, "read_personal");
		if (active)
			json_object_set_new(it, "usual", json_real((double)(int)(usual * 10 + 0.5) / 10));
		json_array_append_new(items, it);
	}
	json_int_t h = j_int(day, "hours");
	if (h && h >= num(pattern(rules, "out_of_hours"), "min", 1))
		json_array_append_new(items, item(g->c, rules, "out_of_hours", user, d, d, h, "read_personal"));
	json_int_t out = (json_int_t)json_object_size(json_object_get(day, "outside"));
	if (out && out >= num(pattern(rules, "outside_scope"), "min", 5))
		json_array_append_new(items, item(g->c, rules, "outside_scope", user, d, d, out, "read_personal"));
	json_int_t f = j_int(day, "failed");
	if (f && f >= num(pattern(rules, "failed_logins"), "min", 5))
		json_array_append_new(items, item(g->c, rules, "failed_logins", user, d, d, f, "login_failed"));
	json_int_t x = j_int(day, "exports");
	if (x && x >= num(pattern(rules, "personal_exports"), "min", 1)) {
		char *acts = NULL;
		json_t *pi = json_object_get(rules, "personal_if");
		struct buf b = {0};
		size_t i;
		json_t *a;
		json_array_foreach(pi, i, a)
			if (buf_puts(&b, i ? "," : "") || buf_puts(&b, json_string_value(a)))
				break;
		acts = buf_take(&b);
		json_array_append_new(items, item(g->c, rules, "personal_exports", user, d, d, x, acts));
		free(acts);
	}
}

/* The patterns of a user's whole window: the same reason for many cases, short reasons. */
static void window_items(struct gather *g, json_t *items, const char *user, json_t *u)
{
	json_t *rules = g->rules, *set;
	const char *k;
	json_int_t best = 0;
	int32_t last = -1;
	json_object_foreach(json_object_get(u, "reasons"), k, set) {
		json_int_t n = (json_int_t)json_object_size(set);
		if (n < best)
			continue;
		if (n > best)
			last = -1; /* the day of the most repeated reason's last use */
		best = n;
		const char *rk;
		json_t *d;
		json_object_foreach(set, rk, d)
			if (json_integer_value(d) > last)
				last = (int32_t)json_integer_value(d);
	}
	if (best && best >= num(pattern(rules, "same_reason"), "min", 8))
		json_array_append_new(items, item(g->c, rules, "same_reason", user, last, g->first, best, "read_personal"));
	json_int_t s = j_int(u, "short");
	if (s && s >= num(pattern(rules, "short_reasons"), "min", 5))
		json_array_append_new(items, item(g->c, rules, "short_reasons", user, (int32_t)j_int(u, "short_last"), g->first, s,
						  "read_personal"));
}

static int newest_first(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(j_str(y, "date"), j_str(x, "date"));
	if (c)
		return c;
	json_int_t nx = j_int(x, "count"), ny = j_int(y, "count");
	return nx < ny ? 1 : nx > ny ? -1 : strcmp(j_str(x, "title"), j_str(y, "title"));
}

static json_t *sorted(json_t *items)
{
	size_t n = json_array_size(items);
	json_t **v = calloc(n ? n : 1, sizeof *v), *out = json_array();
	if (!v)
		return out;
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(items, i);
	qsort(v, n, sizeof *v, newest_first);
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	return out;
}

int oversight_patterns(struct nrm_ctx *c, int days, json_t **out, struct nrm_err *err)
{
	if (!ov_officer(c, err))
		return NRM_EFORBIDDEN;
	json_t *rules = NULL, *rows = NULL, *items = json_array(), *acts = NULL;
	char *actions = NULL;
	int rc = ov_rules(c, &rules, err);
	if (rc)
		goto done;
	if (days == 0)
		days = (int)num(rules, "window_days", 30);
	if (days < 1 || days > 366) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_out_of_range, "days", NULL);
		goto done;
	}
	struct gather g = {.c = c, .rules = rules, .users = json_object(), .first = c->today - days + 1};
	json_t *hours = pattern(rules, "out_of_hours");
	g.start = minutes(hours, "start", 8 * 60);
	g.end = minutes(hours, "end", 17 * 60);
	g.weekdays = json_object_get(hours, "weekdays");
	g.scope_roles = json_object_get(pattern(rules, "outside_scope"), "roles");
	g.failed_actions = json_object_get(pattern(rules, "failed_logins"), "actions");
	acts = json_array();
	json_array_extend(acts, json_object_get(rules, "reads"));
	json_array_extend(acts, json_object_get(rules, "personal_if"));
	json_array_extend(acts, g.failed_actions);
	char since[21];
	ov_day_start(g.first - (int32_t)num(rules, "baseline_days", 90), since);
	if (!(actions = json_dumps(acts, JSON_COMPACT)))
		rc = NRM_ENOMEM;
	if (!rc)
		rc = store_audit_since(c->db, actions, since, &rows);
	if (!rc) {
		size_t i;
		json_t *r, *u, *day;
		const char *user, *dk;
		json_array_foreach(rows, i, r)
			gather_row(&g, r);
		json_object_foreach(g.users, user, u) {
			json_t *ds = json_object_get(u, "days");
			json_object_foreach(ds, dk, day)
				if (day_of(dk) >= g.first)
					day_items(&g, items, user, ds, day_of(dk), day);
			window_items(&g, items, user, u);
		}
		*out = sorted(items);
	}
	json_decref(g.users);
done:
	free(actions);
	json_decref(acts);
	json_decref(items);
	json_decref(rows);
	json_decref(rules);
	return rc;
}

int oversight_recent_reads(struct nrm_ctx *c, int limit, json_t **out, struct nrm_err *err)
{
	if (!ov_officer(c, err))
		return NRM_EFORBIDDEN;
	if (limit < 1 || limit > 100)
		return nrm_fail(err, NRM_EINVAL, KEY_out_of_range, "limit", NULL);
	json_t *rules = NULL, *rows = NULL, *items = json_array(), *r;
	char *actions = NULL;
	int rc = ov_rules(c, &rules, err);
	if (rc)
		goto done;
	if (!(actions = ov_read_actions(rules))) {
		rc = NRM_ENOMEM;
		goto done;
	}
	/* Prints and exports without personal data are among the newest rows too: ask for more. */
	if ((rc = store_audit_latest(c->db, actions, limit * 4, &rows)))
		goto done;
	size_t i;
	json_array_foreach(rows, i, r) {
		if (json_array_size(items) >= (size_t)limit)
			break;
		if (!ov_read_personal(rules, r))
			continue;
		int32_t d = ov_local_day(j_str(r, "ts"), NULL, NULL);
		char day[DATE_LEN];
		date_format(d, day);
		bool is_case = strcmp(j_str(r, "entity"), "case") == 0 && *j_str(r, "entity_id");
		json_t *link = is_case ? href(NULL, j_str(r, "entity_id"), -1, -1, NULL) : href(j_str(r, "username"), NULL, d, d, j_str(r, "action"));
		json_array_append_new(items, json_pack("{s:s, s:o, s:s, s:i, s:n, s:s, s:o, s:O}", "title", j_str(r, "username"),
						       "href", link, "date", day, "days", (int)(c->today - d), "flag",
						       "note", j_str(r, "action"), "case",
						       is_case ? json_string(j_str(r, "entity_id")) : json_null(), "ts",
						       json_object_get(r, "ts")));
	}
	*out = items;
	items = NULL;
done:
	free(actions);
	json_decref(items);
	json_decref(rows);
	json_decref(rules);
	return rc;
}
