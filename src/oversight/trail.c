/* The audit trail narrowed by user, case, action and dates, with the fields read and the
 * reasons given, and its export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "oversight/internal.h"
#include "render/table.h"
#include "secure/audit.h"
#include "secure/crypt.h"
#include "secure/perm.h"
#include "store/audit.h"

/* The filter as the store takes it; *actions and *echo are new (free / json_decref them). */
struct narrowed {
	struct audit_filter f;
	char since[21], until[21];
	char *actions;
	json_t *echo; /* the filter as given, for the audit row of a viewing or an export */
};

static const char *given(const char *s)
{
	return s && *s ? s : NULL;
}

static bool names_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_' || *s == ','))
			return false;
	return true;
}

/* "read_personal,print" → ["read_personal","print"]. */
static int actions_of(const char *list, char **out, struct nrm_err *err)
{
	if (strlen(list) > 400 || !names_ok(list))
		return nrm_fail(err, NRM_EINVAL, KEY_invalid, "action", NULL);
	json_t *arr = json_array();
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n)
			json_array_append_new(arr, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	int rc = 0;
	if (!json_array_size(arr))
		rc = nrm_fail(err, NRM_EINVAL, KEY_invalid, "action", NULL);
	else if (!(*out = json_dumps(arr, JSON_COMPACT)))
		rc = NRM_ENOMEM;
	json_decref(arr);
	return rc;
}

static int narrow(const struct oversight_filter *in, struct narrowed *n, struct nrm_err *err)
{
	memset(n, 0, sizeof *n);
	n->echo = json_object();
	const char *user = given(in->user), *code = given(in->case_code), *action = given(in->action);
	const char *from = given(in->from), *to = given(in->to);
	int32_t first = 0, last = 0;
	int rc = 0;
	if (user && strlen(user) > 64)
		rc = nrm_fail(err, NRM_EINVAL, KEY_too_long, "user", "max", "64", NULL);
	else if (code && strlen(code) > 40)
		rc = nrm_fail(err, NRM_EINVAL, KEY_too_long, "case", "max", "40", NULL);
	else if (given(in->entity) && strlen(in->entity) > 40)
		rc = nrm_fail(err, NRM_EINVAL, KEY_too_long, "entity", "max", "40", NULL);
	else if (given(in->entity_id) && strlen(in->entity_id) > 40)
		rc = nrm_fail(err, NRM_EINVAL, KEY_too_long, "entity_id", "max", "40", NULL);
	if (!rc && from)
		rc = date_field(from, "from", &first, err);
	if (!rc && to)
		rc = date_field(to, "to", &last, err);
	if (!rc && from && to && last < first)
		rc = nrm_fail(err, NRM_EINVAL, KEY_date_before, "to", "other", "from", NULL);
	if (!rc && action)
		rc = actions_of(action, &n->actions, err);
	if (rc) {
		json_decref(n->echo);
		n->echo = NULL;
		return rc;
	}
	n->f.username = user;
	n->f.entity = code ? "case" : given(in->entity);
	n->f.entity_id = code ? code : given(in->entity_id);
	n->f.actions = n->actions;
	if (from) {
		ov_day_start(first, n->since);
		n->f.since = n->since;
	}
	if (to) {
		ov_day_start(last + 1, n->until);
		n->f.until = n->until;
	}
	const char *keys[] = {"user", "case", "entity", "entity_id", "action", "from", "to"};
	const char *vals[] = {user, code, code ? NULL : n->f.entity, code ? NULL : n->f.entity_id, action, from, to};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (vals[i])
			json_object_set_new(n->echo, keys[i], json_string(vals[i]));
	return 0;
}

static void narrowed_free(struct narrowed *n)
{
	free(n->actions);
	json_decref(n->echo);
}

/* A row as the caller sees it; *opened counts the sealed reasons opened. */
static void present(struct nrm_ctx *c, json_t *r, bool officer, int *opened)
{
	const char *entity = j_str(r, "entity");
	json_object_set_new(r, "case", strcmp(entity, "case") == 0 && *j_str(r, "entity_id")
					       ? json_string(j_str(r, "entity_id"))
					       : json_null());
	json_t *fields = json_object_get(json_object_get(r, "after"), "fields");
	json_object_set(r, "fields", json_is_array(fields) ? fields : json_null());
	bool sealed = crypt_is_sealed(j_str(r, "reason"));
	json_object_set_new(r, "reason_sealed", json_boolean(sealed));
	if (!sealed)
		return;
	char *clear = officer ? ov_open_reason(c, r) : NULL;
	json_object_set_new(r, "reason", clear ? json_string(clear) : json_null());
	if (clear)
		(*opened)++;
	ov_wipe(clear);
}

/* One audit row for what the officer viewed of the reasons (never their text). */
static int audit_viewing(struct nrm_ctx *c, const char *action, const char *entity, json_t *after)
{
	int rc = store_begin(c->db);
	if (!rc)
		rc = secure_audit(c->db, c->me, action, entity, NULL, NULL, after, NULL);
	if (!rc)
		rc = store_commit(c->db);
	if (rc)
		store_rollback(c->db);
	return rc;
}

int oversight_trail(struct nrm_ctx *c, const struct oversight_filter *f, int64_t before, int limit, json_t **out,
		    struct nrm_err *err)
{
	if (!perm_audit_read(c->me))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_audit_readers_only, NULL, NULL);
	struct narrowed n;
	json_t *rows = NULL;
	int rc = narrow(f, &n, err);
	if (rc)
		return rc;
	if ((rc = store_audit_filter(c->db, &n.f, before, limit, &rows)))
		goto done;
	bool officer = perm_oversight(c->me);
	int opened = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		present(c, r, officer, &opened);
	if (opened) {
		json_t *after = json_pack("{s:O, s:i}", "filter", n.echo, "reasons", opened);
		rc = audit_viewing(c, "read_reasons", "audit", after);
		json_decref(after);
		if (rc)
			goto done;
	}
	*out = rows;
	rows = NULL;
done:
	json_decref(rows);
	narrowed_free(&n);
	return rc;
}

static const char *label_of(json_t *col, const char *lang)
{
	const char *s = j_str(json_object_get(col, "label"), strcmp(lang, "en") == 0 ? "en" : "sq");
	return *s ? s : j_str(col, "key");
}

/* A row's cell for column `key`. */
static json_t *cell(json_t *r, const char *key)
{
	if (strcmp(key, "id") == 0)
		return json_integer(j_int(r, "id"));
	if (strcmp(key, "local") == 0) {
		int minute;
		int32_t day = ov_local_day(j_str(r, "ts"), &minute, NULL);
		if (day < 0)
			return json_null();
		char d[DATE_LEN], s[48];
		date_format(day, d);
		snprintf(s, sizeof s, "%s %02d:%02d", d, minute / 60, minute % 60);
		return json_string(s);
	}
	if (strcmp(key, "fields") == 0) {
		struct buf b = {0};
		size_t i;
		json_t *f;
		json_array_foreach(json_object_get(r, "fields"), i, f)
			if (buf_puts(&b, i ? ", " : "") || buf_puts(&b, json_is_string(f) ? json_string_value(f) : ""))
				break;
		json_t *s = b.p ? json_string(b.p) : json_null();
		buf_free(&b);
		return s;
	}
	json_t *v = json_object_get(r, key);
	return json_is_string(v) ? json_incref(v) : json_null();
}

int oversight_export(struct nrm_ctx *c, const struct oversight_filter *f, const char *format, const char *lang,
		     struct buf *out, char **name, struct nrm_err *err)
{
	if (!perm_audit_read(c->me))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_audit_readers_only, NULL, NULL);
	if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0))
		return nrm_fail(err, NRM_EINVAL, KEY_export_format, "format", NULL);
	lang = lang && strcmp(lang, "en") == 0 ? "en" : lang && strcmp(lang, "sq") == 0 ? "sq" : c->me->lang;
	json_t *rules = NULL, *rows = NULL, *sheet = NULL, *after = NULL;
	struct narrowed n = {0};
	int rc = ov_rules(c, &rules, err);
	if (rc)
		return rc;
	if ((rc = narrow(f, &n, err)))
		goto done;
	json_t *spec = json_object_get(rules, "export");
	json_int_t max = json_integer_value(json_object_get(spec, "max_rows"));
	max = max > 0 && max < 1000000 ? max : 20000;
	if ((rc = store_audit_filter(c->db, &n.f, 0, (int)max + 1, &rows)))
		goto done;
	if ((json_int_t)json_array_size(rows) > max) {
		char m[24];
		rc = nrm_fail(err, NRM_EINVAL, KEY_audit_export_too_large, NULL, "max", nrm_num(m, (long long)max), NULL);
		goto done;
	}
	bool officer = perm_oversight(c->me);
	int opened = 0;
	json_t *cols = json_array(), *cells = json_array(), *col, *r;
	size_t i, k;
	json_array_foreach(json_object_get(spec, "columns"), k, col)
		json_array_append_new(cols, json_string(label_of(col, lang)));
	json_array_foreach(rows, i, r) {
		present(c, r, officer, &opened);
		json_t *line = json_array();
		json_array_foreach(json_object_get(spec, "columns"), k, col)
			json_array_append_new(line, cell(r, j_str(col, "key")));
		json_array_append_new(cells, line);
	}
	sheet = json_pack("{s:s, s:o, s:o}", "name", strcmp(lang, "en") == 0 ? "Audit trail" : "Gjurmët e auditimit",
			  "columns", cols, "rows", cells);
	if (strcmp(format, "csv") == 0) {
		rc = render_csv(sheet, out);
	} else {
		json_t *book = json_pack("[O]", sheet);
		rc = render_xlsx(book, out, err);
		json_decref(book);
	}
	if (rc)
		goto done;
	after = json_pack("{s:O, s:s, s:I, s:i}", "filter", n.echo, "format", format, "rows",
			  (json_int_t)json_array_size(rows), "reasons", opened);
	if ((rc = audit_viewing(c, "export", "audit", after)))
		goto done;
	char file[64], today[DATE_LEN];
	date_format(c->today, today);
	snprintf(file, sizeof file, "audit-%s.%s", today, format);
	if (!(*name = strdup(file)))
		rc = NRM_ENOMEM;
done:
	if (rc)
		buf_free(out);
	json_decref(after);
	json_decref(sheet);
	json_decref(rows);
	json_decref(rules);
	narrowed_free(&n);
	return rc;
}
